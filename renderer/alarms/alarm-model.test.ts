// The alarms are worded in the interface language from their kind and params, never from the
// engine's English message (which only a kind this console does not know, or damaged params, shows).
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_KINDS, type AlarmView } from '../../shared/contract';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { RESOURCES } from '../i18n/resources';
import { formatDateTime } from '../kit/format-time';
import { alarmWording, anchorFindingText, asSentence, breakFindingText, isCondition, openAnchorAlarm, stripAlarms } from './alarm-model';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: RESOURCES[l] }])),
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
});
const tIn = (language: Language): TFunction => i18n.getFixedT(language);

const ENGINE_MESSAGE = 'ENGINE ENGLISH MESSAGE';
let nextId = 1;
function alarm(kind: string, params: AlarmView['params'], over: Partial<AlarmView> = {}): AlarmView {
  return {
    id: nextId++,
    kind,
    severity: 'warning',
    message: ENGINE_MESSAGE,
    params,
    cameraId: null,
    raisedAtMs: 1_000,
    clearedAtMs: null,
    acknowledgedBy: null,
    canAcknowledge: true,
    ...over,
  };
}
const grant = (change: string, over: Partial<Record<string, string | number>> = {}) =>
  alarm('access.footage_granted', { actor: 'admin.anna', username: 'evil.sup', role: 'supervisor', change, groups: 0, ...over } as AlarmView['params']);
const anchor = (params: AlarmView['params'], over: Partial<AlarmView> = {}) => alarm('audit.anchor', params, { severity: 'critical', ...over });

