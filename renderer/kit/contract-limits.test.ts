import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMANDS, type CommandName } from '../../shared/contract';
import { fieldAccepts, limitsOf, reasonLimits, requestLimits, textLimits } from './contract-limits';

describe('limits come from the contract, never copied', () => {
  it('reads min and max of a trimmed text field through its pipe', () => {
    expect(limitsOf(z.string().max(40).transform((s) => s.trim()).pipe(z.string().min(3).max(10)))).toEqual({ min: 3, max: 10 });
    expect(limitsOf(z.string().min(2).nullable().optional())).toEqual({ min: 2 });
  });

  it('reads numeric bounds and array lengths', () => {
    expect(limitsOf(z.number().int().min(1).max(3650))).toEqual({ min: 1, max: 3650 });
    expect(limitsOf(z.array(z.number()).min(1).max(16))).toEqual({ min: 1, max: 16 });
  });

  it('every reason dialog of the console finds its command’s reason bounds', () => {
    const reasonCommands: CommandName[] = ['holds.release', 'holds.extend', 'incidents.close', 'incidents.reopen', 'exports.decide', 'exports.extendDeadline', 'users.deactivate', 'users.reactivate', 'cameras.setEnabled'];
    for (const name of reasonCommands) {
      const { min, max } = reasonLimits(name);
      expect(min, name).toBeGreaterThan(1);
      expect(max, name).toBeGreaterThan(min);
    }
  });

  it('a form asking for a field the contract does not have fails loudly', () => {
    expect(() => textLimits('holds.release', 'no-such-field')).toThrow('holds.release: no bounded field no-such-field');
    expect(requestLimits('holds.release', 'holdId', 'deeper')).toEqual({});
  });

  it('steps into arrays of objects', () => {
    const label = requestLimits('incidents.saveCategories', 'categories', '[]', 'label');
    expect(label.max).toBeGreaterThan(0);
  });

  it('a field accepts a value exactly when the contract does (trimmed, bounded, no control characters)', () => {
    const { min } = reasonLimits('holds.release');
    expect(fieldAccepts('holds.release', ['reason'], 'x'.repeat(min))).toBe(true);
    expect(fieldAccepts('holds.release', ['reason'], ` ${'x'.repeat(min - 1)}   `)).toBe(false);
    expect(fieldAccepts('holds.release', ['reason'], `${'x'.repeat(min)}\u202e`)).toBe(false);
    const schema = COMMANDS['holds.release'].request.shape.reason;
    expect(z.safeParse(schema, 'x'.repeat(min)).success).toBe(true);
  });
});
