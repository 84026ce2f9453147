// A PTZ refusal told as what happened to the camera (renderer/ptz/ptz-error-text.ts).
import { describe, expect, it } from 'vitest';
import { ptzErrorKey } from './ptz-error-text';

const e = (kind: 'FailedPrecondition' | 'Unavailable' | 'AlreadyExists' | 'NotFound' | 'Internal' | 'PermissionDenied') => ({ kind, message: 'x' });

describe('PTZ refusals in words', () => {
  it('a camera held by someone else names them, whatever was tried', () => {
    for (const op of ['acquire', 'move', 'preset', 'home', 'save'] as const) expect(ptzErrorKey(op, e('FailedPrecondition'), true)).toBe('held');
    expect(ptzErrorKey('takeOver', e('FailedPrecondition'), true)).toBe('takeOverRefused');
  });
  it('a move refused while nobody else holds it: control was lost (idle release)', () => {
    expect(ptzErrorKey('move', e('FailedPrecondition'), false)).toBe('lost');
  });
  it('a camera that does not answer, a name taken, a preset gone', () => {
    expect(ptzErrorKey('move', e('Unavailable'), false)).toBe('unavailable');
    expect(ptzErrorKey('save', e('AlreadyExists'), false)).toBe('presetExists');
    expect(ptzErrorKey('preset', e('NotFound'), false)).toBe('noPreset');
    expect(ptzErrorKey('home', e('FailedPrecondition'), false)).toBe('noHome');
  });
  it('anything else falls back to the generic wording of its kind', () => {
    expect(ptzErrorKey('move', e('Internal'), false)).toBeNull();
  });
});
