// ONVIF through the engine (docs/design/live-pipeline.md): discovery, add by address, wrong password, a device
// that answers faults — all inside a private network namespace (`unshare -n`), never on the host's
// network, with a throwaway keychain inside it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from './onvif-soap';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');

interface Outcome {
  sim: string[];
  discovered: { ok: boolean; value?: { devices: { xaddr: string; name: string }[] } };
  probe: { ok: boolean; value?: { manufacturer: string; profiles: { token: string; width: number; encoding: string; rtspUrl: string }[] } };
  wrong: { ok: boolean; error?: { kind: string; message: string } };
  faulty: { ok: boolean; error?: { kind: string; message: string } };
  unreachable: { ok: boolean; error?: { kind: string; message: string } };
  added: { ok: boolean; value?: { source: { mainUrl: string; subUrl: string }; hasPassword: boolean } };
  state: string;
}

describe('ONVIF cameras through the engine (private network namespace)', () => {
  it('discovers, reads by address, refuses wrong passwords and faulty devices, adds a camera that goes live', { timeout: 90_000 }, async () => {
    const script =
      'ip link set lo up multicast on && ip route add 224.0.0.0/4 dev lo && ' +
      `exec scripts/with-keyring.sh "${process.execPath}" --import tsx electron/core/testing/onvif-in-namespace.ts`;
    const { stdout, stderr } = await run('unshare', ['-n', 'sh', '-c', script], { cwd: REPO, timeout: 80_000, maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.trim().split('\n').pop() ?? '';
    expect(line.startsWith('{'), stderr.slice(-2000)).toBe(true);
    const o = JSON.parse(line) as Outcome;

    expect(o.discovered.ok).toBe(true);
    expect(o.discovered.value!.devices.map((d) => d.xaddr).sort()).toEqual([...o.sim].sort());

    expect(o.probe.ok).toBe(true);
    expect(o.probe.value!.profiles.map((p) => [p.token, p.width, p.encoding])).toEqual([
      ['Profile_main', 640, 'H264'],
      ['Profile_sub', 320, 'H264'],
    ]);
    expect(o.probe.value!.profiles.every((p) => !p.rtspUrl.includes('@'))).toBe(true);

    // The simulator signs in with WS-UsernameToken only: the message names what it refused.
    expect(o.wrong).toMatchObject({ ok: false, error: { kind: 'PermissionDenied', message: MESSAGES.tokenRefused } });
    expect(o.faulty.ok).toBe(false);
    expect(o.faulty.error!.kind).toBe('Unavailable');
    expect(o.unreachable).toMatchObject({ ok: false, error: { kind: 'Unavailable' } });

    expect(o.added.ok).toBe(true);
    expect(o.added.value!.hasPassword).toBe(true);
    expect(o.added.value!.source.mainUrl).not.toContain('@');
    expect(o.state).toBe('live');
    expect(line).not.toContain('On@vif:p/ss#%');
  });
});
