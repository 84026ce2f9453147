// One ONVIF SOAP conversation with one device (docs/design/onvif.md): envelopes, WS-UsernameToken
// signed with the device's own clock, HTTP Digest where the device challenges, and the reading of
// answers and faults. Authentication is learnt from the device, not configured:
//   - signed calls carry a WS-UsernameToken (what most devices expect);
//   - a 401 with a Digest challenge is answered, and later calls reuse the nonce with a rising
//     nonce count; the token stays unless the device accepts Digest but refuses the token;
//   - an authentication fault on a signed call re-reads the device's clock once and retries.
// Errors say what the device demanded and never claim a wrong password for anything else.
import { createHash, randomBytes } from 'node:crypto';
import { chooseDigest, DigestSession, parseChallenges } from './onvif-digest';
import { deviceText, OnvifError } from './onvif-error';
import type { HttpAnswer, HttpTransport } from './onvif-http';
import { child, childrenNamed, escapeXml, parseXml, path, textOf, type XmlElement } from './onvif-xml';

export interface Operation {
  service: 'device' | 'media' | 'ptz';
  name: string;
}

const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
};
const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** WS-Security and ONVIF codes that mean "who you are was not accepted" (ONVIF Core, WSS 1.1). */
const AUTH_CODES = new Set(['NotAuthorized', 'FailedAuthentication', 'InvalidSecurity', 'InvalidSecurityToken', 'MessageExpired', 'FailedCheck', 'SecurityTokenUnavailable']);

export const MESSAGES = {
  digestRefused: 'The device requires HTTP Digest authentication and refused the user name or password.',
  tokenRefused: "The device refused the user name or password sent as a WS-UsernameToken (timed by the device's own clock).",
  basicRefused: 'The device requires HTTP Basic authentication and refused the user name or password.',
  credentialsNeeded: 'The device requires a user name and password.',
  basicOverHttp:
    'The device demands HTTP Basic authentication over plain HTTP, which would send the password unencrypted; the console does not send it. Enable HTTP Digest or WS-UsernameToken on the device, or use an https:// address.',
} as const;

export interface SoapFault {
  /** Local names of the code and its subcodes, outermost first (e.g. Sender, InvalidArgVal, NoProfile). */
  codes: string[];
  reason: string;
}

/** A SOAP fault as an OnvifError, so callers can tolerate a fault on one call (e.g. one profile). */
export class OnvifFaultError extends OnvifError {
  constructor(
    message: string,
    readonly fault: SoapFault,
  ) {
    super('fault', message);
  }
}

function qnameLocal(s: string): string {
  return s.slice(s.lastIndexOf(':') + 1).trim();
}

function readFault(el: XmlElement): SoapFault {
  const codes: string[] = [];
  // SOAP 1.2: Code/Value with nested Subcode/Value; SOAP 1.1: faultcode, faultstring.
  for (let c = child(el, 'Code'); c; c = child(c, 'Subcode')) {
    const v = textOf(child(c, 'Value'));
    if (v) codes.push(qnameLocal(v));
  }
  const legacy = textOf(child(el, 'faultcode'));
  if (legacy) codes.push(qnameLocal(legacy));
  const reason = textOf(childrenNamed(child(el, 'Reason'), 'Text')[0]) || textOf(child(el, 'faultstring'));
  return { codes, reason };
}

function isAuthFault(f: SoapFault): boolean {
  if (f.codes.some((c) => AUTH_CODES.has(c))) return true;
  const generic = f.codes.every((c) => /^(Sender|Client|Receiver|Server)$/.test(c));
  return generic && /not ?authori[sz]ed|unauthori[sz]ed|authenticat/i.test(f.reason);
}

function decode(body: Buffer, contentType: string): string {
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body);
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body);
  const declared = /charset="?([\w-]+)/i.exec(contentType)?.[1] ?? /^<\?xml[^>]*encoding=["']([\w-]+)/.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

interface Envelope {
  payload?: XmlElement;
  fault?: SoapFault;
}

/** Reads a SOAP envelope; undefined when the body is not one (the caller decides by HTTP status). */
function readEnvelope(answer: HttpAnswer): Envelope | undefined {
  if (answer.body.length === 0) return undefined;
  let root: XmlElement;
  try {
    root = parseXml(decode(answer.body, answer.contentType));
  } catch {
    return undefined; // XmlError, or a decoder refusing the bytes: not an envelope either way
  }
  const first = root.name === 'Envelope' ? child(root, 'Body')?.children[0] : undefined;
  if (!first) return undefined;
  return first.name === 'Fault' ? { fault: readFault(first) } : { payload: first };
}

