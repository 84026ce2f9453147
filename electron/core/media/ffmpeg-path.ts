// Which ffmpeg to run (docs/design/live-pipeline.md): the configured path, then one bundled with the app, then PATH.
import fs from 'node:fs';
import path from 'node:path';

export interface FfmpegLookup {
  configured?: string | null;
  /** Where a packaged app would carry its own ffmpeg (Electron: process.resourcesPath/ffmpeg). */
  bundledDir?: string | null;
  envPath?: string;
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function resolveFfmpeg(lookup: FfmpegLookup, name: 'ffmpeg' | 'ffprobe' = 'ffmpeg'): { path: string; source: 'configured' | 'bundled' | 'PATH' } | { error: string } {
  if (lookup.configured) {
    return executable(lookup.configured)
      ? { path: lookup.configured, source: 'configured' }
      : { error: `The configured ${name} (${lookup.configured}) does not exist or is not executable.` };
  }
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  if (lookup.bundledDir && executable(path.join(lookup.bundledDir, exe))) return { path: path.join(lookup.bundledDir, exe), source: 'bundled' };
  for (const dir of (lookup.envPath ?? process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, exe))) return { path: path.join(dir, exe), source: 'PATH' };
  }
  return { error: `${name} was not found: install ffmpeg (Debian: apt install ffmpeg) or set CONSOLE_FFMPEG_PATH (host mode: --ffmpeg PATH).` };
}
