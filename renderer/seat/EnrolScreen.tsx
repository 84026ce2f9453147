// A browser at a site engine's address that is not (or no longer) one of its seats
// (docs/design/site-engine.md "Enrolment"; docs/adr/0003-site-engine-tls-and-seat-enrolment.md):
// how to check that this page is the site's engine, a field for the one-time code from an
// administrator, every refusal in words, and after enrolment the fingerprint the engine states,
// to compare with the administrator's screen. The credential comes back as an HttpOnly cookie:
// no script of this page ever sees it.
import { SITE_CA_PATH } from '../../shared/contract/seats';
import { useState } from 'react';
import { Alert, Anchor, Button, Code, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ENROL_PATH, type EnrolResponse } from '../../shared/contract/seats';
import type { Refusal } from '../api/connection';
import { AuthFrame } from '../components/AuthFrame';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { enrolOutcome, formatFingerprint, type EnrolOutcome } from './seat-model';

/** What the seat says it is when it enrols (the seats list shows it). */
const SEAT_VERSION = 'browser seat';

async function postEnrol(code: string): Promise<EnrolOutcome> {
  let response: Response;
  try {
    response = await fetch(ENROL_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, version: SEAT_VERSION, delivery: 'cookie' }),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    return enrolOutcome(null, null);
  }
  const body: unknown = await response.json().catch(() => null);
  return enrolOutcome(response.status, body);
}

export function EnrolScreen({ refusal, onEnrolled }: { refusal: Refusal; onEnrolled: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<Extract<EnrolOutcome, { ok: false }> | null>(null);
  const [enrolled, setEnrolled] = useState<EnrolResponse | null>(null);

  const submit = async () => {
    if (!code.trim()) return;
    setBusy(true);
    const outcome = await postEnrol(code.trim());
    setBusy(false);
    if (outcome.ok) {
      setFailed(null);
      setEnrolled(outcome.enrolled);
    } else setFailed(outcome);
  };

  if (enrolled) {
    return (
      <AuthFrame title={t("enrol.doneTitle")} aside={<PreSignInLanguage />} testId="enrol-done" width={520}>
        <Stack gap="sm">
          <Text size="sm" data-testid="enrol-seat">
            {t('enrol.done', { name: enrolled.name, room: enrolled.room })}
          </Text>
          <Text size="sm">{t('enrol.compareAfter')}</Text>
          <Code block data-testid="enrol-fingerprint" data-fingerprint={enrolled.fingerprint} style={{ fontSize: 15, letterSpacing: 0.5, whiteSpace: 'normal', wordSpacing: 4 }}>
            {formatFingerprint(enrolled.fingerprint)}
          </Code>
          <Text size="xs" c="dimmed">
            {t('enrol.mismatch')}
          </Text>
          <Button data-testid="enrol-continue" onClick={onEnrolled}>
            {t('enrol.continue')}
          </Button>
        </Stack>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t("enrol.title")} aside={<PreSignInLanguage />} testId="enrol-screen" width={520}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm" data-refusal={refusal.reason}>
          {refusal.reason === 'revoked' && (
            <Alert color="red" py={6} data-testid="enrol-revoked">
              {t('enrol.revoked')}
            </Alert>
          )}
          <Text size="sm">{t('enrol.intro')}</Text>
          <Title order={5}>{t('enrol.checkTitle')}</Title>
          <List size="sm" spacing={4} data-testid="enrol-check">
            <List.Item>{t('enrol.checkInstalled')}</List.Item>
            <List.Item>{t('enrol.checkIssuer')}</List.Item>
            <List.Item>{t('enrol.checkAfter')}</List.Item>
          </List>
          <Anchor href={SITE_CA_PATH} size="sm" data-testid="enrol-download-ca" download>
            {t('enrol.downloadCa')}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('enrol.address', { address: location.host })}
          </Text>
          <TextInput
            data-testid="enrol-code"
            label={t('enrol.code')}
            description={t('enrol.codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            styles={{ input: { fontFamily: 'monospace', letterSpacing: 1 } }}
          />
          {failed && (
            <Alert color="red" py={6} data-testid="enrol-error" data-reason={failed.refusal}>
              {t(`enrol.refused.${failed.refusal}`, { count: failed.minutes ?? 10 })}
            </Alert>
          )}
          <Button type="submit" data-testid="enrol-submit" loading={busy} disabled={!code.trim()} fullWidth>
            {t('enrol.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
