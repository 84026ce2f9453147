// What the desktop screens show of main's answers (docs/design/site-engine.md "The desktop app as a
// seat"): fingerprints in groups to compare, the newest link state wins whatever order the answer
// and the pushed change arrive in, a final refusal reads as a lost connection to the rest of the
// page, and an empty fingerprint field means trust on first use.
import { describe, expect, it } from 'vitest';
import type { LinkStatus } from '../../shared/transport';
import { enrolRequestOf, fingerprintGroups, newerLink, trackerUpdateOf } from './desktop-model';

describe('desktop model', () => {
  it('shows a fingerprint as sixteen groups of four', () => {
    const groups = fingerprintGroups('AB'.repeat(32));
    expect(groups).toHaveLength(16);
    expect(groups.every((g) => g === 'abab')).toBe(true);
  });

  it('keeps the newest link state of a window, whichever arrives first', () => {
    const connecting: LinkStatus = { seq: 1, state: 'connecting' };
    const connected: LinkStatus = { seq: 2, state: 'connected' };
    const refused: LinkStatus = { seq: 3, state: 'refused', reason: 'revoked', message: 'revoked' };
    expect(newerLink(null, connecting)).toBe(connecting);
    expect(newerLink(connected, connecting)).toBe(connected);
    expect(newerLink(connected, refused)).toBe(refused);
    expect(newerLink(refused, connected)).toBe(refused);
  });

  it('feeds the connection tracker in its words: a loss with its next attempt, a final refusal as a loss without one', () => {
    expect(trackerUpdateOf({ seq: 1, state: 'reconnected' }, 1000)).toEqual({ state: 'reconnected', detail: {} });
    expect(trackerUpdateOf({ seq: 1, state: 'lost', attempt: 2, retryInMs: 500 }, 1000)).toEqual({ state: 'lost', detail: { nextAttemptAtMs: 1500, attempts: 2 } });
    // Never the tracker's `refused`: that is the browser seat's enrolment screen.
    expect(trackerUpdateOf({ seq: 1, state: 'refused', reason: 'wrong-certificate', message: 'x' }, 1000)).toEqual({ state: 'lost', detail: { nextAttemptAtMs: null, attempts: 0 } });
  });

  it('leaves an empty fingerprint out of the enrolment (trust on first use) and trims the rest', () => {
    expect(enrolRequestOf({ address: ' 10.0.0.5:8443 ', code: ' 7KQ2-M9XD-AAAA-BBBB ', fingerprint: '  ' })).toEqual({ address: '10.0.0.5:8443', code: '7KQ2-M9XD-AAAA-BBBB' });
    expect(enrolRequestOf({ address: 'a', code: 'b', fingerprint: ' ab:cd ' })).toEqual({ address: 'a', code: 'b', fingerprint: 'ab:cd' });
  });
});
