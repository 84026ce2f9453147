// The reminder a day before a breach's 72-hour deadline (breaches.deadline; docs/design/breaches.md)
// is worded in each interface language from its params, never from the engine's English message;
// damaged params fall back to that message.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../shared/contract';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { alarmWording } from '../alarms/alarm-model';
import { RESOURCES } from '../i18n/resources';
import { formatDateTime } from '../kit/format-time';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: RESOURCES[l] }])), lng: 'en', fallbackLng: false, interpolation: { escapeValue: false } });
});
const tIn = (language: Language): TFunction => i18n.getFixedT(language);
const DEADLINE = Date.UTC(2026, 10, 5, 8, 0);
const alarm = (params: AlarmView['params'], canAcknowledge = true): AlarmView => ({
  id: 1,
  kind: 'breaches.deadline',
  severity: 'warning',
  message: 'ENGINE ENGLISH MESSAGE',
  params,
  cameraId: null,
  raisedAtMs: 0,
  clearedAtMs: null,
  acknowledgedBy: null,
  canAcknowledge,
});

describe('breaches.deadline alarm words', () => {
  it('names the record and the deadline in every language, and who acknowledges it', () => {
    const expected = { en: 'notified by', pl: 'zawiadomić do', lt: 'pranešti iki', cs: 'ohlásit do' } as const;
    for (const language of LANGUAGES) {
      const w = alarmWording(tIn(language), alarm({ breachId: 7, reference: 'BR-7', deadlineAtMs: DEADLINE, category: 'none' }, false), 'sup.x');
      expect(w.text).toContain('BR-7');
      expect(w.text).toContain(expected[language]);
      expect(w.text).toContain(formatDateTime(DEADLINE));
      expect(w.text).not.toContain('ENGINE');
      expect(w.title).not.toBe(tIn(language)('alarms.kind.other'));
      expect(w.whoMay).toBe(tIn(language)('breaches.alarm.whoMay'));
    }
  });

  it('damaged params fall back to the engine’s message; the officer who may acknowledge is not told who may', () => {
    expect(alarmWording(tIn('pl'), alarm({ reference: 'BR-7' }), 'dpo').text).toBe('ENGINE ENGLISH MESSAGE');
    expect(alarmWording(tIn('pl'), alarm({ reference: 'BR-7', deadlineAtMs: DEADLINE }), 'dpo').whoMay).toBeNull();
  });
});
