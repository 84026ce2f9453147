// Interface languages (docs/requirements.md "Languages"): English, Polish, Lithuanian, Czech. The language is
// per user: the session's language after sign-in, a picker (remembered on this seat) before it.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { CsvSeparator } from '../../shared/contract';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { RESOURCES } from './resources';

const PRE_SIGN_IN_LANGUAGE_KEY = 'operator-console.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language shown before anyone signs in: the last one picked on this seat, else the browser's. */
export function preSignInLanguage(): Language {
  const stored = localStorage.getItem(PRE_SIGN_IN_LANGUAGE_KEY);
  if (isLanguage(stored)) return stored;
  const browser = navigator.language.slice(0, 2).toLowerCase();
  return isLanguage(browser) ? browser : 'en';
}

export function rememberPreSignInLanguage(language: Language): void {
  localStorage.setItem(PRE_SIGN_IN_LANGUAGE_KEY, language);
}

export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: RESOURCES.en }, pl: { translation: RESOURCES.pl }, lt: { translation: RESOURCES.lt }, cs: { translation: RESOURCES.cs } },
    lng: preSignInLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}

export function applyLanguage(language: Language): void {
  if (i18next.language !== language) void i18next.changeLanguage(language);
}

/** Locale for dates and numbers in the current interface language. */
export function currentLocale(): string {
  const map: Record<Language, string> = { en: 'en-GB', pl: 'pl-PL', lt: 'lt-LT', cs: 'cs-CZ' };
  const lng = i18next.language;
  return isLanguage(lng) ? map[lng] : 'en-GB';
}

/**
 * The CSV separator a spreadsheet in the current interface language expects: where the decimal
 * separator is a comma (Polish, Lithuanian, Czech), Excel and LibreOffice split on semicolons.
 */
export function csvSeparator(): CsvSeparator {
  const decimal = new Intl.NumberFormat(currentLocale()).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return decimal === ',' ? ';' : ',';
}
