// Camera targets of the RTSP relay (docs/design/live-pipeline.md "Credential relay"): URL parsing
// and the registration record shared by the relay and its sessions.
import { splitCredentials } from '../../../shared/cameras';
import type { RelaySession } from './rtsp-relay-session';

/** What the relay connects to: the camera URL without credentials, and the credentials. */
export interface RtspTarget {
  url: string;
  username: string | null;
  password: string | null;
}

export interface CameraEndpoint {
  tls: boolean;
  /** For net.connect (IPv6 without brackets). */
  host: string;
  port: number;
  /** scheme://authority as written, without userinfo: what request URIs to the camera start with. */
  origin: string;
  /** Path and query ('' or starting with '/' or '?'). */
  rest: string;
}

/** @internal Shared with the session. */
export interface Registration {
  token: string;
  label: string;
  endpoint: CameraEndpoint;
  username: string | null;
  password: string | null;
  relayBase: string;
  /** A token opens one connection (it is readable in ffmpeg's argv): later ones are refused. */
  used: boolean;
  /** The process that may connect (ffmpeg); null: any (until bound). */
  pid: number | null;
  /** Set when the camera connection failed (for the ingest's tile text). */
  cameraError: string | null;
  closed: boolean;
  sessions: Set<RelaySession>;
}

/** Splits a camera URL; throws on anything but rtsp:// or rtsps:// with a host. Never keeps userinfo. */
export function parseCameraUrl(url: string): CameraEndpoint {
  const m = /^(rtsps?):\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m) throw new Error('not an rtsp:// or rtsps:// URL');
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!.slice(m[2]!.lastIndexOf('@') + 1);
  const hp = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hp) throw new Error('the camera URL has no valid host');
  const tls = scheme === 'rtsps';
  const port = hp[2] ? Number(hp[2]) : tls ? 322 : 554;
  if (port < 1 || port > 65535) throw new Error('the camera URL has an invalid port');
  return { tls, host: hp[1]!.replace(/^\[|\]$/g, ''), port, origin: `${scheme}://${authority}`, rest: m[3]! };
}

/** The target of a URL that may carry credentials (as CamerasService.connectUrl builds it). */
export function targetFromUrl(url: string): RtspTarget {
  return splitCredentials(url);
}

/** The camera URL for logs: never userinfo, whatever was passed in. */
export function safeCameraUrl(endpoint: CameraEndpoint): string {
  return endpoint.origin + endpoint.rest.replace(/\?.*$/, '');
}
