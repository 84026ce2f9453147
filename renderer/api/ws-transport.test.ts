import { describe, expect, it } from 'vitest';
import { parseWireMessage } from './ws-transport';

describe('messages from the engine are parsed, never cast', () => {
  it('reads a command answer and leaves its value to the per-command check', () => {
    expect(parseWireMessage(JSON.stringify({ id: 4, result: { ok: true, value: { x: 1 } } }))).toEqual({ kind: 'response', id: 4, result: { ok: true, value: { x: 1 } } });
    expect(parseWireMessage(JSON.stringify({ id: 5, result: { ok: false, error: { kind: 'NotFound', message: 'gone' } } }))).toEqual({
      kind: 'response',
      id: 5,
      result: { ok: false, error: { kind: 'NotFound', message: 'gone' } },
    });
  });

  it('reads a pushed event with the contract schema', () => {
    const event = { type: 'export.created', seq: 7, atMs: 1_700_000_000_000, exportId: 3 };
    expect(parseWireMessage(JSON.stringify({ event }))).toEqual({ kind: 'event', event });
  });

  it('drops an event that does not match the contract (unknown type, extra field, wrong field type)', () => {
    for (const event of [
      { type: 'export.exploded', seq: 1, atMs: 0, exportId: 3 },
      { type: 'export.created', seq: 1, atMs: 0, exportId: 3, title: 'free text' },
      { type: 'export.created', seq: 1, atMs: 0, exportId: '3' },
      { type: 'camera.state', seq: 1, atMs: 0, cameraId: 1, stream: 'main', state: 'exploding', sinceMs: 0 },
      { type: 'session.ended', seq: 0, atMs: 0, elsewhere: false },
      null,
    ]) {
      expect(parseWireMessage(JSON.stringify({ event }))).toBeNull();
    }
  });

  it('drops anything that is neither (not JSON, binary, malformed errors)', () => {
    expect(parseWireMessage('not json')).toBeNull();
    expect(parseWireMessage(new ArrayBuffer(4))).toBeNull();
    expect(parseWireMessage('42')).toBeNull();
    expect(parseWireMessage(JSON.stringify({ id: 'x', result: { ok: true } }))).toBeNull();
    expect(parseWireMessage(JSON.stringify({ id: 1, result: { ok: false, error: { kind: 'Nope' } } }))).toBeNull();
  });
});
