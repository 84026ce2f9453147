import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import alarmsPl from './locales/alarms/pl.json';
import pl from './locales/pl.json';
import { errorLines, isHeldRefusal } from './error-text';
import { RESOURCES } from './resources';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: RESOURCES.en }, pl: { translation: RESOURCES.pl } }, lng: 'pl', interpolation: { escapeValue: false } });
});

describe('errorLines', () => {
  it('translates password policy codes from the core, whatever the field', () => {
    const lines = errorLines(i18n.t, {
      kind: 'InvalidArgument',
      message: 'must be at least 12 characters',
      issues: ['newPassword: tooShort', 'password: common'],
    });
    expect(lines).toEqual([pl.password.problems.tooShort.replace('{{min}}', '12'), pl.password.problems.common]);
  });

  it('says "wrong user name or password" at sign-in, never the engine message', () => {
    expect(errorLines(i18n.t, { kind: 'Unauthenticated', message: 'x' }, 'signIn')).toEqual([pl.errors.wrongCredentials]);
  });

  it('shows TooManyAttempts generically', () => {
    expect(errorLines(i18n.t, { kind: 'TooManyAttempts', message: 'Too many failed attempts.' }, 'signIn')).toEqual([pl.errors.kinds.TooManyAttempts]);
  });

  it('names a known field in words with the rule it broke, instead of its code', () => {
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['initialPassword: Too small: expected string to have >=12 characters'] })).toEqual([
      pl.errors.fieldRule.replace('{{field}}', pl.errors.fieldNames.initialPassword).replace('{{rule}}', pl.errors.rules.tooShort),
    ]);
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['items.0.caseReference: Too big: expected string to have <=100 characters'] })).toEqual([
      pl.errors.fieldRule.replace('{{field}}', pl.errors.fieldNames.caseReference).replace('{{rule}}', pl.errors.rules.tooLong),
    ]);
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['initialPassword: Invalid input'] })).toEqual([
      pl.errors.fieldRule.replace('{{field}}', pl.errors.fieldNames.initialPassword).replace('{{rule}}', pl.errors.rules.invalid),
    ]);
  });

  it('names an unknown field without inventing a translation', () => {
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['groupIds.0: Too small'] })).toEqual([
      pl.errors.fields.other.replace('{{field}}', 'groupIds.0'),
    ]);
  });
});

describe('errorLines for camera administration', () => {
  it('says the device refused the credentials for PermissionDenied, with what the device demanded', () => {
    const message = 'The device requires HTTP Digest authentication, which this console does not send.';
    expect(errorLines(i18n.t, { kind: 'PermissionDenied', message }, 'camera')).toEqual([pl.errors.camera.deviceAuth, pl.errors.camera.detail.replace('{{message}}', message)]);
  });

  it('shows the cause for an unreachable device', () => {
    const lines = errorLines(i18n.t, { kind: 'Unavailable', message: 'The device cannot be reached at that address.' }, 'camera');
    expect(lines[0]).toBe(pl.errors.camera.deviceUnavailable);
    expect(lines[1]).toContain('The device cannot be reached at that address.');
  });

  it('translates camera fields with their settings./source. prefix', () => {
    expect(
      errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['settings.purpose: at least 5 characters', 'source.mainUrl: must be an rtsp:// URL'] }, 'camera'),
    ).toEqual([pl.errors.cameraFields.purpose, pl.errors.cameraFields.mainUrl]);
  });

  it('translates hold and storage fields, including the review-date codes from the core', () => {
    const lines = errorLines(
      i18n.t,
      { kind: 'InvalidArgument', message: 'x', issues: ['reviewDateMs: past', 'items.0: toMs must be after fromMs', 'reason: at least 10 characters', '(request): toMs must be after fromMs'] },
      'recording',
    );
    expect(lines).toEqual([pl.errors.recordingFields.reviewDateMs, pl.errors.recordingFields.items, pl.errors.recordingFields.reason, pl.errors.recordingFields.range]);
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['reviewDateMs: notLater'] }, 'recording')).toEqual([pl.errors.recordingFields.reviewDateNotLater]);
  });
});

describe('errorLines while the engine is held by an unacknowledged audit anchor alarm', () => {
  // The engine's own sentence, read at run time (the renderer's type check never sees the engine):
  // if the gate's wording changes, this fails instead of users seeing "cannot be done in the current state".
  const anchorGuard = '../../electron/core/audit/anchor-guard';

  it("recognises the gate's refusal and says what to do instead of a generic FailedPrecondition", async () => {
    const { HELD_MESSAGE } = (await import(/* @vite-ignore */ anchorGuard)) as { HELD_MESSAGE: string };
    const held = { kind: 'FailedPrecondition' as const, message: HELD_MESSAGE };
    expect(isHeldRefusal(held)).toBe(true);
    expect(errorLines(i18n.t, held)).toEqual([alarmsPl.errors.held]);
    expect(errorLines(i18n.t, held, 'camera')).toEqual([alarmsPl.errors.held]);
  });

  it('leaves other FailedPrecondition answers, and other kinds with the same words, as they were', () => {
    expect(isHeldRefusal({ kind: 'FailedPrecondition', message: 'The alarm is closed already.' })).toBe(false);
    expect(errorLines(i18n.t, { kind: 'FailedPrecondition', message: 'The alarm is closed already.' })).toEqual([pl.errors.kinds.FailedPrecondition]);
    expect(isHeldRefusal({ kind: 'Internal', message: 'The audit trail failed its start-up check: x' })).toBe(false);
  });
});
