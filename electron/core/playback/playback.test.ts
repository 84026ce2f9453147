// R3: no recorded byte is served without an audit entry, written before, naming user, reason,
// cameras and time range; outside the token's cameras or range, or after expiry: 403.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOfflineCamera, addUser, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { PLAYBACK_TTL_MS } from './playback-service';
import { FileLinesCache, vodPlaylist } from './vod-playlist';
import { packGops } from '../recording/gop-index';

let t: TestEngine;
let reviewer: Caller;
let guard: Caller;
const cams: number[] = [];
let recordedFrom = 0;
let recordedTo = 0;

const reason = { category: 'incident_investigation' as const, text: 'Theft reported at the ticket machine', reference: 'INC-2026-118' };

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const g = await admin.must('groups.create', { name: 'Station', description: '' });
  for (const name of ['Platform 1', 'Platform 2']) cams.push(await addOfflineCamera(admin, name, g.id));
  reviewer = await addUser(t, admin, { username: 'rev.pb', role: 'reviewer', groupIds: [g.id], displayName: 'Reviewer' });
  guard = await addUser(t, admin, { username: 'guard.pb', role: 'guard', groupIds: [g.id], displayName: 'Guard' });
  // Two minutes of real footage for camera 1, written by the real recorder (one-minute files).
  recordedFrom = await recordFootage(t, [cams[0]!], 120);
  recordedTo = recordedFrom + 120_000;
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

const vodUrl = (cameraId: number, token: string, tail = 'index.m3u8') => `${t.engine.mediaOrigin}/vod/${cameraId}/${token}/${tail}`;

