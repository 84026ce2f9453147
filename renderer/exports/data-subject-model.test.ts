// The produce dialog's data-subject checks (JON 19; docs/design/exports.md "Data-subject packages"):
// what it sends and what it says is missing; the engine decides (exports-data-subject.test.ts).
import { describe, expect, it } from 'vitest';
import { ATTESTATION_LIMITS, dataSubjectFields, dataSubjectProblem, emptyDataSubjectDraft } from './data-subject-model';
import { acceptTrackedPath, thinKeyframes } from './redaction-model';

const draft = (over: Partial<ReturnType<typeof emptyDataSubjectDraft>> = {}) => ({ ...emptyDataSubjectDraft(), ...over });

describe('data-subject statement in the produce dialog', () => {
  it('the attestation reason has the contract’s bounds (10-500)', () => {
    expect(ATTESTATION_LIMITS).toEqual({ min: 10, max: 500 });
  });

  it('nothing stated is missing; boxes are confirmable only when burned in and present', () => {
    expect(dataSubjectProblem('burn_in', 0, draft())).toBe('choose');
    expect(dataSubjectProblem('burn_in', 2, draft({ confirmBoxes: true }))).toBeNull();
    expect(dataSubjectProblem('burn_in', 0, draft({ confirmBoxes: true }))).toBe('choose');
    expect(dataSubjectProblem('copy', 2, draft({ confirmBoxes: true }))).toBe('choose');
  });

  it('an attestation needs a reason of 10 characters or more (trimmed)', () => {
    expect(dataSubjectProblem('copy', 0, draft({ attest: true, reason: '   short   ' }))).toBe('reason');
    expect(dataSubjectProblem('copy', 0, draft({ attest: true, reason: 'watched the whole range' }))).toBeNull();
    expect(dataSubjectProblem('copy', 0, draft({ attest: true, reason: 'x'.repeat(501) }))).toBe('reason');
  });

  it('sends the attestation, else the confirmation, and nothing for other bodies', () => {
    expect(dataSubjectFields(true, 'burn_in', 1, draft({ attest: true, confirmBoxes: true, reason: ' only her at the counter ' }))).toEqual({ attestation: { reason: 'only her at the counter' } });
    expect(dataSubjectFields(true, 'burn_in', 1, draft({ confirmBoxes: true }))).toEqual({ redactionsCoverOthers: true });
    expect(dataSubjectFields(true, 'copy', 1, draft({ confirmBoxes: true }))).toEqual({});
    expect(dataSubjectFields(false, 'burn_in', 1, draft({ confirmBoxes: true }))).toEqual({});
  });
});

const k = (atMs: number, x: number, y = 0.2, w = 0.1, h = 0.2) => ({ atMs, x, y, w, h });

describe('accepting a tracked path', () => {
  it('replaces the keys after the start up to the path’s end, keeps the others, drops keys a straight line gives', () => {
    const keys = [k(1000, 0.1), k(2500, 0.9), k(9000, 0.5)];
    // A path that turns at 2200 and runs straight to 3000: the key at 2500 made by hand is replaced,
    // the straight stretch keeps its ends only.
    const path = [
      { ...k(1400, 0.14), score: 0.95 },
      { ...k(1800, 0.18), score: 0.95 },
      { ...k(2200, 0.22), score: 0.9 },
      { ...k(2600, 0.22), score: 0.9 },
      { ...k(3000, 0.22), score: 0.9 },
    ];
    const accepted = acceptTrackedPath(keys, 1000, path);
    expect(accepted.map((x) => x.atMs)).toEqual([1000, 2200, 3000, 9000]);
    expect(accepted.find((x) => x.atMs === 9000)!.x).toBe(0.5);
  });

  it('thins to the contract’s limit, dropping the keys that move the path least first', () => {
    const zigzag = Array.from({ length: 20 }, (_, i) => k(i * 400, i % 2 ? 0.3 : 0.1 + i * 0.001));
    const thinned = thinKeyframes(zigzag, 10);
    expect(thinned.length).toBe(10);
    expect(thinned[0]!.atMs).toBe(0);
    expect(thinned.at(-1)!.atMs).toBe(19 * 400);
  });
});