export interface SoapSessionOptions {
  deviceUrl: URL;
  username: string;
  password: string;
  transport: HttpTransport;
  nowMs: () => number;
}

export class SoapSession {
  /** Device clock minus ours, from GetSystemDateAndTime (or the HTTP Date header). */
  clockOffsetMs = 0;
  private sendToken: boolean;
  private digest: DigestSession | undefined;
  private basic = false;
  private signedCallAccepted = false;
  private clockReread: Promise<void> | undefined;
  /** The last HTTP Date header: the clock of a device whose GetSystemDateAndTime is unusable. */
  private lastDateMs: number | undefined;

  constructor(private readonly o: SoapSessionOptions) {
    this.sendToken = o.username !== '';
  }

  /** GetSystemDateAndTime, unsigned (pre-auth in ONVIF Core): learns the device's clock offset. */
  async readClock(): Promise<void> {
    const startedMs = this.o.nowMs();
    let answer: XmlElement;
    try {
      answer = await this.call({ service: 'device', name: 'GetSystemDateAndTime' }, '<tds:GetSystemDateAndTime/>', false);
    } catch (e) {
      // A device that faults here may still serve everything else: keep the clock we have.
      if (e instanceof OnvifError && (e.kind === 'fault' || e.kind === 'malformed' || e.kind === 'auth')) return;
      throw e;
    }
    const utc = path(answer, 'SystemDateAndTime', 'UTCDateTime');
    const n = (p: string[]) => Number(textOf(path(utc, ...p)));
    const [y, mo, d, h, mi, s] = [n(['Date', 'Year']), n(['Date', 'Month']), n(['Date', 'Day']), n(['Time', 'Hour']), n(['Time', 'Minute']), n(['Time', 'Second'])];
    const valid = y >= 1970 && y < 3000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 61;
    if (valid) this.clockOffsetMs = Date.UTC(y, mo - 1, d, h, mi, s) - (startedMs + this.o.nowMs()) / 2;
    else if (this.lastDateMs !== undefined) this.clockOffsetMs = this.lastDateMs - this.o.nowMs();
  }

