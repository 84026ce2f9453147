// HTTP authentication challenges (RFC 7235) and the HTTP Digest answer (RFC 7616, RFC 2617) for
// ONVIF SOAP calls, where a device asks for it (docs/design/onvif.md, fault 1). Only what devices
// in the field offer: MD5, SHA-256 and SHA-512-256 (and their -sess forms), qop auth or auth-int,
// and the RFC 2069 form without qop; userhash when the device asks for it.
import { createHash, randomBytes } from 'node:crypto';

export interface Challenge {
  /** Lower case: 'digest', 'basic', ... */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses WWW-Authenticate values: one header may carry several challenges
 * (`Digest realm="a", qop="auth,auth-int", nonce="n", Basic realm="a"`).
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  const TOKEN = /[!#$%&'*+.^_`|~\w-]+/y;
  for (const value of values) {
    let i = 0;
    let current: Challenge | undefined;
    const skip = (re: RegExp) => {
      while (i < value.length && re.test(value[i] ?? '')) i++;
    };
    while (i < value.length) {
      skip(/[\s,]/);
      TOKEN.lastIndex = i;
      const tok = TOKEN.exec(value)?.[0];
      if (!tok) {
        i++; // not a token: step over it rather than loop forever on a garbled header
        continue;
      }
      i += tok.length;
      skip(/[ \t]/);
      if (value[i] !== '=') {
        current = { scheme: tok.toLowerCase(), params: {} };
        out.push(current);
        continue;
      }
      i++;
      skip(/[ \t]/);
      let v = '';
      if (value[i] === '"') {
        for (i++; i < value.length && value[i] !== '"'; i++) v += value[i] === '\\' ? (value[++i] ?? '') : value[i];
        i++;
      } else {
        const end = value.slice(i).search(/[\s,]|$/);
        v = value.slice(i, i + end);
        i += end;
      }
      if (current) current.params[tok.toLowerCase()] = v;
    }
  }
  return out;
}

const HASHES = { 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' } as const;
type DigestAlgorithm = keyof typeof HASHES;
// Strongest first: a device offering several challenges lists them in no reliable order.
const PREFERENCE: DigestAlgorithm[] = ['SHA-512-256', 'SHA-256', 'MD5'];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: DigestAlgorithm;
  session: boolean;
  qop: 'auth' | 'auth-int' | undefined;
  userhash: boolean;
  stale: boolean;
}

/** What was offered but cannot be answered, to name it in an error. */
export interface DigestChoice {
  challenge?: DigestChallenge;
  unsupported: string[];
}

/** Picks the strongest Digest challenge this client can answer. */
export function chooseDigest(challenges: readonly Challenge[]): DigestChoice {
  const unsupported: string[] = [];
  let best: DigestChallenge | undefined;
  for (const c of challenges) {
    if (c.scheme !== 'digest') continue;
    const raw = (c.params.algorithm ?? 'MD5').toUpperCase();
    const session = raw.endsWith('-SESS');
    const algorithm = (session ? raw.slice(0, -5) : raw) as DigestAlgorithm;
    const qops = (c.params.qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
    const qop = qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : undefined;
    const nonce = c.params.nonce;
    // Values are echoed in our Authorization header: anything but printable ASCII is not answered.
    const printable = [c.params.realm, nonce, c.params.opaque].every((v) => v === undefined || /^[\x20-\x7e]*$/.test(v));
    if (!(algorithm in HASHES) || (qops.length > 0 && !qop) || !nonce || !printable) {
      unsupported.push(`Digest ${raw}${qops.length ? ` qop=${qops.join('/')}` : ''}`);
      continue;
    }
    const candidate: DigestChallenge = {
      realm: c.params.realm ?? '',
      nonce,
      opaque: c.params.opaque,
      algorithm,
      session,
      qop,
      userhash: (c.params.userhash ?? '').toLowerCase() === 'true',
      stale: (c.params.stale ?? '').toLowerCase() === 'true',
    };
    if (!best || PREFERENCE.indexOf(candidate.algorithm) < PREFERENCE.indexOf(best.algorithm)) best = candidate;
  }
  return { challenge: best, unsupported };
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * One nonce from one challenge, answered for several requests with a rising nonce count
 * (RFC 7616): later calls do not pay a second round trip for a new challenge.
 */
export class DigestSession {
  private nc = 0;

  constructor(
    readonly challenge: DigestChallenge,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** The Authorization header for one request. `uri` is the request target (path and query). */
  authorization(method: string, uri: string, body: Buffer): string {
    const c = this.challenge;
    const h = (s: string | Buffer) => createHash(HASHES[c.algorithm]).update(s).digest('hex');
    const cnonce = randomBytes(16).toString('hex');
    const nc = (++this.nc).toString(16).padStart(8, '0');
    let ha1 = h(`${this.username}:${c.realm}:${this.password}`);
    if (c.session) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
    const ha2 = c.qop === 'auth-int' ? h(`${method}:${uri}:${h(body)}`) : h(`${method}:${uri}`);
    const response = c.qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${c.qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
    const user = c.userhash ? h(`${this.username}:${c.realm}`) : this.username;
    // RFC 7616: a user name outside ASCII goes as username*, UTF-8 percent-encoded (RFC 5987).
    const ascii = /^[\x20-\x7e]*$/.test(user);
    const rfc5987 = (v: string) => encodeURIComponent(v).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
    const parts = [
      ascii ? `username=${quote(user)}` : `username*=UTF-8''${rfc5987(user)}`,
      `realm=${quote(c.realm)}`,
      `nonce=${quote(c.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${c.algorithm}${c.session ? '-sess' : ''}`,
      `response=${quote(response)}`,
    ];
    if (c.qop) parts.push(`qop=${c.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
    if (c.userhash) parts.push('userhash=true');
    return `Digest ${parts.join(', ')}`;
  }
}
