// A camera that sends H.265 (which Chromium cannot decode) is transcoded to H.264 and marked as
// costly ("transcoding"), for live view and recording alike (docs/design/live-pipeline.md "Ingest").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, type TestEngine } from '../testing/harness';
import { parseInit } from './fmp4';

let sim: SimulatorHandle;
let t: TestEngine;
beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, auth: 'none', codec: 'h265' });
  t = await startTestEngine();
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await sim?.close();
});

describe('H.265 camera', () => {
  it('is transcoded to H.264, shown as transcoding, and plays', { timeout: 60_000 }, async () => {
    const admin = await setUpAdmin(t);
    const g = await admin.must('groups.create', { name: 'HEVC', description: '' });
    const cam = await admin.must('cameras.add', {
      settings: { name: 'HEVC cam', site: 'Lab', groupId: g.id, purpose: 'codec test', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
      source: { kind: 'rtsp', mainUrl: sim.cameras[0]!.rtspMain, subUrl: null },
      username: null,
      password: null,
    });
    await admin.must('users.create', { username: 'guard.hevc', displayName: 'G', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [g.id], basis: TEST_BASIS });
    await approveGrant(t, admin, 'guard.hevc');
    const guard = await signInReady(t, 'guard.hevc', 'Temporary-Pass-2026');
    let state = '';
    for (const end = Date.now() + 40_000; Date.now() < end && state !== 'transcoding'; ) {
      const st = await guard.must('live.status', { viewIds: [] });
      state = st.cameras.find((c) => c.cameraId === cam.id)?.main.state ?? '';
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(state).toBe('transcoding');
    const view = await guard.must('live.open', { cameraId: cam.id, stream: 'main' });
    const playlist = await (await fetch(view.url)).text();
    const initUri = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
    const init = parseInit(Buffer.from(await (await fetch(view.url.replace(/index\.m3u8$/, initUri))).arrayBuffer()));
    expect(init.codec).toBe('avc1');
    expect([init.width, init.height]).toEqual([1280, 720]);
  });
});
