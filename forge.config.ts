// Packaging of the standalone seat (docs/design/overview.md §2, §8 "One seat"): Vite builds main, preload and renderer;
// fuses switch off every way to run the signed binary as a plain Node or to inject code at start-up.
import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerZIP } from '@electron-forge/maker-zip';
import { MakerDeb } from '@electron-forge/maker-deb';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** Native modules cannot be loaded from inside the asar archive. */
const NATIVE_MODULES = ['better-sqlite3', 'keytar'] as const;

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Operator Console',
    executableName: 'operator-console',
    icon: 'assets/icon',
    asar: { unpack: `**/node_modules/{${NATIVE_MODULES.join(',')}}/**` },
    // The Vite plugin keeps only `.vite/`; the externalized native modules must ship too.
    ignore: (file: string) => !(file === '' || file === '/package.json' || file.startsWith('/.vite') || isNativeModulePath(file)),
  },
  rebuildConfig: { onlyModules: [...NATIVE_MODULES], force: true },
  makers: [
    new MakerZIP({}, ['linux', 'win32', 'darwin']),
    new MakerDeb({
      options: {
        name: 'operator-console',
        productName: 'Operator Console',
        genericName: 'CCTV operator console',
        categories: ['Utility'],
        icon: 'assets/icon.png',
        // keytar talks to the Secret Service through libsecret (docs/design/overview.md §4 "Credentials").
        depends: ['libsecret-1-0'],
      },
    }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

/** `/node_modules`, `/node_modules/<native>` and everything below it; nothing else from node_modules. */
function isNativeModulePath(file: string): boolean {
  if (file === '/node_modules') return true;
  return NATIVE_MODULES.some((name) => file === `/node_modules/${name}` || file.startsWith(`/node_modules/${name}/`));
}

export default config;
