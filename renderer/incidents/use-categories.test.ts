import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../i18n/resources';
import { categoryName } from './use-categories';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: Object.fromEntries(Object.entries(RESOURCES).map(([l, r]) => [l, { translation: r }])) });
});

describe('a category’s name in the interface language', () => {
  it('is the administrator’s name in that language, else the label', async () => {
    const names = { pl: 'Napisy na ścianach', cs: 'Sprejerství' };
    await i18next.changeLanguage('pl');
    expect(categoryName('graffiti', 'Graffiti', names)).toBe('Napisy na ścianach');
    await i18next.changeLanguage('lt');
    expect(categoryName('graffiti', 'Graffiti', names)).toBe('Graffiti');
  });

  it('a shipped category keeps its translation while its label is unchanged, unless the administrator named it', async () => {
    await i18next.changeLanguage('pl');
    expect(categoryName('violence', 'Violence')).toBe('Przemoc');
    expect(categoryName('violence', 'Assault')).toBe('Assault');
    expect(categoryName('violence', 'Violence', { pl: 'Napaść' })).toBe('Napaść');
    await i18next.changeLanguage('en');
  });
});
