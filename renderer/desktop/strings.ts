// The first-start and seat-link strings (en, pl, lt, cs), kept beside the screens that use them and
// added to the interface's one i18next instance the first time a desktop screen renders (after
// initI18n). Every language carries every key: locales.test.ts here checks it, as
// renderer/i18n/locales.test.ts does for the rest.
import i18next from 'i18next';
import type { Language } from '../../shared/i18n-languages';
import cs from './locales/cs.json';
import en from './locales/en.json';
import lt from './locales/lt.json';
import pl from './locales/pl.json';

export const DESKTOP_STRINGS: Record<Language, Record<string, unknown>> = { en, pl, lt, cs };

let added = false;

/** Idempotent; deep-merges under `desktop.*`, a key the other string files do not use. */
export function addDesktopStrings(): void {
  if (added || !i18next.isInitialized) return;
  for (const [language, strings] of Object.entries(DESKTOP_STRINGS)) i18next.addResourceBundle(language, 'translation', strings, true, false);
  added = true;
}
