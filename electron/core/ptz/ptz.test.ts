// PTZ through the engine (docs/design/ptz.md) against the camera simulator's PTZ camera over real
// ONVIF (HTTP Digest, WS-UsernameToken) and RTSP on 127.0.0.1: commands reach the camera and its
// picture moves (decoded and read from the pixels); camera scope and permissions; one holder at a
// time, a higher role takes over, idle release; every session audited, not every move; the
// dead-man rule and the holder's connection ending stop a move; presets, home and the return to a
// park preset. Time rules run on the engine's manual clock; the camera's picture in real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/contract';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { startFrameReader, type FrameReader } from '../../../tools/camera-sim/frame-reader';
import { readWindow, type WindowReading } from '../../../tools/camera-sim/ptz-scene';
import { createPtzConnector } from '../cameras/onvif-ptz';
import { NO_PTZ_REMEMBERED_MS } from './ptz-service';
import { addOfflineCamera, addUser, setUpAdmin, signInReady, startTestEngine, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

const W = 640;
const H = 360;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PTZ through the engine', () => {
  let sim: SimulatorHandle;
  let t: TestEngine;
  let reader: FrameReader;
  let admin: Caller;
  let guard: Caller;
  let guard2: Caller;
  let southGuard: Caller;
  let reviewer: Caller;
  let supervisor: Caller;
  let auditor: Caller;
  let ptzCam: number;
  let plainCam: number;
  let rtspCam: number;
  const inbox = new Map<string, EngineEvent[]>();
  /** Connections the engine opened to each camera's ONVIF address. */
  const connects: Record<string, number> = {};
  const ptzEvents = (c: Caller) => (inbox.get(c.connection.id) ?? []).filter((e) => e.type === 'ptz.changed');

  /** Where the picture looks in a frame captured after now. */
  const picture = async (): Promise<WindowReading> => {
    const after = Date.now() + 50;
    return readWindow((await reader.next((f) => (f.capturedAtMs ?? 0) > after, 5000)).data, W, H);
  };
  const camState = () => sim.ptzState(1);
  /** Waits until the camera says it is not moving; returns how long that took. */
  const stillWithin = async (limitMs: number): Promise<number> => {
    const start = Date.now();
    while (Date.now() - start < limitMs) {
      if (!(await camState()).moving) return Date.now() - start;
      await sleep(20);
    }
    throw new Error(`the camera was still moving after ${limitMs} ms`);
  };
  const sessionsEnded = async () =>
    (await t.engine.store.db.selectFrom('audit_log').select(['actor', 'target', 'details']).where('action', '=', 'ptz.session.ended').orderBy('seq').execute()).map((r) => ({
      actor: r.actor,
      target: r.target,
      ...(JSON.parse(r.details) as { reason: string; startedAtMs: number; endedAtMs: number; durationMs: number; takenBy?: string }),
    }));

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, ptz: [1], size: SMALL_PICTURE });
    // The real ONVIF connector, counting what it is asked to connect to.
    const real = createPtzConnector();
    t = await startTestEngine(undefined, { ptz: { connector: { connect: (target) => ((connects[target.xaddr] = (connects[target.xaddr] ?? 0) + 1), real.connect(target)) } } });
    admin = await setUpAdmin(t);
    const north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
    const south = (await admin.must('groups.create', { name: 'South', description: '' })).id;
    const settings = (name: string) => ({ name, site: 'Depot', groupId: north, purpose: 'safety of the depot yard', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false });
    const onvif = (i: number) => ({ kind: 'onvif' as const, xaddr: sim.cameras[i]!.onvifUrl, mainProfile: 'Profile_main', subProfile: 'Profile_sub' });
    ptzCam = (await admin.must('cameras.add', { settings: settings('Yard PTZ'), source: onvif(0), username: 'admin', password: 'admin' })).id;
    plainCam = (await admin.must('cameras.add', { settings: settings('Gate fixed'), source: onvif(1), username: 'admin', password: 'admin' })).id;
    rtspCam = await addOfflineCamera(admin, 'Old analogue', north);
    guard = await addUser(t, admin, { username: 'guard.north', role: 'guard', groupIds: [north], displayName: 'Gerda Guard' });
    guard2 = await addUser(t, admin, { username: 'guard.night', role: 'guard', groupIds: [north], displayName: 'Nils Night' });
    southGuard = await addUser(t, admin, { username: 'guard.south', role: 'guard', groupIds: [south] });
    reviewer = await addUser(t, admin, { username: 'reviewer.north', role: 'reviewer', groupIds: [north], displayName: 'Rita Reviewer' });
    supervisor = await addUser(t, admin, { username: 'super.north', role: 'supervisor', groupIds: [north], displayName: 'Sven Supervisor' });
    auditor = await addUser(t, admin, { username: 'auditor.one', role: 'auditor', groupIds: [north] });
    for (const c of [guard, guard2, southGuard, reviewer, supervisor]) {
      inbox.set(c.connection.id, []);
      t.engine.subscribe(c.connection.id, (e) => inbox.get(c.connection.id)!.push(e));
    }
    reader = startFrameReader(sim.cameras[0]!.rtspMain.replace('rtsp://', 'rtsp://admin:admin@'), W, H);
    await reader.next(() => true, 15_000);
  }, 120_000);
  afterAll(async () => {
    await reader?.stop();
    await t?.dispose();
    await sim?.close();
  });

  it('commands reach the camera and the picture moves; a stop holds it still', async () => {
    const granted = await guard.must('ptz.acquire', { cameraId: ptzCam });
    expect(granted.holder).toMatchObject({ username: 'guard.north', role: 'guard', mine: true });
    const before = await picture();
    // The seat repeats its move while the operator holds the control (here every 250 ms).
    for (let i = 0; i < 3; i++) {
      expect(await guard.must('ptz.move', { cameraId: ptzCam, pan: 0.5, tilt: 0, zoom: 0 })).toEqual({ done: true, standsForMs: 1000 });
      await sleep(250);
    }
    await guard.must('ptz.stop', { cameraId: ptzCam });
    const after = await picture();
    expect(after.pan - before.pan).toBeGreaterThan(0.2); // 0.5 units/s for about 0.75 s
    expect(Math.abs(after.tilt - before.tilt)).toBeLessThan(0.03);
    await sleep(300);
    expect(Math.abs((await picture()).pan - after.pan)).toBeLessThan(0.02);
    // Zoom in: the window narrows.
    await guard.must('ptz.move', { cameraId: ptzCam, pan: 0, tilt: 0, zoom: 1 });
    await sleep(400);
    await guard.must('ptz.move', { cameraId: ptzCam, pan: 0, tilt: 0, zoom: 0 }); // a still move is a stop
    expect((await picture()).zoom).toBeGreaterThan(after.zoom + 0.1);
    expect((await camState()).moving).toBe(false);
  });

  it('a guard without the camera in their groups is answered as if it did not exist; roles without ptz.control are refused', async () => {
    const hidden = { ok: false, error: { kind: 'NotFound', message: `No such camera: ${ptzCam}.` } };
    expect(await southGuard.call('ptz.acquire', { cameraId: ptzCam })).toEqual(hidden);
    expect(await southGuard.call('ptz.status', { cameraId: ptzCam })).toEqual(hidden);
    expect(await southGuard.call('ptz.move', { cameraId: ptzCam, pan: 0.1, tilt: 0, zoom: 0 })).toEqual(hidden);
    expect(await southGuard.call('ptz.presets', { cameraId: ptzCam })).toEqual(hidden);
    expect(((await auditor.call('ptz.acquire', { cameraId: ptzCam })) as { ok: false; error: { kind: string } }).error.kind).toBe('PermissionDenied');
    expect(((await admin.call('ptz.status', { cameraId: ptzCam })) as { ok: false; error: { kind: string } }).error.kind).toBe('PermissionDenied');
    const refused = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'outcome']).where('action', '=', 'ptz.acquire').where('actor', 'in', ['guard.south', 'auditor.one']).execute();
    expect(refused.map((r) => r.outcome).sort()).toEqual(['denied', 'denied']);
  });

  it('cameras that cannot be steered say why', async () => {
    expect(await reviewer.call('ptz.acquire', { cameraId: plainCam })).toEqual({ ok: false, error: { kind: 'FailedPrecondition', message: 'The camera offers no ONVIF PTZ (pan-tilt-zoom) service.' } });
    const rtsp = await reviewer.call('ptz.acquire', { cameraId: rtspCam });
    expect(rtsp.ok ? null : rtsp.error.message).toMatch(/added by its RTSP address/);
  });

  it('a camera found without PTZ is not asked again for a while: a wall of fixed cameras opens no connection per tile per page', async () => {
    const plain = sim.cameras[1]!.onvifUrl;
    const before = connects[plain] ?? 0;
    for (let i = 0; i < 5; i++) expect((await guard2.call('ptz.presets', { cameraId: plainCam })).ok).toBe(false);
    expect((connects[plain] ?? 0) - before).toBeLessThanOrEqual(1);
  });

  it('two operators: the second sees who holds the camera; a higher role takes over; the same role cannot', async () => {
    const seen = await guard2.must('ptz.status', { cameraId: ptzCam });
    expect(seen.holder).toMatchObject({ username: 'guard.north', displayName: 'Gerda Guard', role: 'guard', mine: false });
    expect(seen.mayTake).toBe(false);
    const same = await guard2.call('ptz.acquire', { cameraId: ptzCam, takeOver: true });
    expect(same.ok ? null : [same.error.kind, same.error.message]).toEqual(['FailedPrecondition', 'Gerda Guard (guard) is steering this camera; it stays with them until they release it or leave it idle.']);
    expect((await guard2.call('ptz.move', { cameraId: ptzCam, pan: 1, tilt: 0, zoom: 0 })).ok).toBe(false);

    expect((await reviewer.must('ptz.status', { cameraId: ptzCam })).mayTake).toBe(true);
    const asked = await reviewer.call('ptz.acquire', { cameraId: ptzCam });
    expect(asked.ok ? null : asked.error.message).toBe('Gerda Guard (guard) is steering this camera; take it over to steer it.');
    const taken = await reviewer.must('ptz.acquire', { cameraId: ptzCam, takeOver: true });
    expect(taken.holder).toMatchObject({ username: 'reviewer.north', mine: true });
    const lost = await guard.call('ptz.move', { cameraId: ptzCam, pan: 0.2, tilt: 0, zoom: 0 });
    expect(lost.ok ? null : lost.error.message).toBe('Rita Reviewer (reviewer) is steering this camera; it stays with them until they release it or leave it idle.');
    expect((await guard.must('ptz.status', { cameraId: ptzCam })).holder).toMatchObject({ username: 'reviewer.north', mine: false });

    await supervisor.must('ptz.acquire', { cameraId: ptzCam, takeOver: true });
    expect((await reviewer.must('ptz.status', { cameraId: ptzCam })).mayTake).toBe(false);
    // Everyone who may steer the camera and sees it was told who holds it changed; the south guard was not.
    expect(ptzEvents(guard2).map((e) => e.type === 'ptz.changed' && e.held)).toEqual([true, true, true]);
    expect(ptzEvents(southGuard)).toEqual([]);
    const ended = (await sessionsEnded()).slice(-2);
    expect(ended.map((e) => [e.actor, e.reason, e.takenBy])).toEqual([
      ['guard.north', 'taken_over', 'reviewer.north'],
      ['reviewer.north', 'taken_over', 'super.north'],
    ]);
  });

  it('a session left without a command for 30 s is released (engine clock), audited with its duration and pushed', async () => {
    const before = ptzEvents(guard).length;
    t.clock.advance(29_000);
    await t.engine.ptz.sweep();
    expect((await guard.must('ptz.status', { cameraId: ptzCam })).holder?.username).toBe('super.north');
    t.clock.advance(1_000);
    await t.engine.ptz.sweep();
    const status = await guard.must('ptz.status', { cameraId: ptzCam });
    expect([status.holder, status.mayTake]).toEqual([null, true]);
    const idle = (await sessionsEnded()).at(-1)!;
    expect(idle).toMatchObject({ actor: 'super.north', target: `camera#${ptzCam}`, reason: 'idle', durationMs: 30_000 });
    expect(idle.endedAtMs - idle.startedAtMs).toBe(30_000);
    expect(ptzEvents(guard).slice(before).map((e) => e.type === 'ptz.changed' && e.held)).toEqual([false]);
  });

  it('dead-man: a move the seat stops repeating is stopped after 1 s, well before the camera’s own timeout; the session stays', async () => {
    await guard.must('ptz.acquire', { cameraId: ptzCam });
    await guard.must('ptz.move', { cameraId: ptzCam, pan: -0.5, tilt: 0, zoom: 0 });
    expect((await camState()).moving).toBe(true);
    t.clock.advance(999);
    await t.engine.ptz.sweep();
    expect((await camState()).moving).toBe(true);
    t.clock.advance(1);
    await t.engine.ptz.sweep();
    // The camera would stop by itself 2 s after the move (its Timeout); the engine's Stop comes first
    // (a timeout leaves the camera's velocity set, a Stop clears it).
    expect(await stillWithin(1000)).toBeLessThan(1000);
    expect((await camState()).segment.v).toEqual([0, 0, 0]);
    expect((await guard.must('ptz.status', { cameraId: ptzCam })).holder?.username).toBe('guard.north');
  });

  it('a move stops when its holder’s connection ends, and the session ends (audited)', async () => {
    await guard.must('ptz.move', { cameraId: ptzCam, pan: 0.5, tilt: 0.5, zoom: 0 });
    expect((await camState()).moving).toBe(true);
    const cutAt = Date.now();
    await t.engine.disconnect(guard.connection.id);
    expect(await stillWithin(1000)).toBeLessThan(1000);
    expect((await camState()).segment.v).toEqual([0, 0, 0]); // stopped by the engine, not by the camera's timeout
    const a = await picture();
    await sleep(300);
    expect(Math.abs((await picture()).pan - a.pan)).toBeLessThan(0.02);
    for (let i = 0; i < 50 && (await sessionsEnded()).at(-1)?.reason !== 'session_ended'; i++) await sleep(20);
    expect((await sessionsEnded()).at(-1)).toMatchObject({ actor: 'guard.north', reason: 'session_ended' });
    expect(Date.now() - cutAt).toBeLessThan(2000);
    expect((await reviewer.must('ptz.status', { cameraId: ptzCam })).holder).toBeNull();
  });

  it('a console that locks lets go of its camera', async () => {
    await guard2.must('ptz.acquire', { cameraId: ptzCam });
    await guard2.must('session.lock', {});
    for (let i = 0; i < 50 && (await sessionsEnded()).at(-1)?.reason !== 'console_locked'; i++) await sleep(20);
    expect((await sessionsEnded()).at(-1)).toMatchObject({ actor: 'guard.night', reason: 'console_locked' });
    expect((await reviewer.must('ptz.status', { cameraId: ptzCam })).holder).toBeNull();
  });

  it('presets: saved by a supervisor with a name, listed with who saved them, gone to; home; the camera returns to its park preset', async () => {
    await supervisor.must('ptz.acquire', { cameraId: ptzCam });
    await supervisor.must('ptz.move', { cameraId: ptzCam, pan: 0.8, tilt: -0.6, zoom: 0.5 });
    await sleep(500);
    await supervisor.must('ptz.stop', { cameraId: ptzCam });
    const gate = (await camState()).position;
    const saved = await supervisor.must('ptz.savePreset', { cameraId: ptzCam, name: 'Loading bay' });
    expect(saved).toMatchObject({ name: 'Loading bay', savedBy: 'super.north' });
    expect((await supervisor.call('ptz.savePreset', { cameraId: ptzCam, name: 'loading bay' })).ok ? null : 'refused').toBe('refused');
    expect((await reviewer.call('ptz.savePreset', { cameraId: ptzCam, name: 'Mine' })).ok ? null : 'refused').toBe('refused');
    const listed = await reviewer.must('ptz.presets', { cameraId: ptzCam });
    expect(listed.presets).toEqual([{ token: saved.token, name: 'Loading bay', savedBy: 'super.north', savedAtMs: t.clock.nowMs() }]);
    expect([listed.homeSupported, listed.maxPresets]).toEqual([true, 32]);

    await supervisor.must('ptz.move', { cameraId: ptzCam, pan: -1, tilt: 1, zoom: -1 });
    await sleep(400);
    await supervisor.must('ptz.stop', { cameraId: ptzCam });
    await supervisor.must('ptz.gotoPreset', { cameraId: ptzCam, presetToken: saved.token });
    const there = await picture();
    expect(there.pan).toBeCloseTo(gate[0], 1);
    expect(there.tilt).toBeCloseTo(gate[1], 1);
    expect(there.zoom).toBeCloseTo(gate[2], 1);
    expect(await supervisor.call('ptz.gotoPreset', { cameraId: ptzCam, presetToken: '999' })).toEqual({ ok: false, error: { kind: 'NotFound', message: 'The camera has no such preset (it may have been removed).' } });

    await supervisor.must('ptz.setHome', { cameraId: ptzCam });
    await supervisor.must('ptz.move', { cameraId: ptzCam, pan: -1, tilt: 0, zoom: 0 });
    await sleep(300);
    await supervisor.must('ptz.home', { cameraId: ptzCam });
    expect((await picture()).pan).toBeCloseTo(gate[0], 1);

    // Park: 60 s after the last session ends the camera goes back to the loading bay by itself.
    const parked = await supervisor.must('ptz.setPark', { cameraId: ptzCam, presetToken: saved.token, afterSeconds: 60 });
    expect(parked.park).toEqual({ presetToken: saved.token, afterMs: 60_000 });
    await supervisor.must('ptz.move', { cameraId: ptzCam, pan: -1, tilt: 0, zoom: 0 });
    await sleep(400);
    await supervisor.must('ptz.release', { cameraId: ptzCam });
    expect((await camState()).moving).toBe(false); // releasing stops the move
    const left = (await camState()).position;
    t.clock.advance(59_000);
    await t.engine.ptz.sweep();
    expect((await camState()).position).toEqual(left);
    t.clock.advance(1_000);
    await t.engine.ptz.sweep();
    expect((await camState()).position.map((v) => Math.round(v * 100))).toEqual(gate.map((v) => Math.round(v * 100)));

    await supervisor.must('ptz.removePreset', { cameraId: ptzCam, presetToken: saved.token });
    expect((await reviewer.must('ptz.presets', { cameraId: ptzCam })).presets).toEqual([]);
    expect((await reviewer.must('ptz.status', { cameraId: ptzCam })).park).toBeNull(); // never sent to a removed preset
  });

  it('every PTZ session is in the audit log, moves are not', async () => {
    const acquired = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'outcome']).where('action', '=', 'ptz.acquire').where('outcome', '=', 'allowed').execute();
    const ended = await sessionsEnded();
    expect(ended.map((e) => e.reason)).toEqual(['taken_over', 'taken_over', 'idle', 'session_ended', 'console_locked', 'released']);
    for (const e of ended) expect(e.durationMs).toBe(e.endedAtMs - e.startedAtMs);
    expect(acquired.length).toBeGreaterThanOrEqual(ended.length);
    const moves = await t.engine.store.db.selectFrom('audit_log').select('seq').where('action', 'in', ['ptz.move', 'ptz.stop', 'ptz.status']).where('outcome', '=', 'allowed').execute();
    expect(moves).toEqual([]);
    const configured = await t.engine.store.db.selectFrom('audit_log').select('action').where('action', 'in', ['ptz.savePreset', 'ptz.setHome', 'ptz.setPark', 'ptz.removePreset']).where('outcome', '=', 'allowed').execute();
    // Changes to a camera's presets are audited (before they run, as every such command).
    expect([...new Set(configured.map((r) => r.action))].sort()).toEqual(['ptz.removePreset', 'ptz.savePreset', 'ptz.setHome', 'ptz.setPark']);
  });

  it('a camera with privacy masks is not steered: turning it would uncover what they hide (R7)', async () => {
    const mask = { kind: 'permanent' as const, points: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]] as [number, number][], label: 'windows of the house opposite' };
    const guard = await signInReady(t, 'guard.north', `${TEST_PASSWORD}-Renewed`);
    // Someone steers it when masks are saved: they let go at once, audited as 'masked'.
    await guard.must('ptz.acquire', { cameraId: ptzCam, takeOver: true });
    await admin.must('masks.save', { cameraId: ptzCam, masks: [mask], reason: 'residential windows in view' });
    expect((await guard.must('ptz.status', { cameraId: ptzCam })).holder).toBeNull();
    expect((await sessionsEnded()).at(-1)).toMatchObject({ actor: 'guard.north', reason: 'masked' });
    const refused = await guard.call('ptz.acquire', { cameraId: ptzCam, takeOver: false });
    expect(!refused.ok && refused.error.kind).toBe('FailedPrecondition');
    expect(!refused.ok && refused.error.message).toMatch(/privacy masks/);
    // Without masks again it can be steered.
    await admin.must('masks.save', { cameraId: ptzCam, masks: [], reason: 'the house opposite was demolished' });
    expect((await guard.call('ptz.acquire', { cameraId: ptzCam, takeOver: false })).ok).toBe(true);
    await guard.must('ptz.release', { cameraId: ptzCam });
  });

  // Last: it moves the engine's clock by minutes, which would release the sessions of the tests above.
  it('a camera found without PTZ is asked again after a while (its settings may have changed)', async () => {
    const plain = sim.cameras[1]!.onvifUrl;
    const before = connects[plain] ?? 0;
    t.clock.advance(NO_PTZ_REMEMBERED_MS + 1);
    const fresh = await signInReady(t, 'guard.night', `${TEST_PASSWORD}-Renewed`);
    await fresh.call('ptz.presets', { cameraId: plainCam });
    expect(connects[plain]).toBeGreaterThan(before);
  });
});
