// ONVIF behind a small adapter (issue 3 §2), so node-onvif can be swapped. node-onvif speaks
// WS-UsernameToken for SOAP and WS-Discovery for probes; it has no types, so its answers are read
// defensively here and nowhere else.
import { createRequire } from 'node:module';
import { splitCredentials } from '../../../shared/cameras';

export interface DiscoveredDevice {
  xaddr: string;
  name: string;
  hardware: string;
}

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

export interface OnvifClient {
  discover(): Promise<DiscoveredDevice[]>;
  probe(xaddr: string, username: string, password: string): Promise<OnvifDeviceInfo>;
}

/** A failure worth showing to an administrator as it is (no stack, no credentials). */
export class OnvifError extends Error {
  constructor(
    readonly kind: 'auth' | 'unreachable' | 'fault' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

interface NodeOnvifModule {
  OnvifDevice: new (opts: { xaddr: string; user: string; pass: string }) => {
    init(): Promise<unknown>;
    getInformation(): unknown;
    getProfileList(): unknown;
  };
  startProbe(): Promise<unknown>;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new OnvifError('timeout', `${what} did not answer within ${ms / 1000} s.`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export function classifyOnvifError(err: unknown): OnvifError {
  if (err instanceof OnvifError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const clean = text.replace(/\w+:\/\/\S+/g, '<device>').slice(0, 300);
  if (/NotAuthorized|not authorized|401|Unauthorized|authentication|Sender not Authorized/i.test(text)) {
    return new OnvifError('auth', 'The device refused the user name or password.');
  }
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|ECONNRESET|socket hang up/i.test(text)) {
    return new OnvifError('unreachable', 'The device cannot be reached at that address.');
  }
  return new OnvifError('fault', `The device answered with an error: ${clean}`);
}

export function createNodeOnvifClient(opts: { timeoutMs?: number } = {}): OnvifClient {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const load = (): NodeOnvifModule => createRequire(import.meta.url)('node-onvif') as NodeOnvifModule;
  return {
    async discover() {
      const onvif = load();
      const found = await withTimeout(onvif.startProbe(), timeoutMs, 'Discovery');
      return (Array.isArray(found) ? found : []).map((d: unknown) => {
        const o = obj(d);
        const xaddrs = Array.isArray(o.xaddrs) ? o.xaddrs.map(str) : [];
        return { xaddr: xaddrs[0] ?? '', name: str(o.name), hardware: str(o.hardware) };
      }).filter((d) => d.xaddr);
    },
    async probe(xaddr, username, password) {
      const onvif = load();
      const device = new onvif.OnvifDevice({ xaddr, user: username, pass: password });
      try {
        await withTimeout(device.init(), timeoutMs, 'The device');
      } catch (err) {
        throw classifyOnvifError(err);
      }
      const info = obj(device.getInformation());
      const list = device.getProfileList();
      const profiles = (Array.isArray(list) ? list : []).map((p: unknown): OnvifProfile => {
        const o = obj(p);
        const encoder = obj(obj(o.video).encoder);
        const resolution = obj(encoder.resolution);
        const rtsp = str(obj(o.stream).rtsp);
        return {
          token: str(o.token),
          name: str(o.name),
          encoding: str(encoder.encoding),
          width: Number(resolution.width) || 0,
          height: Number(resolution.height) || 0,
          rtspUrl: rtsp ? splitCredentials(rtsp).url : null,
        };
      });
      return { manufacturer: str(info.Manufacturer), model: str(info.Model), profiles };
    },
  };
}
