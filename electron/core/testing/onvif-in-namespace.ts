// Run ONLY inside a private network namespace with loopback multicast (see onvif.test.ts):
// the engine discovers simulated cameras over WS-Discovery, reads a device by address, refuses a
// wrong password and a device that answers faults, and adds a camera by ONVIF. Prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMALL_PICTURE, startSimulator } from '../../../tools/camera-sim/client';
import { systemClock } from '../clock';
import type { Connection } from '../dispatcher';
import { createEngine } from '../engine';
import { silentLogger } from '../logger';
import { createKeytarSecretStore } from '../secrets/secret-store';

const PASSWORD = 'On@vif:p/ss#%';
const sim = await startSimulator({ cameras: 3, discovery: true, user: 'onvif.admin', password: PASSWORD, faultyOnvif: [3], size: SMALL_PICTURE });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onvif-ns-'));
const engine = await createEngine({ clock: systemClock, dataDir, logger: silentLogger, secrets: createKeytarSecretStore({ service: 'operator-console-test' }) });
const conn: Connection = { id: 'ns', transport: 'ws', peer: 'ns' };
const call = (name: string, payload: unknown) => engine.dispatch(conn, name, payload);
try {
  await call('setup.createAdmin', { username: 'ns.admin', displayName: 'NS', password: 'Quiet-Harbour-Lantern-42' });
  await call('auth.signIn', { username: 'ns.admin', password: 'Quiet-Harbour-Lantern-42' });
  const text = await call('commitment.get', { language: 'en' });
  if (!text.ok) throw new Error('commitment');
  await call('commitment.accept', { version: (text.value as { version: string }).version });
  const group = await call('groups.create', { name: 'ONVIF', description: '' });
  const groupId = group.ok ? (group.value as { id: number }).id : 0;

  const discovered = await call('cameras.discover', {});
  const [c1, , c3] = sim.cameras;
  const probe = await call('cameras.probe', { xaddr: c1!.onvifUrl, username: 'onvif.admin', password: PASSWORD });
  const wrong = await call('cameras.probe', { xaddr: c1!.onvifUrl, username: 'onvif.admin', password: 'wrong' });
  const faulty = await call('cameras.probe', { xaddr: c3!.onvifUrl, username: 'onvif.admin', password: PASSWORD });
  const unreachable = await call('cameras.probe', { xaddr: 'http://127.0.0.1:9/onvif/device_service', username: 'x', password: 'y' });
  const added = await call('cameras.add', {
    settings: { name: 'ONVIF cam', site: 'Lab', groupId, purpose: 'ONVIF add by address', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'onvif', xaddr: c1!.onvifUrl, mainProfile: 'Profile_main', subProfile: 'Profile_sub' },
    username: 'onvif.admin',
    password: PASSWORD,
  });
  // The ONVIF camera goes live with the password from the keychain.
  let state = '';
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const list = await call('cameras.adminList', {});
    state = list.ok ? ((list.value as { cameras: { main: { state: string } }[] }).cameras[0]?.main.state ?? '') : '';
    if (state === 'live') break;
    await new Promise((r) => setTimeout(r, 300));
  }
  process.stdout.write(JSON.stringify({ sim: sim.cameras.map((c) => c.onvifUrl), discovered, probe, wrong, faulty, unreachable, added, state }) + '\n');
} finally {
  await engine.close();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
