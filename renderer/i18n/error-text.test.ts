import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from './locales/en.json';
import pl from './locales/pl.json';
import { errorLines } from './error-text';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, pl: { translation: pl } }, lng: 'pl', interpolation: { escapeValue: false } });
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

  it('names an unknown field without inventing a translation', () => {
    expect(errorLines(i18n.t, { kind: 'InvalidArgument', message: 'x', issues: ['groupIds.0: Too small'] })).toEqual([
      pl.errors.fields.other.replace('{{field}}', 'groupIds.0'),
    ]);
  });
});

describe('errorLines for camera administration', () => {
  it('says the device refused the credentials for PermissionDenied', () => {
    expect(errorLines(i18n.t, { kind: 'PermissionDenied', message: 'The device refused the user name or password.' }, 'camera')).toEqual([pl.errors.camera.deviceAuth]);
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
