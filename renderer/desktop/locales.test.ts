// The desktop app's first-start and seat-link strings exist in every interface language
// (docs/requirements.md "Languages"), with the same interpolation variables, and claim no key the rest of
// the interface uses.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/i18n-languages';
import { mergeResources, RESOURCES } from '../i18n/resources';
import { ALL_LINK_REFUSALS, ALL_SET_UP_REFUSALS, linkRefusalKeys, refusalKey } from './desktop-model';
import { DESKTOP_STRINGS } from './strings';

function flatten(node: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, node);
  return out;
}
const variables = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]))].sort();

describe('desktop strings', () => {
  const en = flatten(DESKTOP_STRINGS.en);

  for (const language of LANGUAGES) {
    it(`${language}: every key, non-empty, with English's variables`, () => {
      const flat = flatten(DESKTOP_STRINGS[language]);
      expect([...flat.keys()].sort()).toEqual([...en.keys()].sort());
      const wrong = [...en.entries()].filter(([key, reference]) => {
        const value = flat.get(key);
        return typeof value !== 'string' || value.trim() === '' || variables(String(reference)).join() !== variables(value).join();
      });
      expect(wrong.map(([k]) => k)).toEqual([]);
    });

    it(`${language}: adds no key the interface already has`, () => {
      expect(() => mergeResources(RESOURCES[language], DESKTOP_STRINGS[language])).not.toThrow();
    });
  }

  it('words every refusal main can give', () => {
    for (const r of ALL_SET_UP_REFUSALS) expect(en.get(refusalKey(r)), r).toEqual(expect.any(String));
    for (const r of ALL_LINK_REFUSALS) {
      const keys = linkRefusalKeys(r);
      expect(en.get(keys.title), r).toEqual(expect.any(String));
      expect(en.get(keys.body), r).toEqual(expect.any(String));
    }
  });
});
