// The simulator's command line: its options, their defaults and their checks (sim.ts runs it).
import { readFileSync } from 'node:fs';
import type { AuthMode, Codec, PictureSize } from './onvif';

export interface SimOptions {
  cameras: number;
  portBase: number; // 0 = every port chosen by the OS
  auth: AuthMode;
  codec: Codec;
  /** The main stream's picture; the sub stream is half of it each way. */
  size: PictureSize;
  user: string;
  password: string;
  faultyOnvif: number[];
  /** Cameras with pan-tilt-zoom: an ONVIF PTZ service and their own moving picture. */
  ptz: number[];
  discovery: boolean;
  discoveryOnHost: boolean;
  verbose: boolean;
  /** The IPv4 address the RTSP server listens on (default 127.0.0.1; another only inside a network
   *  namespace a test made, so cameras are reached from other namespaces). ONVIF and control stay on 127.0.0.1. */
  address: string;
}

export const DEFAULTS: SimOptions = {
  cameras: 4,
  portBase: 8554,
  auth: 'digest',
  codec: 'h264',
  size: { width: 1280, height: 720 },
  user: 'admin',
  password: 'admin',
  faultyOnvif: [],
  ptz: [],
  discovery: false,
  discoveryOnHost: false,
  verbose: false,
  address: '127.0.0.1',
};

const USAGE = `usage: npm run sim -- --cameras N [--port-base P] [--auth digest|basic|none] [--codec h264|h265] [--size WxH]
                     [--user U --password PW | --password-file F] [--faulty-onvif I[,J...]] [--ptz I[,J...]] [--discovery] [--verbose]
ports: RTSP P (all mounts /camI/main, /camI/sub), control P+99, ONVIF camera I: P+100+I.
--port-base 0 lets the OS pick every port (printed in the ready line).
--size: the main stream's picture (default 1280x720); the sub stream is half of it each way.
--ptz: these cameras pan, tilt and zoom over a larger scene (ONVIF PTZ service); each costs its own encode.
--address A: RTSP on this IPv4 address instead of 127.0.0.1 (inside a test's network namespace only).`;

export function parseArgs(argv: string[]): SimOptions {
  const o: SimOptions = { ...DEFAULTS, faultyOnvif: [], ptz: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag}: expected an integer in [${min}, ${max}], got ${v}`);
      return n;
    };
    switch (flag) {
      case '--cameras':
        o.cameras = int(1, 64);
        break;
      case '--port-base':
        o.portBase = int(0, 65535 - 200);
        break;
      case '--auth': {
        const v = value();
        if (v !== 'digest' && v !== 'basic' && v !== 'none') throw new Error(`--auth: digest, basic or none\n${USAGE}`);
        o.auth = v;
        break;
      }
      case '--codec': {
        const v = value();
        if (v !== 'h264' && v !== 'h265') throw new Error(`--codec: h264 or h265\n${USAGE}`);
        o.codec = v;
        break;
      }
      case '--size':
        o.size = parseSize(value());
        break;
      case '--user':
        o.user = value();
        break;
      case '--password':
        o.password = value();
        break;
      case '--password-file': {
        // Keeps the password out of every argv (tests scan /proc/*/cmdline for it); one trailing
        // line end is dropped (echo adds one).
        const file = value();
        try {
          o.password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
        } catch (e) {
          throw new Error(`--password-file: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
        break;
      }
      case '--faulty-onvif':
        o.faultyOnvif.push(...value().split(',').map((s) => Number(s)));
        break;
      case '--ptz':
        o.ptz.push(...value().split(',').map((s) => Number(s)));
        break;
      case '--discovery':
        o.discovery = true;
        break;
      case '--discovery-on-host':
        o.discovery = true;
        o.discoveryOnHost = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--address': {
        const v = value();
        if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(v) || v.split('.').some((p) => Number(p) > 255)) throw new Error(`--address: an IPv4 address, got ${v}\n${USAGE}`);
        o.address = v;
        break;
      }
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (o.faultyOnvif.some((n) => !Number.isInteger(n) || n < 1 || n > o.cameras)) throw new Error('--faulty-onvif: camera numbers from 1 to --cameras');
  if (o.ptz.some((n) => !Number.isInteger(n) || n < 1 || n > o.cameras)) throw new Error('--ptz: camera numbers from 1 to --cameras');
  o.ptz = [...new Set(o.ptz)].sort((a, b) => a - b);
  if (/[:@/]/.test(o.user) || o.user === '') throw new Error('--user must be non-empty and contain no ":", "@" or "/"');
  return o;
}

/**
 * `WxH`, both multiples of 4 (the half-size sub stream stays even, as H.264's 4:2:0 needs), from
 * 320x180 to 3840x2160.
 */
export function parseSize(text: string): PictureSize {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(text);
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  if (!m || width % 4 !== 0 || height % 4 !== 0 || width < 320 || height < 180 || width > 3840 || height > 2160) {
    throw new Error(`--size: WxH with both multiples of 4, from 320x180 to 3840x2160, got ${text}`);
  }
  return { width, height };
}

