// Every language must carry every string (docs/requirements.md "Languages"): a key present in one locale
// but missing or empty in another fails here, as does a mismatch of interpolation variables.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { RESOURCES, mergeResources } from './resources';

const LOCALES: Record<Language, unknown> = RESOURCES;

/** Flattens nested resources to `a.b.c -> value`; non-string leaves are kept to be reported. */
function flatten(node: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, node);
  }
  return out;
}

function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(LOCALES[l])])) as Record<Language, Map<string, unknown>>;
const allKeys = [...new Set(LANGUAGES.flatMap((l) => [...flat[l].keys()]))].sort();

describe('locale resources', () => {
  it('cover every interface language', () => {
    expect(Object.keys(LOCALES).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const language of LANGUAGES) {
    it(`${language}: has every key, each a non-empty string`, () => {
      const missing = allKeys.filter((key) => {
        const value = flat[language].get(key);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(missing).toEqual([]);
    });

    it(`${language}: uses the same interpolation variables as English`, () => {
      const mismatched = allKeys.flatMap((key) => {
        const reference = flat.en.get(key);
        const value = flat[language].get(key);
        if (typeof reference !== 'string' || typeof value !== 'string') return [];
        const want = variables(reference);
        const got = variables(value);
        return want.join(',') === got.join(',') ? [] : [`${key}: expected {${want.join(',')}} got {${got.join(',')}}`];
      });
      expect(mismatched).toEqual([]);
    });
  }

  it('a string defined in two feature files is refused', () => {
    expect(() => mergeResources({ a: { b: 'x' } }, { a: { b: 'y' } })).toThrow('interface string a.b is defined twice');
    expect(mergeResources({ a: { b: 'x' } }, { a: { c: 'y' } })).toEqual({ a: { b: 'x', c: 'y' } });
  });

  it('the checker itself notices a missing key and a wrong variable', () => {
    const a = flatten({ x: { y: 'Hello {{name}}' }, z: 'ok' });
    const b = flatten({ x: { y: 'Ahoj {{jmeno}}' } });
    expect(b.get('z')).toBeUndefined();
    expect(variables(String(a.get('x.y')))).not.toEqual(variables(String(b.get('x.y'))));
  });
});
