// `npm run demo`: a working console in under a minute, for newcomers and training. Starts the
// camera simulator, a fresh host-mode engine, and demo accounts with random passwords (printed
// here, nowhere else). Nothing of this is used by the desktop app.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../tools/camera-sim/client';
import { systemClock } from '../electron/core/clock';
import type { Connection } from '../electron/core/dispatcher';
import { createEngine } from '../electron/core/engine';
import { startHost } from '../electron/core/host/server';
import { createJsonLogger } from '../electron/core/logger';
import { createKeytarSecretStore } from '../electron/core/secrets/secret-store';

// --spare: simulated cameras left out of the console, for an administrator to practise adding one.
const { values } = parseArgs({ options: { cameras: { type: 'string', default: '6' }, spare: { type: 'string', default: '2' }, port: { type: 'string', default: '0' } } });
const added = Number(values.cameras);
const spare = Number(values.spare);
if (!Number.isInteger(added) || added < 1 || !Number.isInteger(spare) || spare < 0 || added + spare > 64) {
  process.stderr.write('usage: npm run demo -- [--cameras N (1-64, default 6)] [--spare M (default 2)] [--port P]\n');
  process.exit(2);
}
const repo = path.resolve(import.meta.dirname, '..');
const secret = () => `${randomBytes(6).toString('base64url')}-${randomBytes(4).toString('hex')}`;

