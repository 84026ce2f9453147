// Field fault 2 (docs/design/onvif.md): a 16-channel encoder answering each call in 150 ms failed
// the 10 s probe limit although it answered everything (node-onvif asks GetStreamUri three times
// and GetSnapshotUri for every profile, one at a time, and keeps going after we give up). Now each
// request has its own limit, stream URIs are read 4 at a time, only the RTSP URI is asked, and
// everything left is cancelled when the probe gives up.
import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifClient, OnvifError } from './onvif';
import { startResponder, type OnvifResponder, type ResponderConfig } from './testing/onvif-responder';

let device: OnvifResponder | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function start(cfg: Partial<ResponderConfig>): Promise<OnvifResponder> {
  device = await startResponder({ user: 'operator', password: 'slow-pass', ...cfg });
  return device;
}

async function until(check: () => boolean, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe('ONVIF: a 16-channel encoder answering each call in 150 ms', () => {
  it('is read well within the 10 s limit: 4 stream URIs at a time, RTSP only, no snapshot URIs', async () => {
    const d = await start({ auth: 'both', channels: 16, profilesPerChannel: 2, delayMs: 150 });
    const client = createOnvifClient(); // the defaults the engine uses: 10 s per probe, 5 s per request
    const startedMs = performance.now();
    const info = await client.probe(d.deviceUrl, 'operator', 'slow-pass');
    const durationMs = performance.now() - startedMs;
    console.log(`16 channels x 2 profiles at 150 ms a call: probe took ${Math.round(durationMs)} ms, ${d.calls.length} requests, at most ${d.maxConcurrent} at once`);

    expect(info.profiles).toHaveLength(32);
    expect(info.profiles.every((p) => /^rtsp:\/\/127\.0\.0\.1:554\/Streaming\/Channels\/\d+0[12]$/.test(p.rtspUrl ?? ''))).toBe(true);
    const streamCalls = d.callsOf('GetStreamUri');
    expect(streamCalls).toHaveLength(32);
    expect(new Set(streamCalls.map((c) => c.protocol))).toEqual(new Set(['RTSP']));
    expect(d.callsOf('GetSnapshotUri')).toHaveLength(0);
    expect(d.maxConcurrent).toBeLessThanOrEqual(4);
    // 4 device calls, 1 Digest challenge, 8 rounds of 4 stream URIs: about 13 x 150 ms.
    expect(durationMs).toBeLessThan(4_000);
  });

  it('a probe that gives up leaves no request open on the device and sends none afterwards', async () => {
    const d = await start({ auth: 'token', channels: 16, profilesPerChannel: 2, delayMs: 300 });
    const client = createOnvifClient({ probeTimeoutMs: 1_500, requestTimeoutMs: 1_000 });
    const startedMs = performance.now();
    const err = await client.probe(d.deviceUrl, 'operator', 'slow-pass').catch((e: unknown) => e);
    const settledMs = performance.now() - startedMs;
    expect(err).toBeInstanceOf(OnvifError);
    expect((err as OnvifError).kind).toBe('timeout');
    expect((err as OnvifError).message).toMatch(/^The device did not finish answering within 1\.5 s \(\d+ requests answered\)\.$/);
    expect(settledMs).toBeLessThan(1_500 + 300);
    expect(d.callsOf('GetStreamUri').length).toBeGreaterThan(0); // it gave up in the middle of the stream URIs
    expect(await until(() => d.openRequests === 0 && d.openConnections === 0, 500)).toBe(true);
    const callsAtSettle = d.calls.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(d.calls.length).toBe(callsAtSettle);
  });

  it('one request that trickles its answer is cut at its own limit, and its connection closed', async () => {
    const d = await start({ auth: 'token', trickle: ['GetProfiles'] });
    const client = createOnvifClient({ requestTimeoutMs: 600, probeTimeoutMs: 5_000 });
    const startedMs = performance.now();
    const err = await client.probe(d.deviceUrl, 'operator', 'slow-pass').catch((e: unknown) => e);
    expect(performance.now() - startedMs).toBeLessThan(1_500);
    expect(err).toBeInstanceOf(OnvifError);
    expect([(err as OnvifError).kind, (err as OnvifError).message]).toEqual(['timeout', 'The device did not answer GetProfiles within 0.6 s.']);
    expect(await until(() => d.openRequests === 0 && d.openConnections === 0, 500)).toBe(true);
  });

  it('a successful probe also leaves no connection open (keep-alive sockets are closed)', async () => {
    const d = await start({ auth: 'digest', channels: 4 });
    await createOnvifClient().probe(d.deviceUrl, 'operator', 'slow-pass');
    expect(await until(() => d.openRequests === 0 && d.openConnections === 0, 500)).toBe(true);
  });
});
