// The page's Content-Security-Policy (docs/design/overview.md §2: the renderer is untrusted; §3
// media origins). No Electron import, so the policies are tested in plain Node.
//
// Literal policies (not assembled from pieces) so reviewers can read them. Embedded mode: media and
// the engine's media server are on 127.0.0.1 with a random port. Seat mode (docs/design/site-engine.md
// "The desktop app as a seat"): media come from the site engine's one origin, so exactly that origin
// replaces 127.0.0.1 and nothing else is reachable. Live tiles open a WebSocket per view to the same
// server (ws: locally, wss: to a site engine). Mantine sets inline styles at run time; hls.js
// may run its demuxer in a worker created from a blob: URL.
import type { SiteOrigin } from './site-origin';

export const PACKAGED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: http://127.0.0.1:*; connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** `electron-forge start` only: Vite's dev server injects an inline React-refresh preamble and talks HMR over ws://localhost. */
export const DEV_SERVER_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: http://127.0.0.1:*; connect-src 'self' ws://localhost:* http://127.0.0.1:* ws://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const LOCAL_MEDIA = 'http://127.0.0.1:*';
/** Live tiles' fragment sockets (docs/design/live-pipeline.md "Fragment path"), on the same server. */
const LOCAL_SOCKETS = 'ws://127.0.0.1:*';

/**
 * The policy for the page: embedded (`site` null) as above; a seat of a site engine reaches only that
 * engine's origin for media and downloads, and the origins of the site's other nodes (`nodes`: live
 * views and recorded files of cameras they hold; docs/design/scale.md "Seats on any node"). Every
 * origin comes from parseSiteOrigin, whose origin holds no character that could end a directive.
 */
export function contentSecurityPolicy(o: { devServer: boolean; site: SiteOrigin | null; nodes?: readonly SiteOrigin[] }): string {
  const base = o.devServer ? DEV_SERVER_CSP : PACKAGED_CSP;
  if (!o.site) return base;
  const origins = [o.site, ...(o.nodes ?? [])].map((s) => s.origin);
  if (!origins.every((x) => /^https:\/\/[a-z0-9.:[\]-]+$/.test(x))) throw new Error('a site origin was not checked by parseSiteOrigin');
  return base.replaceAll(LOCAL_MEDIA, origins.join(' ')).replaceAll(LOCAL_SOCKETS, origins.map((x) => x.replace(/^https:/, 'wss:')).join(' '));
}
