// Limits a form shows (min and max lengths, numeric bounds) read from the contract's own zod
// schemas, never copied: when the contract changes a bound, every form follows (one contract,
// checked at run time, renderer/kit/README.md; the engine checks again, R5).
import { z } from 'zod';
import { COMMANDS, type CommandName } from '../../shared/contract';

export interface Limits {
  /** Undefined when the schema sets none. */
  min?: number;
  max?: number;
}

/** The schema a value finally has to pass: through pipes (the contract trims, then checks),
 *  optional, nullable and default wrappers. */
function innermost(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    if (current instanceof z.ZodPipe) current = current.out;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap();
    else return current;
  }
  return current;
}

/** min/max length of a string or an array schema, or min/max of a number schema. */
export function limitsOf(schema: z.core.$ZodType): Limits {
  const inner = innermost(schema);
  const out: Limits = {};
  if (inner instanceof z.ZodString) {
    if (inner.minLength !== null) out.min = inner.minLength;
    if (inner.maxLength !== null) out.max = inner.maxLength;
  } else if (inner instanceof z.ZodNumber) {
    if (inner.minValue !== null && Number.isFinite(inner.minValue)) out.min = inner.minValue;
    if (inner.maxValue !== null && Number.isFinite(inner.maxValue)) out.max = inner.maxValue;
  } else if (inner instanceof z.ZodArray) {
    // An array's length bounds are its min_length / max_length checks.
    for (const check of inner._zod.def.checks ?? []) {
      const def: { check?: string; minimum?: unknown; maximum?: unknown } = check._zod.def;
      if (def.check === 'min_length' && typeof def.minimum === 'number') out.min = def.minimum;
      if (def.check === 'max_length' && typeof def.maximum === 'number') out.max = def.maximum;
    }
  }
  return out;
}

/** A field of an object schema by its path (`['settings', 'purpose']`; `[]` steps into an
 *  array's elements), or null when there is none. */
export function fieldSchema(schema: z.core.$ZodType, path: readonly string[]): z.core.$ZodType | null {
  let current: z.core.$ZodType | null = schema;
  for (const key of path) {
    const inner: z.core.$ZodType | null = current ? innermost(current) : null;
    if (key === '[]') {
      current = inner instanceof z.ZodArray ? inner.element : null;
      continue;
    }
    if (!(inner instanceof z.ZodObject)) return null;
    const shape: Record<string, z.core.$ZodType> = inner.shape;
    current = Object.hasOwn(shape, key) ? (shape[key] ?? null) : null;
  }
  return current;
}

/** The limits of a field of a command's request: `requestLimits('holds.release', 'reason')`. */
export function requestLimits(name: CommandName, ...path: string[]): Limits {
  const field = fieldSchema(COMMANDS[name].request, path);
  return field ? limitsOf(field) : {};
}

/** Both bounds of a text field of a command's request (a reason, a purpose). Throws when the
 *  contract has no such bounded field: a form asking for it is out of step with the contract. */
export function textLimits(name: CommandName, ...path: string[]): Required<Limits> {
  const { min, max } = requestLimits(name, ...path);
  if (min === undefined || max === undefined) throw new Error(`${name}: no bounded field ${path.join('.')}`);
  return { min, max };
}

/** The limits of a command's stated reason (`reason` in its request). */
export function reasonLimits(name: CommandName): Required<Limits> {
  return textLimits(name, 'reason');
}

/** Whether a field of a command's request accepts a value, by the contract's own check (bounds,
 *  trimming, forbidden characters). False when the contract has no such field. */
export function fieldAccepts(name: CommandName, path: readonly string[], value: unknown): boolean {
  const field = fieldSchema(COMMANDS[name].request, path);
  return field !== null && z.safeParse(field, value).success;
}
