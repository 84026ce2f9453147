// The clock the screens show follows the engine's rule: amber from 48 h, red when 72 h are missed.
import { describe, expect, it } from 'vitest';
import type { BreachView } from '../../shared/contract';
import { clockOf, hoursMinutes } from './breach-clock';

const HOUR = 3_600_000;
const breach = (over: Partial<BreachView> = {}) => ({ discoveredAtMs: 0, category: null, authorityNotification: null, ...over }) as BreachView;

describe('breach clock on the screen', () => {
  it('is running at 47 h, warning at 48 h, missed at 72 h, and stops once the authority is notified', () => {
    expect(clockOf(breach(), 47 * HOUR).state).toBe('running');
    expect(clockOf(breach(), 48 * HOUR).state).toBe('warning');
    expect(clockOf(breach(), 72 * HOUR).state).toBe('missed');
    expect(clockOf(breach({ category: 2, authorityNotification: { atMs: 10 * HOUR, channel: 'e-form', reference: 'x', recordedBy: 'dpo' } }), 80 * HOUR).state).toBe('notified');
  });

  it('words time left in whole hours and minutes', () => {
    expect(hoursMinutes(25 * HOUR + 59 * 60_000 + 59_000)).toEqual({ hours: 25, minutes: 59 });
    expect(hoursMinutes(-5)).toEqual({ hours: 0, minutes: 0 });
  });
});
