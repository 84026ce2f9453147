// RTSP client authentication done by the relay on ffmpeg's behalf (docs/design/live-pipeline.md
// "Credential relay"): Basic and Digest (RFC 2617 / RFC 7616: MD5, MD5-sess, SHA-256, with or
// without qop=auth, nonce counts, stale nonces). Header strings are latin1 (see rtsp-message.ts);
// the user name and password are hashed and sent as UTF-8, which is what cameras and GStreamer use.
import { createHash, randomBytes } from 'node:crypto';
import { utf8Header } from './rtsp-message';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Every challenge in WWW-Authenticate values (a value may hold several, comma-separated). */
export function parseChallenges(values: string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const v of values) {
    let current: Challenge | null = null;
    let i = 0;
    while (i < v.length) {
      while (i < v.length && /[\s,]/.test(v[i]!)) i += 1;
      const start = i;
      while (i < v.length && !/[\s,=]/.test(v[i]!)) i += 1;
      const token = v.slice(start, i);
      if (!token) {
        i += 1;
        continue;
      }
      let j = i;
      while (j < v.length && /[ \t]/.test(v[j]!)) j += 1;
      if (v[j] === '=' && current) {
        i = j + 1;
        while (i < v.length && /[ \t]/.test(v[i]!)) i += 1;
        let value = '';
        if (v[i] === '"') {
          i += 1;
          while (i < v.length && v[i] !== '"') {
            if (v[i] === '\\' && i + 1 < v.length) i += 1;
            value += v[i];
            i += 1;
          }
          i += 1;
        } else {
          const vs = i;
          while (i < v.length && v[i] !== ',') i += 1;
          value = v.slice(vs, i).trim();
        }
        current.params[token.toLowerCase()] = value;
      } else if (v[j] === '=') {
        i = j + 1; // a parameter before any scheme: ignore it
      } else {
        current = { scheme: token.toLowerCase(), params: {} };
        out.push(current);
      }
    }
  }
  return out;
}

export type DigestHash = 'md5' | 'sha256';
interface DigestState {
  scheme: 'digest';
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: string | undefined;
  hash: DigestHash;
  sess: boolean;
  qop: 'auth' | null;
  cnonce: string;
  nc: number;
}
type State = { scheme: 'basic'; realm: string } | DigestState;

const ALGORITHMS: Record<string, { hash: DigestHash; sess: boolean; rank: number }> = {
  md5: { hash: 'md5', sess: false, rank: 1 },
  'md5-sess': { hash: 'md5', sess: true, rank: 1 },
  'sha-256': { hash: 'sha256', sess: false, rank: 2 },
  'sha-256-sess': { hash: 'sha256', sess: true, rank: 2 },
};

/** Answers a camera's challenges with one user name and password; one per camera connection. */
export class RtspAuthenticator {
  private state: State | null = null;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** Whether requests carry an Authorization header (a challenge has been taken). */
  get active(): boolean {
    return this.state !== null;
  }

  get scheme(): 'basic' | 'digest' | null {
    return this.state?.scheme ?? null;
  }

  /**
   * Takes the strongest challenge of a 401 that this can answer (Digest SHA-256, Digest MD5, then
   * Basic). `stale`: the camera only asks for a fresh nonce, the credentials were right.
   */
  takeChallenge(wwwAuthenticate: string[]): { ok: boolean; stale: boolean } {
    let best: { state: State; rank: number; stale: boolean } | null = null;
    for (const c of parseChallenges(wwwAuthenticate)) {
      if (c.scheme === 'basic') {
        if (!best) best = { state: { scheme: 'basic', realm: c.params.realm ?? '' }, rank: 0, stale: false };
        continue;
      }
      if (c.scheme !== 'digest' || c.params.nonce === undefined) continue;
      const alg = ALGORITHMS[(c.params.algorithm ?? 'MD5').toLowerCase()];
      if (!alg) continue;
      let qop: 'auth' | null = null;
      if (c.params.qop !== undefined) {
        // qop=auth-int alone would need the body hashed into every request: not offered by cameras.
        if (!c.params.qop.split(',').some((q) => q.trim().toLowerCase() === 'auth')) continue;
        qop = 'auth';
      }
      if (best && best.rank >= alg.rank + 1) continue;
      best = {
        rank: alg.rank + 1,
        stale: (c.params.stale ?? '').toLowerCase() === 'true',
        state: {
          scheme: 'digest',
          realm: c.params.realm ?? '',
          nonce: c.params.nonce,
          opaque: c.params.opaque,
          algorithm: c.params.algorithm,
          hash: alg.hash,
          sess: alg.sess,
          qop,
          cnonce: randomBytes(8).toString('hex'),
          nc: 0,
        },
      };
    }
    if (!best) return { ok: false, stale: false };
    this.state = best.state;
    return { ok: true, stale: best.stale };
  }

  /** The Authorization header for one request, or null before any challenge. Counts the nonce use. */
  authorization(method: string, uri: string): string | null {
    const s = this.state;
    if (!s) return null;
    if (s.scheme === 'basic') return `Basic ${Buffer.from(`${this.username}:${this.password}`, 'utf8').toString('base64')}`;
    const quote = (t: string) => `"${t.replace(/[\\"]/g, '\\$&')}"`;
    const fields = [`username=${quote(utf8Header(this.username))}`, `realm=${quote(s.realm)}`, `nonce=${quote(s.nonce)}`, `uri=${quote(uri)}`];
    let nc: string | undefined;
    if (s.qop) {
      s.nc += 1;
      nc = s.nc.toString(16).padStart(8, '0');
    }
    const response = digestResponse({ ...s, username: this.username, password: this.password, method, uri, nc });
    fields.push(`response=${quote(response)}`);
    if (s.qop) fields.push(`qop=${s.qop}`, `nc=${nc}`, `cnonce=${quote(s.cnonce)}`);
    if (s.algorithm !== undefined) fields.push(`algorithm=${s.algorithm}`);
    if (s.opaque !== undefined) fields.push(`opaque=${quote(s.opaque)}`);
    return `Digest ${fields.join(', ')}`;
  }
}

/**
 * The Digest `response` value. User name and password are hashed as UTF-8; realm, nonce and URI as
 * the latin1 strings read from and written to the wire (their bytes unchanged).
 */
export function digestResponse(p: {
  hash: DigestHash;
  sess: boolean;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop: 'auth' | null;
  nc?: string;
  cnonce: string;
}): string {
  const h = (...parts: Buffer[]) => createHash(p.hash).update(Buffer.concat(parts)).digest('hex');
  const latin1 = (t: string) => Buffer.from(t, 'latin1');
  const colon = latin1(':');
  let ha1 = h(Buffer.from(p.username, 'utf8'), colon, latin1(p.realm), colon, Buffer.from(p.password, 'utf8'));
  if (p.sess) ha1 = h(latin1(ha1), colon, latin1(p.nonce), colon, latin1(p.cnonce));
  const ha2 = h(latin1(p.method), colon, latin1(p.uri));
  if (p.qop) return h(latin1(ha1), colon, latin1(p.nonce), colon, latin1(p.nc ?? '00000001'), colon, latin1(p.cnonce), colon, latin1(p.qop), colon, latin1(ha2));
  return h(latin1(ha1), colon, latin1(p.nonce), colon, latin1(ha2));
}
