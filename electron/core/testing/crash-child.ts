// The recording engine as a crash test's victim (recording/crash.test.ts): a real engine recording
// one simulated camera. Prints `R {reconcile stats}` once started, then `A <path> <bytes>` after
// each fragment is written (stdout to a pipe is synchronous on Linux, so a printed line means the
// write() returned). Killed with SIGKILL at a random moment by the test.
// With `--after-go` it loads, then waits for a line on stdin before it starts the engine (and
// touches the data directory): the test loads the next victim while the current one records.
// Ending stdin before that line just exits.
import { systemClock } from '../clock';
import type { Connection } from '../dispatcher';
import { createEngineForTests } from './harness';
import { silentLogger } from '../logger';
import { NO_PASSWORDS } from '../secrets/secret-store';

const [dataDir, rtspUrl, afterGo] = process.argv.slice(2);
if (!dataDir || !rtspUrl) throw new Error('usage: crash-child DATA_DIR RTSP_URL [--after-go]');
if (afterGo === '--after-go') {
  const go = await new Promise<boolean>((resolve) => {
    process.stdin.once('data', () => resolve(true));
    process.stdin.once('end', () => resolve(false));
  });
  if (!go) process.exit(0);
  process.stdin.destroy();
}

const engine = await createEngineForTests({
  clock: systemClock,
  dataDir,
  logger: silentLogger,
  secrets: NO_PASSWORDS,
  recording: {
    rollMs: 3000,
    statfs: () => ({ freeBytes: 1e12, totalBytes: 2e12 }),
    onAppended: (_camera, relPath, bytes) => process.stdout.write(`A ${relPath} ${bytes}\n`),
  },
});
const reconciled = await engine.store.db.selectFrom('audit_log').select('details').where('action', '=', 'recordings.reconciled').orderBy('seq', 'desc').limit(1).executeTakeFirst();
process.stdout.write(`R ${reconciled?.details ?? '{}'}\n`);
const hasCamera = await engine.store.db.selectFrom('cameras').select('id').executeTakeFirst();
if (!hasCamera) {
  const c: Connection = { id: 'seed', transport: 'ws', peer: 'seed' };
  const call = async (name: string, payload: unknown) => {
    const r = await engine.dispatch(c, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as { id: number; version: string };
  };
  await call('setup.createAdmin', { username: 'crash.admin', displayName: 'Crash', password: 'Quiet-Harbour-Lantern-42' });
  await call('auth.signIn', { username: 'crash.admin', password: 'Quiet-Harbour-Lantern-42' });
  await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
  const group = await call('groups.create', { name: 'Crash', description: '' });
  await call('cameras.add', {
    settings: { name: 'Victim', site: 'Lab', groupId: group.id, purpose: 'crash test', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: rtspUrl, subUrl: null },
    username: null,
    password: null,
  });
}
setInterval(() => {}, 1 << 30);
