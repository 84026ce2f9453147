/** Interface languages: the users are Polish, Lithuanian and Czech public-sector staff (docs/requirements.md "Languages"). */
export const LANGUAGES = ['en', 'pl', 'lt', 'cs'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  pl: 'Polski',
  lt: 'Lietuvių',
  cs: 'Čeština',
};
