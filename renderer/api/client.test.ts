// The client's handling of pushed events and reconnects, over a transport made in the test (the
// engine side of events is tested through the real engine in electron/core/events).
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract';
import type { ConsoleApi } from '../../shared/transport';
import { ApiClient, type SessionSignal } from './client';
import { ConnectionTracker } from './connection';

function transport() {
  let push: ((event: EngineEvent) => void) | null = null;
  const api: ConsoleApi = {
    call: () => Promise.resolve({ ok: false, error: { kind: 'Unavailable', message: 'test' } }),
    onEvent(listener) {
      push = listener;
      return () => (push = null);
    },
  };
  // What a preload hands over is data from another process, whatever its static type says.
  return { api, push: (raw: unknown) => push?.(raw as EngineEvent) };
}

function client(eventsParsed = false) {
  const t = transport();
  const tracker = new ConnectionTracker();
  const c = new ApiClient(t.api, tracker, 'electron', false, eventsParsed);
  const events: EngineEvent[] = [];
  const signals: SessionSignal[] = [];
  let resyncs = 0;
  c.onEvent((e) => events.push(e));
  c.onSessionSignal((s) => signals.push(s));
  c.onResync(() => resyncs++);
  return { c, t, tracker, events, signals, resyncs: () => resyncs };
}

describe('events reaching the screens', () => {
  it('passes on events that match the contract and drops the others (a preload is not trusted)', () => {
    const { t, events } = client();
    t.push({ type: 'hold.placed', seq: 1, atMs: 5, holdId: 2, cameraIds: [1] });
    t.push({ type: 'hold.placed', seq: 2, atMs: 5, holdId: 2, cameraIds: [1], caseReference: 'free text' });
    t.push({ type: 'nonsense' });
    t.push('string');
    expect(events.map((e) => e.seq)).toEqual([1]);
  });

  it('a locked or ended session is signalled at once; ended only once until the next sign-in', () => {
    const { t, signals } = client();
    t.push({ type: 'session.locked', seq: 1, atMs: 0 });
    t.push({ type: 'session.ended', seq: 2, atMs: 0, elsewhere: true });
    t.push({ type: 'session.ended', seq: 3, atMs: 0, elsewhere: true });
    expect(signals).toEqual(['locked', 'ended']);
  });

  it('screens reload after events were dropped and after a reconnect, not after the first connection', () => {
    const { t, tracker, resyncs } = client();
    tracker.set('connected');
    expect(resyncs()).toBe(0);
    t.push({ type: 'events.dropped', seq: 9, atMs: 0, count: 3 });
    expect(resyncs()).toBe(1);
    tracker.set('lost', { nextAttemptAtMs: 1000, attempts: 1 });
    expect(resyncs()).toBe(1);
    tracker.set('reconnected');
    expect(resyncs()).toBe(2);
  });

  it('a handler that throws does not keep the event from the others', () => {
    const { c, t, events } = client();
    c.onEvent(() => {
      throw new Error('screen bug');
    });
    const later: number[] = [];
    c.onEvent((e) => later.push(e.seq));
    t.push({ type: 'export.created', seq: 4, atMs: 0, exportId: 1 });
    expect(events).toHaveLength(1);
    expect(later).toEqual([4]);
  });
});

describe('connection state', () => {
  it('keeps the next attempt only while lost and the refusal only while refused', () => {
    const tracker = new ConnectionTracker();
    tracker.set('lost', { nextAttemptAtMs: 123, attempts: 2 });
    expect(tracker.getInfo()).toMatchObject({ state: 'lost', nextAttemptAtMs: 123, attempts: 2, refusal: null });
    tracker.set('refused', { refusal: { reason: 'revoked' } });
    expect(tracker.getInfo()).toMatchObject({ state: 'refused', nextAttemptAtMs: null, attempts: 0, refusal: { reason: 'revoked' } });
    tracker.set('reconnected');
    expect(tracker.getInfo()).toMatchObject({ state: 'reconnected', generation: 1, refusal: null });
  });

  it('gives one snapshot object per change (React reads it as an external store)', () => {
    const tracker = new ConnectionTracker();
    const a = tracker.getInfo();
    expect(tracker.getInfo()).toBe(a);
    tracker.set('connected');
    expect(tracker.getInfo()).not.toBe(a);
  });
});
