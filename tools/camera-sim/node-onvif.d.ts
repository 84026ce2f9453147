// Minimal typings for the parts of node-onvif used by the simulator's tests.
declare module 'node-onvif' {
  export interface OnvifProfile {
    token: string;
    name: string;
    snapshot: string;
    stream: { udp: string; http: string; rtsp: string };
    video: {
      source: { token: string; name: string; bounds: { width: number; height: number; x: number; y: number } } | null;
      encoder: {
        token: string;
        name: string;
        resolution: { width: number; height: number };
        quality: number;
        framerate: number;
        bitrate: number;
        encoding: string;
      } | null;
    };
  }
  export class OnvifDevice {
    constructor(params: { xaddr: string; user?: string; pass?: string });
    init(): Promise<Record<string, string>>;
    getUdpStreamUrl(): string;
    getProfileList(): OnvifProfile[];
    getCurrentProfile(): OnvifProfile;
    changeProfile(indexOrToken: number | string): OnvifProfile | null;
    fetchSnapshot(): Promise<{ headers: Record<string, string>; body: Buffer }>;
  }
  export interface ProbeResult {
    urn: string;
    name: string;
    hardware: string;
    location: string;
    types: string[];
    xaddrs: string[];
    scopes: string[];
  }
  export function startProbe(): Promise<ProbeResult[]>;
  const onvif: { OnvifDevice: typeof OnvifDevice; startProbe: typeof startProbe };
  export default onvif;
}