describe('R3 playback only with an audited reason', () => {
  it('serves nothing without a playback session; guards cannot open one', async () => {
    expect((await fetch(vodUrl(cams[0]!, 'A'.repeat(32)))).status).toBe(403);
    const r = await guard.call('playback.open', { cameraIds: [cams[0]!], fromMs: recordedFrom, toMs: recordedTo, reason });
    expect(r.ok === false && r.error.kind).toBe('PermissionDenied');
    const short = await reviewer.call('playback.open', { cameraIds: [cams[0]!], fromMs: recordedFrom, toMs: recordedTo, reason: { category: 'system_check', text: 'look' } });
    expect(short.ok === false && short.error.kind).toBe('InvalidArgument');
  });

  it('writes the audit entry (user, reason, cameras, range) before the first byte, then serves only the scope', async () => {
    const from = recordedFrom + 30_000;
    const to = recordedFrom + 50_000;
    const opened = await reviewer.must('playback.open', { cameraIds: [cams[0]!], fromMs: from, toMs: to, reason });
    const entry = await t.engine.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'playback.open').where('outcome', '=', 'allowed').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry.actor).toBe('rev.pb');
    expect(entry.reason).toBe(`incident_investigation: ${reason.text} [INC-2026-118]`);
    expect(entry.target).toContain(`cameras:${cams[0]}`);
    expect(entry.target).toContain(new Date(from).toISOString());
    t.clock.advance(5);
    const url = opened.streams[0]!.url;
    const playlist = await (await fetch(url)).text();
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toContain('#EXT-X-PROGRAM-DATE-TIME');
    // Only keyframe groups overlapping the range: 20 s of 1 s groups (+1 at each edge at most).
    const segments = playlist.match(/#EXTINF/g)!.length;
    expect(segments).toBeGreaterThanOrEqual(20);
    expect(segments).toBeLessThanOrEqual(22);
    const [, size, offset, recId] = /#EXT-X-BYTERANGE:(\d+)@(\d+)\nrec\/(\d+)\.mp4/.exec(playlist)!;
    const seg = await fetch(vodUrl(cams[0]!, url.split('/').at(-2)!, `rec/${recId}.mp4`), { headers: { Range: `bytes=${offset}-${Number(offset) + Number(size) - 1}` } });
    expect(seg.status).toBe(206);
    expect((await seg.arrayBuffer()).byteLength).toBe(Number(size));
    const grant = t.engine.playback.grant(opened.playbackId)!;
    expect(grant.firstByteAtMs).not.toBeNull();
    expect(Number(entry.at_ms)).toBeLessThan(grant.firstByteAtMs!);

    const token = url.split('/').at(-2)!;
    // Bytes of the file before the range (its first keyframe group): 403.
    const firstGopEnd = Number(offset) - 1;
    const early = await fetch(vodUrl(cams[0]!, token, `rec/${recId}.mp4`), { headers: { Range: `bytes=2000-${Math.max(2001, firstGopEnd)}` } });
    expect(early.status).toBe(403);
    // A camera not in the playback session, even one the reviewer can see: 403.
    expect((await fetch(vodUrl(cams[1]!, token))).status).toBe(403);
    // It plays: ffmpeg reads the playlist with byte ranges and decodes every frame.
    // (Asynchronously: the media server runs in this very process.)
    const probe = await promisify(execFile)('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', url], { encoding: 'utf8', timeout: 30_000 });
    expect(probe.stderr).toBe('');
    expect(Number(probe.stdout.trim().split('\n').at(-1)), probe.stdout).toBeGreaterThanOrEqual(20 * 25);
    // After the playback session expires: 403.
    t.clock.advance(PLAYBACK_TTL_MS);
    expect((await fetch(url)).status).toBe(403);
  });

  it('a 24-hour range with gaps plays across them: a discontinuity at every file boundary', () => {
    const files = [];
    const day = Date.UTC(2026, 10, 28);
    const gops = packGops(Array.from({ length: 60 }, (_, i) => ({ offset: 800 + i * 1000, size: 1000, startRelMs: i * 1000, durationMs: 1000 })));
    for (let m = 0; m < 24 * 60; m++) if (m % 180 > 20) files.push({ id: m + 1, startMs: day + m * 60_000, initBytes: 800, gops });
    const pl = vodPlaylist(files, day, day + 86_400_000);
    expect(pl.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(files.length - 1);
    expect(pl.match(/#EXTINF/g)).toHaveLength(files.length * 60);
    expect(pl.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    // The first segment after a 21-minute gap carries its own wall-clock time.
    expect(pl).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(day + 201 * 60_000).toISOString()}`);
  });
});

describe('VOD playlist times', () => {
  it('formats PROGRAM-DATE-TIME exactly as toISOString', () => {
    const gops = packGops([0, 999, 1000, 59_999].map((startRelMs, i) => ({ offset: 800 + i, size: 1, startRelMs, durationMs: 1 })));
    const start = Date.UTC(2026, 11, 31, 23, 59, 0, 7);
    const pl = vodPlaylist([{ id: 1, startMs: start, initBytes: 800, gops }], start, start + 120_000);
    const times = [...pl.matchAll(/PROGRAM-DATE-TIME:(\S+)/g)].map((m) => m[1]);
    expect(times).toEqual([0, 999, 1000, 59_999].map((d) => new Date(start + d).toISOString()));
  });

  it('a complete file\'s lines come from the cache unchanged; edges of the range and open files are built each time', () => {
    const gops = packGops(Array.from({ length: 60 }, (_, i) => ({ offset: 800 + i * 1000, size: 1000, startRelMs: i * 1000, durationMs: 1000 })));
    const day = Date.UTC(2026, 10, 28);
    const files = [0, 1, 2].map((m) => ({ id: m + 1, startMs: day + m * 60_000, endMs: day + (m + 1) * 60_000, initBytes: 800, complete: m < 2, gops }));
    const from = day + 30_000;
    const to = day + 180_000;
    const cache = new FileLinesCache();
    const fresh = vodPlaylist(files, from, to);
    expect(vodPlaylist(files, from, to, cache)).toBe(fresh);
    // Only file 2 is complete and wholly inside the range (file 1 is cut by `from`, file 3 is open).
    expect(cache.size).toBe(1);
    const withoutIndex = files.map((f) => (f.id === 2 ? { ...f, gops: null } : f));
    expect(vodPlaylist(withoutIndex, from, to, cache)).toBe(fresh);
    expect(() => vodPlaylist(withoutIndex, from, to)).toThrow('recording 2: no keyframe index');
  });
});
