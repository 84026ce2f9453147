// WS-Discovery responder (multicast 239.255.255.250:3702) answering Probe with one ProbeMatches
// message per running camera. Only ever run it inside a private network namespace
// (`unshare -n`, see README): on the host, multicast would reach the real network.
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';

export const WSD_ADDRESS = '239.255.255.250';
export const WSD_PORT = 3702;

export interface DiscoverableCamera {
  urn: string;
  xaddr: string;
  scopes: string[];
}

/** True when the process sees no network interface but loopback (a private namespace). */
export function inPrivateNetworkNamespace(): boolean {
  try {
    // /proc/self/net/dev lists the interfaces of this process's network namespace
    // (/sys/class/net would show the host's: sysfs is not remounted by `unshare -n`).
    const names = readFileSync('/proc/self/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((l) => l.split(':')[0]?.trim())
      .filter((n): n is string => !!n);
    return names.length > 0 && names.every((n) => n === 'lo');
  } catch {
    return false;
  }
}

export function cameraUrn(index: number): string {
  return `urn:uuid:5ca1ab1e-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

function text(xml: string, local: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>`).exec(xml)?.[1]?.trim();
}

export class DiscoveryResponder {
  private socket: dgram.Socket | undefined;

  constructor(private readonly cameras: () => DiscoverableCamera[]) {}

  async start(): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(WSD_PORT, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.addMembership(WSD_ADDRESS, '127.0.0.1');
    socket.setMulticastInterface('127.0.0.1');
    socket.setMulticastLoopback(true);
    socket.on('message', (msg, rinfo) => this.onMessage(msg.toString('utf8'), rinfo));
    socket.on('error', () => undefined);
    this.socket = socket;
  }

  private onMessage(xml: string, rinfo: dgram.RemoteInfo): void {
    if (!/<(?:[\w.-]+:)?Probe[\s>]/.test(xml)) return;
    const types = text(xml, 'Types') ?? '';
    // Answer probes for any device, or for ONVIF video transmitters / devices.
    if (types && !/NetworkVideoTransmitter|(?:^|[\s:])Device\b/.test(types)) return;
    const relatesTo = text(xml, 'MessageID') ?? '';
    for (const cam of this.cameras()) {
      const reply =
        `<?xml version="1.0" encoding="UTF-8"?>` +
        `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
        `xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" ` +
        `xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Header>` +
        `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${relatesTo}</a:RelatesTo>` +
        `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>` +
        `<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>` +
        `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${cam.urn}</a:Address></a:EndpointReference>` +
        `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${cam.scopes.join(' ')}</d:Scopes>` +
        `<d:XAddrs>${cam.xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;
      this.socket?.send(reply, rinfo.port, rinfo.address);
    }
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