// Camera passwords go to the OS keychain. A machine without one (a server, a container) gets a
// throwaway keyring for this run: the demo re-runs itself inside scripts/with-keyring.sh.
const secrets = createKeytarSecretStore();
try {
  await secrets.set('demo:probe', 'probe');
  await secrets.delete('demo:probe');
} catch {
  if (process.env.CONSOLE_DEMO_KEYRING) throw new Error('no OS keychain even inside with-keyring.sh');
  process.stderr.write('No OS keychain reachable here: running the demo with a throwaway keyring.\n');
  // Its own process group, so a stop reaches the demo inside the D-Bus session, not only the wrapper.
  const child = spawn(path.join(repo, 'scripts/with-keyring.sh'), [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, CONSOLE_DEMO_KEYRING: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.kill(-child.pid!, sig));
  child.on('exit', (code) => process.exit(code ?? 1));
  await new Promise(() => {});
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-demo-'));
const camUser = 'demo';
const camPassword = secret();
const sim = await startSimulator({ cameras: added + spare, auth: 'digest', user: camUser, password: camPassword });
const logger = createJsonLogger((line) => {
  if (/"level":"(error)"/.test(line)) process.stderr.write(line + '\n');
});
const engine = await createEngine({ clock: systemClock, dataDir, logger, secrets });
const host = await startHost({ engine, logger, rendererDir: path.join(repo, 'dist/renderer'), port: Number(values.port) });

async function as(connection: Connection) {
  return async <T = Record<string, unknown>>(name: string, payload: unknown): Promise<T> => {
    const r = await engine.dispatch(connection, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
}
const admin = { username: 'demo.admin', password: secret() };
const call = await as({ id: 'demo-seed', transport: 'ws', peer: 'demo seed' });
await call('setup.createAdmin', { username: admin.username, displayName: 'Demo Administrator', password: admin.password });
await call('auth.signIn', admin);
await call('commitment.accept', { version: (await call<{ version: string }>('commitment.get', { language: 'en' })).version });
const city = (await call<{ id: number }>('groups.create', { name: 'City centre', description: 'Public space cameras' })).id;
const school = (await call<{ id: number }>('groups.create', { name: 'School No. 5', description: 'School building and yard' })).id;
const names = ['Market square north', 'Market square south', 'Town hall entrance', 'Tram stop Rondo', 'School gate', 'School yard', 'Bus depot', 'Car park P1'];
for (const [i, c] of sim.cameras.slice(0, added).entries()) {
  const inSchool = i >= 4 && i < 6;
  await call('cameras.add', {
    settings: {
      name: names[i] ?? c.name,
      site: inSchool ? 'School No. 5' : 'City centre',
      groupId: inSchool ? school : city,
      purpose: inSchool ? 'Safety of pupils and staff (Education Law art. 108a)' : 'Public order and safety in public space',
      areaType: inSchool ? 'office' : 'public_space',
      retentionDays: inSchool ? 3 : 14,
      retentionReason: null,
      location: `Pole ${i + 1}`,
      locationConfidential: inSchool,
    },
    source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
    username: camUser,
    password: camPassword,
  });
}
// The auditor (the DPO) first: the site's first approver, who then approves, as the second person,
// every other grant of access (docs/design/authorised-persons.md; KRK §5.4.5).
const people = [
  { username: 'demo.auditor', displayName: 'Eva Nováková', role: 'auditor', groupIds: [] },
  { username: 'demo.guard', displayName: 'Jan Kowalski', role: 'guard', groupIds: [city] },
  { username: 'demo.reviewer', displayName: 'Ona Petraitė', role: 'reviewer', groupIds: [city, school] },
  { username: 'demo.supervisor', displayName: 'Petr Dvořák', role: 'supervisor', groupIds: [city, school] },
];
const accounts = [{ ...admin, role: 'administrator' }];
const approver = await as({ id: 'demo-approver', transport: 'ws', peer: 'demo seed' });
for (const p of people) {
  const temp = secret();
  await call('users.create', { ...p, language: 'en', initialPassword: temp, basis: 'demo: authorisation order 3/2026' });
  // The demo replaces the temporary password itself so the printed one works at once; each person
  // still accepts the confidentiality commitment on first sign-in, as in real use (the DPO here, to approve).
  const signIn = await as({ id: `demo-${p.username}`, transport: 'ws', peer: 'demo seed' });
  const password = secret();
  await signIn('auth.signIn', { username: p.username, password: temp });
  await signIn('auth.changePassword', { currentPassword: temp, newPassword: password });
  await signIn('auth.signOut', {});
  accounts.push({ username: p.username, password, role: p.role });
  if (p.role === 'auditor') {
    await approver('auth.signIn', { username: p.username, password });
    await approver('commitment.accept', { version: (await approver<{ version: string }>('commitment.get', { language: 'en' })).version });
  } else {
    for (const g of (await call<{ grants: { id: number; username: string }[] }>('access.grants', { state: 'pending' })).grants) await approver('access.approve', { grantId: g.id });
  }
}
await approver('auth.signOut', {});
await call('auth.signOut', {});

const control = (i: number, what: 'stop' | 'start') => `curl -X POST ${sim.controlUrl}/cameras/${i}/${what}`;
const spares = sim.cameras.slice(added);
process.stdout.write(`
Operator console demo is running.
  Open:      ${host.url}
  Data:      ${dataDir} (deleted when you stop the demo)

  Accounts (passwords are random for this run):
${accounts.map((a) => `    ${a.role.padEnd(14)} ${a.username.padEnd(17)} ${a.password}`).join('\n')}

  Cameras: ${sim.cameras.length} simulated, ${added} of them added to the console.
    Camera user name ${camUser}, password ${camPassword} (the same for every simulated camera)
${sim.cameras.map((c, i) => `    ${String(i + 1).padStart(2)}. ${(i < added ? (names[i] ?? c.name) : 'not added: practise adding it').padEnd(30)} RTSP ${c.rtspMain}  sub ${c.rtspSub}  ONVIF ${c.onvifUrl}`).join('\n')}
${spares.length ? `    To practise adding a camera: Administration > Cameras > Add, then the RTSP or ONVIF address of camera ${added + 1} above.\n` : ''}
  Show a failure (camera N loses power, then comes back):
    ${control(1, 'stop')}
    ${control(1, 'start')}
    (add ?mode=close to the stop to drop its connections at once; status: curl ${sim.controlUrl}/status)

Stop with Ctrl+C.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await engine.close();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
