import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../shared/contract';
import { RESOURCES } from '../i18n/resources';
import { contractErrors } from './zod-form';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: { en: { translation: RESOURCES.en }, pl: { translation: RESOURCES.pl } }, interpolation: { escapeValue: false } });
});

const user = { username: 'jan.kowalski', displayName: 'Jan Kowalski', role: 'guard', language: 'pl', initialPassword: 'Zielony-Tramwaj-77', groupIds: [] as number[] };

describe('forms are checked by the contract’s own request schema', () => {
  it('a valid request has no errors', () => {
    expect(contractErrors(user, { schema: COMMANDS['users.create'].request, toRequest: (v) => v }, i18next.t)).toEqual({});
  });

  it('each issue lands on its field, in the interface language, with the contract’s numbers', () => {
    const errors = contractErrors({ ...user, displayName: '  ', username: 'A!' }, { schema: COMMANDS['users.create'].request, toRequest: (v) => v, messages: { username: 'errors.fields.username' } }, i18next.t);
    expect(errors.displayName).toBe('Required.');
    expect(errors.username).toBe(i18next.t('errors.fields.username'));
    const long = contractErrors({ ...user, displayName: 'x'.repeat(500) }, { schema: COMMANDS['users.create'].request, toRequest: (v) => v }, i18next.t);
    expect(long.displayName).toMatch(/^At most \d+ characters\.$/);
  });

  it('a nested request’s issues go to the form field named last in their path', () => {
    const errors = contractErrors({ reason: 'abc' }, { schema: COMMANDS['cameras.setEnabled'].request, toRequest: (v) => ({ cameraId: 1, enabled: false, ...v }) }, i18next.t);
    expect(Object.keys(errors)).toEqual(['reason']);
  });

  it('a missing value is "required", not a type error', async () => {
    const errors = contractErrors({ groupId: null }, { schema: COMMANDS['users.setGroups'].request, toRequest: (v) => ({ userId: v.groupId, groupIds: [] }) }, i18next.t);
    expect(errors.userId).toBe('Required.');
    await i18next.changeLanguage('pl');
    const pl = contractErrors({ groupId: null }, { schema: COMMANDS['users.setGroups'].request, toRequest: (v) => ({ userId: v.groupId, groupIds: [] }) }, i18next.t);
    expect(pl.userId).toBe('Pole wymagane.');
    await i18next.changeLanguage('en');
  });
});