describe('access.footage_granted is worded from its params', () => {
  it('names the administrator, the account, the role, the change and the camera groups', () => {
    expect(alarmWording(tIn('en'), grant('created'), 'sup.first').text).toBe(
      'Administrator admin.anna asked for access to footage for the account evil.sup as supervisor (new account, 0 camera groups); it takes effect once a second person approves it in Authorised persons',
    );
  });

  it.each([
    ['created', 'new account'],
    ['role_changed', 'role changed'],
    ['groups_changed', 'camera groups changed'],
    ['reactivated', 'account reactivated'],
  ])('change %s reads "%s" in English', (change, words) => {
    expect(alarmWording(tIn('en'), grant(change, { groups: 1 }), 'sup.first').text).toBe(
      `Administrator admin.anna asked for access to footage for the account evil.sup as supervisor (${words}, 1 camera group); it takes effect once a second person approves it in Authorised persons`,
    );
  });

  it('every change in every language names both accounts in that language, never the engine message', () => {
    for (const language of LANGUAGES) {
      const texts = ['created', 'role_changed', 'groups_changed', 'reactivated'].map((c) => alarmWording(tIn(language), grant(c), 'sup.first').text);
      for (const text of texts) {
        expect(text).toContain('admin.anna');
        expect(text).toContain('evil.sup');
        expect(text).not.toContain(ENGINE_MESSAGE);
        expect(text).not.toMatch(/alarms\.|\{\{/);
      }
      expect(new Set(texts).size, `${language}: four changes, four wordings`).toBe(4);
    }
  });

  it('Polish: the role in the sentence and the plural of camera groups', () => {
    const t = tIn('pl');
    expect(alarmWording(t, grant('created', { groups: 0 }), 'x').text).toBe(
      'Administrator admin.anna złożył wniosek o dostęp do nagrań dla konta evil.sup jako kierownik zmiany (nowe konto, 0 grup kamer); obowiązuje po zatwierdzeniu przez drugą osobę w module Osoby upoważnione',
    );
    expect(alarmWording(t, grant('groups_changed', { groups: 1 }), 'x').text).toContain('(zmiana grup kamer, 1 grupa kamer)');
    expect(alarmWording(t, grant('groups_changed', { groups: 3 }), 'x').text).toContain('3 grupy kamer');
    expect(alarmWording(t, grant('groups_changed', { groups: 5 }), 'x').text).toContain('5 grup kamer');
  });

  it('every role is worded in every language; a role or change this console does not know is shown as the engine named it', () => {
    for (const language of LANGUAGES) {
      for (const role of ['guard', 'reviewer', 'supervisor', 'administrator', 'auditor']) {
        expect(alarmWording(tIn(language), grant('created', { role }), 'x').text).not.toMatch(/alarms\.|\{\{/);
      }
    }
    const text = alarmWording(tIn('en'), grant('borrowed', { role: 'night_owl' }), 'x').text;
    expect(text).toContain('as night_owl (borrowed, 0 camera groups)');
  });

  it('damaged params fall back to the engine message rather than a sentence with holes', () => {
    expect(alarmWording(tIn('en'), alarm('access.footage_granted', {}), 'x').text).toBe(ENGINE_MESSAGE);
    expect(alarmWording(tIn('en'), grant('created', { groups: 'many' }), 'x').text).toBe(ENGINE_MESSAGE);
  });

  it('says who may acknowledge it when the viewer may not: the account it is about is told it is about them', () => {
    const t = tIn('en');
    expect(alarmWording(t, grant('created'), 'sup.first').whoMay).toBeNull();
    const notMine = { ...grant('created'), canAcknowledge: false };
    expect(alarmWording(t, notMine, 'dpo.anna').whoMay).toBe(t('alarms.who.access_footage_granted'));
    expect(alarmWording(t, notMine, 'evil.sup').whoMay).toBe(t('alarms.who.access_footage_granted_self'));
  });
});

describe('audit.anchor is worded from what the check found', () => {
  const head = { anchorHash: 'a'.repeat(64), logHeadHash: 'b'.repeat(64) };
  it.each([
    [{ problem: 'missing', anchorSeq: 'none', logHeadSeq: 41 }, 'the anchor file was missing while the log had entries up to No. 41 (it was deleted)'],
    [{ problem: 'unreadable', anchorSeq: 'none', logHeadSeq: 41 }, 'the anchor file could not be read'],
    [{ problem: 'ahead', anchorSeq: 50, logHeadSeq: 41 }, 'entries No. 42 to 50 were removed from the end of the log (the anchor names No. 50, the log ends at No. 41)'],
    [{ problem: 'mismatch', anchorSeq: 38, logHeadSeq: 41 }, 'entry No. 38 does not match the anchor written when it was committed (the end of the log was cut and written again)'],
  ])('%o', (params, finding) => {
    expect(alarmWording(tIn('en'), anchor({ ...params, ...head, found: 'engine words' }), 'admin.anna').text).toBe(`The audit trail failed its start-up check: ${finding}.`);
  });

  it('every problem is worded in every language', () => {
    for (const language of LANGUAGES) {
      for (const problem of ['missing', 'unreadable', 'ahead', 'mismatch']) {
        const text = anchorFindingText(tIn(language), { problem, anchorSeq: 50, logHeadSeq: 41 });
        expect(text, `${language} ${problem}`).toBeTruthy();
        expect(text).not.toMatch(/alarms\.|\{\{/);
      }
    }
  });

  it("a problem this console does not know shows the engine's finding; no finding at all, the message", () => {
    expect(alarmWording(tIn('en'), anchor({ problem: 'eaten', found: 'the log was eaten' }), 'x').text).toBe('The audit trail failed its start-up check: the log was eaten.');
    expect(alarmWording(tIn('en'), anchor({}), 'x').text).toBe(ENGINE_MESSAGE);
  });

  it('a finding shown on its own is a sentence, in any language', () => {
    expect(asSentence('the anchor file could not be read')).toBe('The anchor file could not be read.');
    expect(asSentence('įrašas Nr. 38 nesutampa.')).toBe('Įrašas Nr. 38 nesutampa.');
    expect(asSentence('  ')).toBe('');
  });

  it('those who may not acknowledge it are told an administrator does', () => {
    expect(alarmWording(tIn('en'), anchor({ problem: 'missing', logHeadSeq: 3 }, { canAcknowledge: false }), 'sup.first').whoMay).toBe('An administrator acknowledges it.');
  });
});

describe('access.review_overdue is worded from its params (docs/design/access-review.md)', () => {
  it('names the review left open and for how long, or when the review was due, in every language', () => {
    const open = alarm('access.review_overdue', { reason: 'open_too_long', reference: 'AR-3', openedAtMs: 1_000, days: 30 });
    expect(alarmWording(tIn('en'), open, 'dpo.ana')).toEqual({
      title: 'Access review overdue',
      text: 'The access review AR-3 has been open for more than 30 days: decide its remaining lines.',
      whoMay: null,
    });
    const dueAtMs = new Date(2027, 4, 2, 9, 0).getTime();
    const due = alarm('access.review_overdue', { reason: 'not_opened', dueAtMs, months: 6 }, { canAcknowledge: false });
    for (const language of LANGUAGES) {
      const w = alarmWording(tIn(language), due, 'guard.x');
      expect(w.text).not.toBe(ENGINE_MESSAGE);
      expect(w.text).toContain(formatDateTime(dueAtMs));
      expect(w.whoMay).not.toBeNull();
      expect(alarmWording(tIn(language), open, 'x').text).toContain('AR-3');
    }
    // Damaged params: the engine's own words.
    expect(alarmWording(tIn('cs'), alarm('access.review_overdue', { reason: 'open_too_long' }), 'x').text).toBe(ENGINE_MESSAGE);
  });
});

describe('which alarms the shell strip shows', () => {
  it('every event kind of the contract has its own wording; conditions are left to the storage banner', () => {
    for (const kind of Object.keys(ALARM_KINDS) as (keyof typeof ALARM_KINDS)[]) {
      if (ALARM_KINDS[kind].acknowledgedWith === null) {
        expect(isCondition(kind)).toBe(true);
        continue;
      }
      expect(isCondition(kind)).toBe(false);
      expect(alarmWording(tIn('en'), alarm(kind, {}), 'x').title, kind).not.toBe('Alarm');
    }
  });

  it('a kind this console does not know is shown with the engine message', () => {
    const w = alarmWording(tIn('pl'), alarm('camera.stolen', {}, { canAcknowledge: false }), 'x');
    expect(w).toEqual({ title: 'Alarm', text: ENGINE_MESSAGE, whoMay: 'Potwierdzić go może tylko osoba z odpowiednimi uprawnieniami.' });
  });

  it('open events and unknown kinds, critical first, newest first; the anchor alarm leaves the strip while the engine is held', () => {
    const oldGrant = alarm('access.footage_granted', {}, { raisedAtMs: 1 });
    const newGrant = alarm('access.footage_granted', {}, { raisedAtMs: 5 });
    const closedGrant = alarm('access.footage_granted', {}, { raisedAtMs: 9, clearedAtMs: 10 });
    const storage = alarm('storage.full', {}, { severity: 'critical', raisedAtMs: 7 });
    const unknown = alarm('camera.stolen', {}, { raisedAtMs: 3 });
    const anchorAlarm = anchor({}, { raisedAtMs: 0 });
    const all = [oldGrant, newGrant, closedGrant, storage, unknown, anchorAlarm];
    expect(stripAlarms(all, false).map((a) => a.id)).toEqual([anchorAlarm.id, newGrant.id, unknown.id, oldGrant.id]);
    expect(stripAlarms(all, true).map((a) => a.id)).toEqual([newGrant.id, unknown.id, oldGrant.id]);
    expect(openAnchorAlarm(all)?.id).toBe(anchorAlarm.id);
    expect(openAnchorAlarm([closedGrant, { ...anchorAlarm, clearedAtMs: 2 }])).toBeNull();
  });
});

describe('acknowledged breaks in the verification report', () => {
  const found = 'the audit anchor file is missing while the log has entries up to seq 41 (it was deleted)';
  const b = { seq: 44, atMs: 2_000, acknowledgedBy: 'admin.anna', found };

  it('are worded from the acknowledged alarm with the same finding and acknowledger', () => {
    const acknowledged = anchor({ problem: 'missing', found, logHeadSeq: 41, anchorSeq: 'none' }, { clearedAtMs: 1_999, acknowledgedBy: 'admin.anna', canAcknowledge: false });
    expect(breakFindingText(tIn('pl'), b, [acknowledged])).toBe('brakowało pliku kotwicy, choć dziennik miał wpisy do nr 41 (plik usunięto)');
  });

  it("show the log's own sentence when no such alarm is listed (or it is another person's)", () => {
    const other = anchor({ problem: 'missing', found, logHeadSeq: 41 }, { clearedAtMs: 1_999, acknowledgedBy: 'adam.admin' });
    expect(breakFindingText(tIn('pl'), b, [other])).toBe(found);
    expect(breakFindingText(tIn('pl'), b, [])).toBe(found);
  });
});
