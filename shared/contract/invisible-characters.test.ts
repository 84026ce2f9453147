// Invisible and bidirectional characters are accepted in names (fixed): U+061C, U+00AD, U+3164,
// U+2028 and tag characters made one name look like another or hid text in what a person reads.
// One shared rule (fields.ts INVISIBLE_CHARS) refuses the categories Cc, Cf, Zl, Zp, Co, Cs and
// the Hangul fillers; this test proves every string a request carries is under it.
import { describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_NAMES, isVisibleText, longText, text } from './index';

const INVISIBLE = [
  '\u061c', // Arabic letter mark (Cf, bidi)
  '\u00ad', // soft hyphen (Cf)
  '\u3164', // Hangul filler
  '\u115f',
  '\uffa0',
  '\u2028', // line separator (Zl)
  '\u2029', // paragraph separator (Zp)
  '\u{e0041}', // tag latin capital A (Cf)
  '\ue000', // private use (Co)
  '\ud800', // lone surrogate (Cs)
  '\u200b', // zero width space (Cf)
  '\u202e', // right-to-left override (Cf)
  '\u2066', // left-to-right isolate (Cf)
  '\ufeff', // zero width no-break space (Cf)
  '\u0007', // bell (Cc)
  '\u0085', // next line (Cc)
];

/** Fields whose value is not read by a person (passwords are matched, never shown). */
const NOT_READ = /password/i;

/** Every string leaf of a request example, with a setter that replaces it. */
function stringLeaves(value: unknown, set: (v: unknown) => void, path: string[] = []): { path: string[]; value: string; set: (v: string) => void }[] {
  if (typeof value === 'string') return [{ path, value, set }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, (x) => (value[i] = x), [...path, String(i)]));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.keys(o).flatMap((k) => stringLeaves(o[k], (x) => (o[k] = x), [...path, k]));
  }
  return [];
}

describe('invisible characters are refused by one rule', () => {
  it('the rule: every invisible character, alone or inside a word, is refused by text() and longText()', () => {
    for (const c of INVISIBLE) {
      expect(isVisibleText(`Jan${c}Kowalski`), JSON.stringify(c)).toBe(false);
      expect(text(100).safeParse(`Jan${c}Kowalski`).success, JSON.stringify(c)).toBe(false);
      expect(longText(100).safeParse(`first line\nJan${c}Kowalski`).success, JSON.stringify(c)).toBe(false);
    }
    // What people do type stays allowed: letters of the four languages, newlines and tabs in notes.
    expect(text(100).safeParse('Zażółć gęślą jaźń — Šťastný Žluťoučký kůň, Ąžuolas').success).toBe(true);
    expect(longText(100).safeParse('first line\n\tsecond line').success).toBe(true);
  });

  it('every string field a person reads, in every command, is under the rule', () => {
    let fields = 0;
    for (const name of COMMAND_NAMES) {
      const def = COMMANDS[name];
      const count = stringLeaves(structuredClone(def.example), () => {}).length;
      for (let i = 0; i < count; i++) {
        const example = structuredClone(def.example) as unknown;
        const leaf = stringLeaves(example, () => {})[i]!;
        if (leaf.path.some((p) => NOT_READ.test(p))) continue;
        for (const c of ['\u061c', '\u2028', '\u{e0041}']) {
          const copy = structuredClone(def.example) as unknown;
          stringLeaves(copy, () => {})[i]!.set(`${leaf.value || 'ab'}${c}${leaf.value || 'cd'}`);
          expect(def.request.safeParse(copy).success, `${name} ${leaf.path.join('.')} accepts ${JSON.stringify(c)}`).toBe(false);
        }
        fields += 1;
      }
    }
    expect(fields).toBeGreaterThan(60);
  });
});
