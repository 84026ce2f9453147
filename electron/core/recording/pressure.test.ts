// Disk pressure (docs/design/recording.md): a recordings root on a small filesystem (a 256 MiB tmpfs in the
// test's own mount namespace), filled until the quota acts: oldest unheld footage deleted first,
// held footage kept, alarm raised, database intact, recording resumes when space returns.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';

const run = promisify(execFile);
const CHILD = path.join(import.meta.dirname, '../testing/pressure-child.ts');
let sim: SimulatorHandle;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pressure-'));
});
afterAll(async () => {
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('recording under disk pressure (small filesystem)', () => {
  it('deletes oldest unheld footage first, never held footage, stops with an alarm when only held footage is left, resumes', { timeout: 240_000 }, async () => {
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    const script = `mount -t tmpfs -o size=256m tmpfs "${mnt}" && exec "${process.execPath}" --import tsx "${CHILD}" "${path.join(dir, 'data')}" "${path.join(mnt, 'recordings')}" "${sim.cameras[0]!.rtspMain}"`;
    const { stdout } = await run('unshare', ['-m', 'sh', '-c', script], { timeout: 200_000, maxBuffer: 8 * 1024 * 1024 });
    const phases = Object.fromEntries(
      stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => {
        const o = JSON.parse(l) as { phase: string } & Record<string, unknown>;
        return [o.phase, o];
      }),
    ) as Record<string, Record<string, unknown>>;

    expect(phases.recording?.recording).toBe('recording');

    // Quota 128 MiB: the oldest unheld seeded files went, the two held (oldest of all) stayed.
    const q = phases.quota!;
    expect(q.settled, `the quota sweep had not finished after ${String(q.sweepMs)} ms: ${JSON.stringify(q)}`).toBe(true);
    const left = q.seededLeft as boolean[];
    expect(left.slice(0, 2)).toEqual([true, true]);
    const firstKept = left.indexOf(true, 2);
    expect(left.slice(2, firstKept).every((k) => !k)).toBe(true); // deleted in age order
    expect(left.slice(firstKept).every((k) => k)).toBe(true);
    expect((q.deletionCauses as string[]).every((c) => c === 'quota')).toBe(true);
    expect(q.usedMiB as number).toBeLessThanOrEqual(128);
    expect(q.activeAlarms).toContain('warning:storage.pressure');

    // Everything held and the disk full: nothing deleted, recording stopped, critical alarm.
    const f = phases.full!;
    expect(f.recording).toBe('stopped_storage_full');
    expect(f.activeAlarms).toContain('critical:storage.full');
    expect(f.rowsKept as number).toBeGreaterThanOrEqual(left.filter(Boolean).length);

    // Space returns: recording resumes by itself, the critical alarm clears.
    const r = phases.resumed!;
    expect(r.recording).toBe('recording');
    expect(r.activeAlarms).not.toContain('critical:storage.full');
    expect(r.newFiles as number).toBeGreaterThan(0);

    expect(phases.end).toMatchObject({ integrity: 'ok', auditOk: true });
    expect(phases.end!.alarmsAudited).toEqual(expect.arrayContaining(['storage.pressure', 'storage.full']));
  });
});
