// ONVIF behind a small adapter (docs/design/onvif.md), so the engine never sees SOAP. Discovery
// (WS-Discovery multicast) goes through node-onvif; reading a device goes through the console's
// own SOAP client (onvif-probe.ts), which answers HTTP Digest, signs with the device's clock,
// reads stream URIs in parallel and cancels what is left when it gives up.
import { createRequire } from 'node:module';
import { OnvifError } from './onvif-error';
import { DEFAULT_PROBE_OPTIONS, probeDevice, type OnvifDeviceInfo, type ProbeOptions } from './onvif-probe';

export { OnvifError, ONVIF_ERROR_KINDS, type OnvifErrorKind } from './onvif-error';
export type { OnvifDeviceInfo, OnvifProfile } from './onvif-probe';

export interface DiscoveredDevice {
  xaddr: string;
  name: string;
  hardware: string;
}

export interface OnvifClient {
  discover(): Promise<DiscoveredDevice[]>;
  probe(xaddr: string, username: string, password: string): Promise<OnvifDeviceInfo>;
}

/** node-onvif has no types; only its WS-Discovery probe is used, and its answer is read defensively. */
interface NodeOnvifModule {
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

export interface OnvifClientOptions extends Partial<ProbeOptions> {
  /** Limit for discovery, and for a whole probe unless `probeTimeoutMs` is given. */
  timeoutMs?: number;
}

export function createOnvifClient(opts: OnvifClientOptions = {}): OnvifClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_OPTIONS.probeTimeoutMs;
  const { timeoutMs: _unused, ...overrides } = opts;
  const probeOptions: ProbeOptions = { ...DEFAULT_PROBE_OPTIONS, probeTimeoutMs: timeoutMs, ...overrides };
  const load = (): NodeOnvifModule => createRequire(import.meta.url)('node-onvif') as NodeOnvifModule;
  return {
    async discover() {
      let found: unknown;
      try {
        found = await withTimeout(load().startProbe(), timeoutMs, 'Discovery');
      } catch (err) {
        if (err instanceof OnvifError) throw err;
        throw new OnvifError('unreachable', `Discovery failed (${err instanceof Error ? err.name : 'error'}).`);
      }
      return (Array.isArray(found) ? found : [])
        .map((d: unknown) => {
          const o = obj(d);
          const xaddrs = Array.isArray(o.xaddrs) ? o.xaddrs.map(str) : [];
          return { xaddr: xaddrs[0] ?? '', name: str(o.name), hardware: str(o.hardware) };
        })
        .filter((d) => d.xaddr);
    },
    probe(xaddr, username, password) {
      return probeDevice(xaddr, username, password, probeOptions);
    },
  };
}

/** The name the engine and the test harness know; the probe no longer uses node-onvif. */
export const createNodeOnvifClient = createOnvifClient;
