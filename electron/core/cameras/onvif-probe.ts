// Reads what the console needs from an ONVIF device (docs/design/onvif.md): its clock, maker and
// model, the media service, the profiles and one RTSP-over-TCP stream URI per profile. Nothing
// else is asked (no snapshot URIs, no UDP or HTTP stream variants). Stream URIs are read a few at a
// time in parallel; each request has its own limit, the whole read another, and when the read ends
// (answered, failed or given up) every request still open is cancelled before `probe` settles.
import { splitCredentials } from '../../../shared/cameras';
import { deviceText, OnvifError } from './onvif-error';
import { HttpTransport } from './onvif-http';
import { OnvifFaultError, SoapSession, type Operation } from './onvif-soap';
import { child, childrenNamed, escapeXml, path, textOf, type XmlElement } from './onvif-xml';

export interface OnvifProfile {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  /** Without credentials. */
  rtspUrl: string | null;
}

export interface OnvifDeviceInfo {
  manufacturer: string;
  model: string;
  profiles: OnvifProfile[];
}

export interface ProbeOptions {
  /** Limit for one request, headers and body (a device trickling bytes is cut off). */
  requestTimeoutMs: number;
  /** Limit for the whole read. */
  probeTimeoutMs: number;
  maxResponseBytes: number;
  /** How many GetStreamUri requests run at once (one socket each). */
  streamUriConcurrency: number;
  /** More profiles than this is refused rather than read for minutes. */
  maxProfiles: number;
  nowMs: () => number;
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = {
  requestTimeoutMs: 5_000,
  probeTimeoutMs: 10_000,
  maxResponseBytes: 2 * 1024 * 1024,
  streamUriConcurrency: 4,
  maxProfiles: 256,
  nowMs: () => Date.now(),
};

const DEVICE = (name: string): Operation => ({ service: 'device', name });
const MEDIA = (name: string): Operation => ({ service: 'media', name });

/** The address an administrator typed, checked; user info is dropped (credentials go separately). */
export function deviceAddress(xaddr: string): URL {
  let url: URL;
  try {
    url = new URL(xaddr.trim());
  } catch {
    throw new OnvifError('unreachable', 'That is not a valid device address.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OnvifError('unreachable', 'The device address must start with http:// or https://.');
  url.username = '';
  url.password = '';
  url.hash = '';
  return url;
}

/**
 * A service address as the device reports it, but on the host the administrator reached: devices
 * behind NAT or with several interfaces report addresses the console cannot reach.
 */
export function serviceAddress(reported: string, device: URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(reported.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname !== device.hostname) {
    const moved = new URL(device.href);
    moved.pathname = url.pathname;
    moved.search = url.search;
    return moved;
  }
  url.username = '';
  url.password = '';
  return url;
}

function clean(s: string, maxChars = 256): string {
  return deviceText(s, '', maxChars);
}

function dimension(el: XmlElement | undefined): number {
  const n = Number(textOf(el));
  return Number.isInteger(n) && n > 0 && n <= 65_535 ? n : 0;
}

function rtspOnly(uri: string): string | null {
  const u = uri.trim();
  // eslint-disable-next-line no-control-regex -- a URL with control characters or spaces is not used
  if (!/^rtsps?:\/\/[^\s\u0000-\u001f]+$/i.test(u) || u.length > 2048) return null;
  return splitCredentials(u).url;
}

async function mediaService(session: SoapSession, device: URL): Promise<URL> {
  let reported = '';
  try {
    const caps = await session.call(DEVICE('GetCapabilities'), '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>');
    reported = textOf(path(caps, 'Capabilities', 'Media', 'XAddr'));
  } catch (e) {
    if (!(e instanceof OnvifFaultError)) throw e;
  }
  if (!reported) {
    // Newer devices may answer only GetServices (ONVIF Core: GetCapabilities is deprecated).
    const services = await session.call(DEVICE('GetServices'), '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>');
    const media = childrenNamed(services, 'Service').find((s) => textOf(child(s, 'Namespace')) === 'http://www.onvif.org/ver10/media/wsdl');
    reported = textOf(child(media, 'XAddr'));
  }
  const url = reported ? serviceAddress(reported, device) : undefined;
  if (!url) throw new OnvifError('unsupported', 'The device offers no ONVIF media service (Profile S) the console can use.');
  return url;
}

function readProfiles(answer: XmlElement, maxProfiles: number): OnvifProfile[] {
  const elements = childrenNamed(answer, 'Profiles');
  if (elements.length > maxProfiles) {
    throw new OnvifError('unsupported', `The device reports ${elements.length} media profiles; the console reads at most ${maxProfiles}.`);
  }
  const seen = new Set<string>();
  const out: OnvifProfile[] = [];
  for (const p of elements) {
    const token = clean(p.attrs.token ?? '', 64);
    if (!token || seen.has(token)) continue;
    seen.add(token);
    const encoder = child(p, 'VideoEncoderConfiguration');
    out.push({
      token,
      name: clean(textOf(child(p, 'Name'))),
      encoding: clean(textOf(child(encoder, 'Encoding')), 32),
      width: dimension(path(encoder, 'Resolution', 'Width')),
      height: dimension(path(encoder, 'Resolution', 'Height')),
      rtspUrl: null,
    });
  }
  return out;
}

/** RTP over RTSP (interleaved in the RTSP TCP connection): what the console's ingest uses. */
async function streamUri(session: SoapSession, media: URL, token: string): Promise<string | null> {
  // "RTSP" is RTP/RTSP/TCP in Media 1.0; a few old devices only take "UDP", which yields the same
  // rtsp:// URL (the transport is chosen at RTSP SETUP). A fault on both: the profile has no stream.
  for (const protocol of ['RTSP', 'UDP']) {
    try {
      const answer = await session.call(
        MEDIA('GetStreamUri'),
        `<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>${protocol}</tt:Protocol></tt:Transport>` +
          `</trt:StreamSetup><trt:ProfileToken>${escapeXml(token)}</trt:ProfileToken></trt:GetStreamUri>`,
        true,
        media,
      );
      return rtspOnly(textOf(path(answer, 'MediaUri', 'Uri')));
    } catch (e) {
      if (!(e instanceof OnvifFaultError)) throw e;
    }
  }
  return null;
}

/** Runs `fn` over `items`, at most `limit` at once; stops starting new ones after a failure. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function probeDevice(xaddr: string, username: string, password: string, opts: ProbeOptions = DEFAULT_PROBE_OPTIONS): Promise<OnvifDeviceInfo> {
  const device = deviceAddress(xaddr);
  const controller = new AbortController();
  const transport = new HttpTransport(controller.signal, {
    requestTimeoutMs: opts.requestTimeoutMs,
    maxResponseBytes: opts.maxResponseBytes,
    maxSockets: Math.max(1, opts.streamUriConcurrency),
  });
  const giveUp = setTimeout(() => {
    controller.abort(new OnvifError('timeout', `The device did not finish answering within ${opts.probeTimeoutMs / 1000} s (${transport.answered} requests answered).`));
  }, opts.probeTimeoutMs);
  const session = new SoapSession({ deviceUrl: device, username, password, transport, nowMs: opts.nowMs });
  try {
    await session.readClock();
    const info = await session.call(DEVICE('GetDeviceInformation'), '<tds:GetDeviceInformation/>');
    const media = await mediaService(session, device);
    const profiles = readProfiles(await session.call(MEDIA('GetProfiles'), '<trt:GetProfiles/>', true, media), opts.maxProfiles);
    const uris = await mapLimit(profiles, Math.max(1, opts.streamUriConcurrency), (p) => streamUri(session, media, p.token));
    return {
      manufacturer: clean(textOf(child(info, 'Manufacturer'))),
      model: clean(textOf(child(info, 'Model'))),
      profiles: profiles.map((p, i) => ({ ...p, rtspUrl: uris[i] ?? null })),
    };
  } catch (e) {
    if (e instanceof OnvifError) throw e;
    // A bug here must not take the engine down nor leak details: say it in words.
    throw new OnvifError('malformed', `The device's answers could not be read (${e instanceof Error ? e.name : 'error'}).`);
  } finally {
    clearTimeout(giveUp);
    controller.abort(new OnvifError('timeout', 'The device read has ended.'));
    await transport.close();
  }
}
