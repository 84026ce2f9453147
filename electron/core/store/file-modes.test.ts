// Data files readable by other users (fault): a data directory that already existed with 0755 kept
// the database, its WAL/SHM and the audit anchor at 0644. Rule: the directory is 0700 and every
// file the engine makes in it 0600, whatever was there before and whatever the umask.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ANCHOR_FILE } from '../audit/audit-log';
import { createJsonLogger } from '../logger';
import { ADMIN, addOfflineCamera, recordFootage, setUpAdmin, signInReady, startTestEngine } from '../testing/harness';
import { DATABASE_FILE } from './db';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const modeOf = (p: string) => `0${(fs.statSync(p).mode & 0o7777).toString(8)}`;

/** Every file and folder under dir (recordings included), with its mode. */
function allModes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': modeOf(dir) };
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(dir, abs)] = modeOf(abs);
  }
  return out;
}

function expectPrivate(dir: string) {
  const modes = allModes(dir);
  for (const [name, mode] of Object.entries(modes)) {
    const isDir = fs.statSync(path.join(dir, name)).isDirectory();
    expect(mode, `${name}`).toBe(isDir ? '0700' : '0600');
  }
  return modes;
}

/** An engine that signs in, writes audit entries (the anchor) and a recording, then stays open. */
async function busyEngine(dataDir: string, logLines: string[] = []) {
  const t = await startTestEngine(dataDir, { logger: createJsonLogger((l) => logLines.push(l)) });
  const setUp = (await t.connect().must('setup.status', {})).needsSetup;
  const admin = setUp ? await setUpAdmin(t) : await signInReady(t, ADMIN.username, ADMIN.password);
  const cameras = (await admin.must('cameras.adminList', {})).cameras;
  const cam = cameras[0]?.id ?? (await addOfflineCamera(admin, 'Gate', (await admin.must('groups.create', { name: 'Modes', description: '' })).id));
  await recordFootage(t, [cam], 2);
  await t.engine.audit.drain();
  return t;
}

describe('data files are private to the engine user', () => {
  it('a pre-existing 0755 directory with 0644 files is restricted at start-up, and the change is logged once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modes-existing-'));
    dirs.push(dataDir);
    // A data directory as an older version left it: engine run once, then everything opened up.
    const first = await busyEngine(dataDir);
    await first.dispose();
    const db = path.join(dataDir, DATABASE_FILE);
    // A connection that stays open keeps -wal and -shm on disk, as after a crash.
    const holder = new BetterSqlite3(db);
    holder.pragma('journal_mode = WAL');
    holder.prepare('SELECT count(*) FROM audit_log').get();
    fs.writeFileSync(path.join(dataDir, `${ANCHOR_FILE}.tmp`), '{}', { mode: 0o644 });
    const loose = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, ANCHOR_FILE, `${ANCHOR_FILE}.tmp`];
    for (const f of loose) {
      expect(fs.existsSync(path.join(dataDir, f)), f).toBe(true);
      fs.chmodSync(path.join(dataDir, f), 0o644);
    }
    for (const d of ['.', 'recordings', 'exports']) {
      fs.mkdirSync(path.join(dataDir, d), { recursive: true });
      fs.chmodSync(path.join(dataDir, d), 0o755);
    }

    // The line goes to the engine's logger, or to stderr (the JSON logger's default) while the
    // engine does not hand its logger to openStore: both are collected.
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stderr.write;
    let t: Awaited<ReturnType<typeof busyEngine>>;
    try {
      t = await busyEngine(dataDir, lines);
    } finally {
      process.stderr.write = write;
    }
    try {
      const modes = expectPrivate(dataDir);
      for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, ANCHOR_FILE]) expect(modes[f], f).toBe('0600');
      const fixed = lines.filter((l) => l.includes('modes restricted'));
      expect(fixed).toHaveLength(1);
      const line = fixed[0]!;
      for (const f of loose) expect(line).toContain(`${f} 0644->0600`);
      expect(line).toContain('. 0755->0700');
      expect(line).toContain('recordings 0755->0700');
      expect(line).toContain('exports 0755->0700');
    } finally {
      holder.close();
      await t.dispose();
    }

    // Nothing to change the next time: no line.
    const again: string[] = [];
    const t2 = await startTestEngine(dataDir, { logger: createJsonLogger((l) => again.push(l)) });
    await t2.dispose();
    expect(again.filter((l) => l.includes('modes restricted'))).toEqual([]);
  }, 60_000);

  it('with umask 0 every file the engine creates is still 0600 and every folder 0700', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'modes-umask-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'data');
    const old = process.umask(0);
    let t: Awaited<ReturnType<typeof busyEngine>> | null = null;
    const lines: string[] = [];
    try {
      t = await busyEngine(dataDir, lines);
      // While the engine runs: the database with its WAL and SHM, the anchor, recordings.
      const modes = expectPrivate(dataDir);
      for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, ANCHOR_FILE]) expect(modes[f], f).toBe('0600');
      expect(Object.keys(modes).some((k) => k.startsWith('recordings/') && k.endsWith('.mp4'))).toBe(true);
      // A sign-in more: the anchor is rewritten (temporary file, rename) and stays 0600.
      const c = t.connect();
      await c.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
      await t.engine.audit.drain();
      expect(modeOf(path.join(dataDir, ANCHOR_FILE))).toBe('0600');
      // Created private, not repaired afterwards: nothing to report.
      expect(lines.filter((l) => l.includes('modes restricted'))).toEqual([]);
    } finally {
      process.umask(old);
      await t?.dispose();
    }
  }, 60_000);
});