  private usernameToken(): string {
    const nonce = randomBytes(16);
    // Seconds precision: some devices parse Created only as YYYY-MM-DDThh:mm:ssZ.
    const created = new Date(this.o.nowMs() + this.clockOffsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(this.o.password)])).digest('base64');
    return (
      `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}"><wsse:UsernameToken>` +
      `<wsse:Username>${escapeXml(this.o.username)}</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password>` +
      `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created>` +
      `</wsse:UsernameToken></wsse:Security>`
    );
  }

  /** The PTZ service's namespace is declared on PTZ calls only: device and media calls are sent as before. */
  private envelope(header: string, body: string, service: Operation['service']): Buffer {
    return Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.s}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tt="${NS.tt}"${service === 'ptz' ? ` xmlns:tptz="${NS.tptz}"` : ''}>` +
        `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`,
    );
  }

  /** One call; `signed` calls carry credentials, unsigned ones only answer an HTTP challenge. */
  async call(op: Operation, bodyXml: string, signed = true, url = this.o.deviceUrl): Promise<XmlElement> {
    // The PTZ service is ONVIF's version 2.0 WSDL; device and media are 1.0.
    const action = op.service === 'ptz' ? `${NS.tptz}/${op.name}` : `http://www.onvif.org/ver10/${op.service}/wsdl/${op.name}`;
    const hasCredentials = this.o.username !== '';
    let clockRetried = false;
    let tokenDropped = false;
    let myDigest: DigestSession | undefined;
    let challengesAnswered = 0;
    for (;;) {
      const withToken = signed && this.sendToken;
      const body = this.envelope(withToken ? this.usernameToken() : '', bodyXml, op.service);
      const headers: Record<string, string> = { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` };
      const sentDigest = this.digest;
      const sentBasic = this.basic;
      if (sentDigest) headers.authorization = sentDigest.authorization('POST', `${url.pathname}${url.search}`, body);
      else if (sentBasic) headers.authorization = `Basic ${Buffer.from(`${this.o.username}:${this.o.password}`).toString('base64')}`;
      const answer = await this.o.transport.post(url, body, headers, op.name);
      if (answer.dateMs !== undefined) this.lastDateMs = answer.dateMs;

      if (answer.status === 401 && answer.challenges.length > 0) {
        const challenges = parseChallenges(answer.challenges);
        const { challenge, unsupported } = chooseDigest(challenges);
        if (challenge) {
          if (!hasCredentials) throw new OnvifError('auth', MESSAGES.credentialsNeeded);
          // Refused only when the answer was computed from a challenge this very call received:
          // a reused nonce may have expired or its count arrived out of order (parallel calls).
          if ((sentDigest && sentDigest === myDigest && !challenge.stale) || challengesAnswered >= 3) {
            throw new OnvifError('auth', MESSAGES.digestRefused);
          }
          challengesAnswered++;
          this.digest = myDigest = new DigestSession(challenge, this.o.username, this.o.password);
          continue;
        }
        if (challenges.some((c) => c.scheme === 'basic')) {
          if (!hasCredentials) throw new OnvifError('auth', MESSAGES.credentialsNeeded);
          if (url.protocol !== 'https:') throw new OnvifError('unsupported', MESSAGES.basicOverHttp);
          if (sentBasic) throw new OnvifError('auth', MESSAGES.basicRefused);
          this.basic = true;
          continue;
        }
        const offered = [...unsupported, ...challenges.filter((c) => c.scheme !== 'digest').map((c) => c.scheme)];
        throw new OnvifError('unsupported', `The device asks for HTTP authentication the console does not support (${deviceText(offered.join(', '), this.o.password, 120)}).`);
      }

      const env = readEnvelope(answer);
      const ok = answer.status >= 200 && answer.status < 300;
      if (ok && env?.payload) {
        if (env.payload.name !== `${op.name}Response`) {
          throw new OnvifError('malformed', `The device answered ${op.name} with ${deviceText(env.payload.name, this.o.password, 60)} instead of ${op.name}Response.`);
        }
        if (signed && hasCredentials) this.signedCallAccepted = true;
        return env.payload;
      }
      const authFailure = env?.fault ? isAuthFault(env.fault) : answer.status === 401;
      if (authFailure) {
        if (!hasCredentials) throw new OnvifError('auth', MESSAGES.credentialsNeeded);
        if (!signed) throw new OnvifError('auth', `The device refused ${op.name} without credentials.`);
        if (withToken && !clockRetried) {
          // Hours-off clocks are common (no NTP on a camera VLAN): the device may have drifted
          // or been set since we read it. Read it again, once per call; calls failing together
          // share one read.
          clockRetried = true;
          this.clockReread ??= this.readClock().finally(() => {
            this.clockReread = undefined;
          });
          await this.clockReread;
          continue;
        }
        if (withToken && sentDigest && !tokenDropped) {
          // HTTP Digest passed (no 401) but the token did not: do it the device's way, Digest alone.
          tokenDropped = true;
          this.sendToken = false;
          continue;
        }
        if (tokenDropped) this.sendToken = true;
        if (this.signedCallAccepted) {
          throw new OnvifError('forbidden', `The device accepted the user name and password but refused ${op.name}: the account lacks the rights for it.`);
        }
        if (withToken || tokenDropped) throw new OnvifError('auth', MESSAGES.tokenRefused);
        if (sentDigest) throw new OnvifError('auth', MESSAGES.digestRefused);
        if (sentBasic) throw new OnvifError('auth', MESSAGES.basicRefused);
        throw new OnvifError('auth', MESSAGES.credentialsNeeded);
      }
      if (env?.fault) {
        const what = [...new Set(env.fault.codes)].join('/') || 'no code';
        const reason = env.fault.reason ? `: ${deviceText(env.fault.reason, this.o.password)}` : '';
        throw new OnvifFaultError(`The device answered ${op.name} with a SOAP fault (${deviceText(what, this.o.password, 80)})${reason}.`, env.fault);
      }
      if (answer.status === 403) throw new OnvifError('forbidden', `The device forbids ${op.name} (HTTP 403): an address filter or the account's rights.`);
      if (answer.status === 404) throw new OnvifError('fault', `The device has no ONVIF service at that address (HTTP 404 for ${op.name}).`);
      if (answer.status >= 300 && answer.status < 400) {
        throw new OnvifError('fault', `The device redirected ${op.name} (HTTP ${answer.status}); enter the ONVIF address it redirects to.`);
      }
      if (!ok) throw new OnvifError('fault', `The device failed to answer ${op.name} (HTTP ${answer.status}).`);
      throw new OnvifError('malformed', `The device's answer to ${op.name} is not a SOAP envelope.`);
    }
  }
}
