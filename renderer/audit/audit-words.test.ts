// The audit screen speaks the auditor's language (R4, KRK §5.3.4): every action the engine can
// write has words in every interface language, every target shape the contract and the engine write
// is worded, and the engine's own actors are named in words; what this console does not know is
// shown as the engine wrote it.
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_KIND_NAMES, COMMANDS, ENGINE_AUDIT_ACTIONS, type AuditEntryView } from '../../shared/contract';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { RESOURCES } from '../i18n/resources';
import { formatDateTime, formatRange } from '../kit/format-time';
import { AUDIT_ACTIONS, actionKey, alarmKindKey, auditActionWords, auditActorWords, auditReasonWords, auditTargetWords } from './audit-words';

beforeAll(async () => {
  await i18next.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: RESOURCES[l] }])),
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
});

/** The global language too: dates in targets follow it (format-time reads it). */
async function inLanguage(language: Language) {
  await i18next.changeLanguage(language);
  return i18next.getFixedT(language);
}

/** A code as the engine writes it (`exports.decide`, `camera#3`, `audit-log`): never a word. */
const CODE_LIKE = /\b[a-z]+[.#:][a-zA-Z_]|\b[a-z]+-[a-z]+#|\banonymous\b/;

/** Words with their no-break spaces (Polish and Czech keep a one-letter word off a line's end) as spaces. */
const plain = (words: string | null) => words?.replace(/\u00a0/g, ' ') ?? null;

const entry = (action: string, over: Partial<AuditEntryView> = {}): Pick<AuditEntryView, 'action' | 'details' | 'reason'> => ({ action, details: '{}', reason: null, ...over });

describe('audit actions in words', () => {
  it('the list holds every command and every action the engine writes itself', () => {
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining([...Object.keys(COMMANDS), ...ENGINE_AUDIT_ACTIONS]));
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });

  for (const language of LANGUAGES) {
    it(`${language}: every action has its own words, not its code`, async () => {
      const t = await inLanguage(language);
      const missing = AUDIT_ACTIONS.filter((action) => {
        const value: unknown = i18next.getResource(language, 'translation', actionKey(action));
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(missing).toEqual([]);
      const codeLike = AUDIT_ACTIONS.map((action) => [action, auditActionWords(t, entry(action))] as const).filter(([action, words]) => !words || words === action || CODE_LIKE.test(words));
      expect(codeLike).toEqual([]);
    });

    it(`${language}: no two actions share the same words`, async () => {
      const t = await inLanguage(language);
      const seen = new Map<string, string>();
      const shared = AUDIT_ACTIONS.flatMap((action) => {
        const words = auditActionWords(t, entry(action)) ?? '';
        const other = seen.get(words);
        seen.set(words, action);
        return other ? [`${other} and ${action}: ${words}`] : [];
      });
      expect(shared).toEqual([]);
    });
  }

  it('an action this console does not know has no words (the code is shown)', async () => {
    const t = await inLanguage('pl');
    expect(auditActionWords(t, entry('engine.rebooted'))).toBeNull();
  });

  it('an export decision says which way it went, from the recorded request or the stored reason', async () => {
    const t = await inLanguage('pl');
    expect(auditActionWords(t, entry('exports.decide', { details: JSON.stringify({ request: { exportId: 3, approve: true, reason: 'x' } }) }))).toBe('Zatwierdzenie eksportu');
    expect(plain(auditActionWords(t, entry('exports.decide', { reason: 'reject: no legal basis given' })))).toBe('Odrzucenie wniosku o eksport');
    // A refused call records no request: the decision is not known.
    expect(plain(auditActionWords(t, entry('exports.decide', { details: JSON.stringify({ error: 'PermissionDenied' }) })))).toBe('Decyzja w sprawie wniosku o eksport');
    expect(auditReasonWords(t, entry('exports.decide', { reason: 'approve: legal basis checked' }))).toBe('legal basis checked');
  });

  it('a camera switched on or off says which', async () => {
    const t = await inLanguage('cs');
    expect(auditActionWords(t, entry('cameras.setEnabled', { details: JSON.stringify({ request: { cameraId: 2, enabled: false, reason: 'x' } }) }))).toBe('Vypnutí kamery');
    expect(auditActionWords(t, entry('cameras.setEnabled', { details: JSON.stringify({ request: { cameraId: 2, enabled: true, reason: 'x' } }) }))).toBe('Zapnutí kamery');
    expect(auditActionWords(t, entry('cameras.setEnabled', { details: 'not json' }))).toBe('Zapnutí nebo vypnutí kamery');
  });

  it('a playback reason names its category in the interface language', async () => {
    const t = await inLanguage('pl');
    const words = auditReasonWords(t, entry('playback.open', { reason: 'incident_investigation: INC-4 bag theft' }));
    expect(words).toBe(`${t('playback.reasons.incident_investigation')}: INC-4 bag theft`);
    expect(words).not.toContain('incident_investigation');
    expect(auditReasonWords(t, entry('playback.open', { reason: 'free text' }))).toBe('free text');
  });
});

describe('audit targets in words', () => {
  /** One target of every shape: what each command's example writes, and the engine's own. */
  function everyTargetShape(): string[] {
    const fromContract = Object.values(COMMANDS).flatMap((def) => {
      const target = def.target as ((request: unknown) => string) | undefined;
      return target ? [target(def.request.parse(def.example))] : [];
    });
    const fromEngine = ['engine', 'recordings', 'audit-log', 'audit-log#120', 'session:3f0c2a9e-8d1b-4c55-9a7e-0b1c2d3e4f50', 'seat:3', 'seat:Sala 2', 'export#12', 'camera#3', 'user:alice', ...ALARM_KIND_NAMES];
    return [...new Set([...fromContract, ...fromEngine])];
  }

  /** The code part of a target (`camera#`, `user:`, `audit-log`, `storage.full`); a plain word
   *  (`holds`) may well appear in its English words. */
  const codeOf = (target: string) => /^[a-z-]+[#:]/.exec(target)?.[0] ?? (/[.-]/.test(target) ? target : null);

  for (const language of LANGUAGES) {
    it(`${language}: every shape the contract and the engine write is worded, without its code`, async () => {
      const t = await inLanguage(language);
      const unworded = everyTargetShape()
        .map((target) => [target, auditTargetWords(t, target)] as const)
        .filter(([target, words]) => words === target || (codeOf(target) !== null && words.includes(codeOf(target)!)) || / ref:|\d{4}-\d{2}-\d{2}T/.test(words));
      expect(unworded).toEqual([]);
    });

    it(`${language}: every alarm kind has words`, () => {
      const missing = ALARM_KIND_NAMES.filter((kind) => typeof i18next.getResource(language, 'translation', alarmKindKey(kind)) !== 'string');
      expect(missing).toEqual([]);
    });
  }

  it('reads as an auditor expects in Polish and Czech', async () => {
    let t = await inLanguage('pl');
    expect(auditTargetWords(t, 'camera#3')).toBe('Kamera 3');
    expect(plain(auditTargetWords(t, 'export#12'))).toBe('Wniosek o eksport EXP-12');
    expect(auditTargetWords(t, 'incident#4')).toBe('Zdarzenie INC-4');
    expect(auditTargetWords(t, 'incident#4 hold#2')).toBe('Zdarzenie INC-4, zabezpieczenie nr 2');
    expect(auditTargetWords(t, 'user:alice')).toBe('Użytkownik alice');
    expect(auditTargetWords(t, 'incident-categories')).toBe('Kategorie zdarzeń');
    expect(auditTargetWords(t, 'storage.full')).toBe('Alarm: brak miejsca na nagrania');
    expect(auditTargetWords(t, 'session:3f0c2a9e-8d1b-4c55-9a7e-0b1c2d3e4f50')).toBe('Sesja 3f0c2a9e…');
    t = await inLanguage('cs');
    expect(auditTargetWords(t, 'camera#3')).toBe('Kamera 3');
    expect(auditTargetWords(t, 'hold#7')).toBe('Zajištění č. 7');
    expect(auditTargetWords(t, 'seat:Sala 2')).toBe('Pracoviště „Sala 2“');
  });

  it('instants are in local time, as the rest of the screen', async () => {
    const t = await inLanguage('pl');
    const fromMs = new Date(2026, 11, 6, 18, 26).getTime();
    const toMs = new Date(2026, 11, 6, 18, 30).getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(auditTargetWords(t, `cameras:2 ${iso(fromMs)}..${iso(toMs)}`)).toBe(`Kamera 2, ${formatRange(fromMs, toMs)}`);
    expect(auditTargetWords(t, `cameras:2,5 ${iso(fromMs)}..${iso(toMs)}`)).toBe(`Kamery 2, 5, ${formatRange(fromMs, toMs)}`);
    expect(auditTargetWords(t, `camera#2 ${iso(fromMs)}`)).toBe(`Kamera 2, ${formatDateTime(fromMs)}`);
    expect(formatDateTime(fromMs)).toContain('06.12.2026');
  });

  it('a shape this console does not know is shown as the engine wrote it, its instants in local time', async () => {
    const t = await inLanguage('pl');
    expect(auditTargetWords(t, 'ws 127.0.0.1:51234')).toBe('ws 127.0.0.1:51234');
    expect(auditTargetWords(t, 'gadget#9')).toBe('gadget#9');
    expect(auditTargetWords(t, '')).toBe('');
    const atMs = new Date(2026, 11, 6, 9, 5).getTime();
    expect(auditTargetWords(t, `thing ${new Date(atMs).toISOString()}`)).toBe(`thing ${formatDateTime(atMs)}`);
  });
});

describe('audit actors in words', () => {
  for (const language of LANGUAGES) {
    it(`${language}: the engine and a caller before sign-in are words; a user name stays as it is`, async () => {
      const t = await inLanguage(language);
      for (const code of ['anonymous', 'system', 'engine-machine', 'seat:Sala 2@10.0.0.7', 'seat:?@10.0.0.7']) {
        const words = auditActorWords(t, code);
        expect(words.worded).toBe(true);
        expect(words.text).not.toBe(code);
        expect(words.text).not.toMatch(/anonymous|system|engine-machine|seat:/);
      }
      expect(auditActorWords(t, 'anna.kowalska')).toEqual({ text: 'anna.kowalska', worded: false });
    });
  }

  it('names them as an auditor reads them', async () => {
    const t = await inLanguage('pl');
    expect(auditActorWords(t, 'anonymous').text).toBe('Przed zalogowaniem');
    expect(auditActorWords(t, 'system').text).toBe('Silnik');
    expect(auditActorWords(t, 'seat:Sala 2@10.0.0.7').text).toBe('Stanowisko „Sala 2” (10.0.0.7)');
    const cs = await inLanguage('cs');
    expect(auditActorWords(cs, 'anonymous').text).toBe('Před přihlášením');
    expect(auditActorWords(cs, 'system').text).toBe('Jádro');
  });
});
