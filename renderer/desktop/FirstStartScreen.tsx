// First start of the desktop app (docs/design/site-engine.md "The desktop app as a seat"): this PC
// runs the engine itself, or it becomes a seat of the site engine. Enrolment is trust on first use
// unless the administrator's fingerprint is typed: the engine's fingerprint is then shown in groups
// to compare before main keeps anything. Main checks every step; the seat credential never comes
// here. After a choice main reloads the page against the engine now in use.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DesktopApi, DesktopOutcome, DesktopStatus, PendingEnrolment } from '../../shared/transport';
import { AuthFrame } from '../components/AuthFrame';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { enrolRequestOf, fingerprintGroups, refusalKey } from './desktop-model';

type View = { kind: 'choose' } | { kind: 'embedded' } | { kind: 'site' } | { kind: 'compare'; pending: PendingEnrolment } | { kind: 'discarded'; seat: string } | { kind: 'switching' };

/** A refusal from main, worded in the interface language, with main's English detail below. */
function Refusal({ outcome, address }: { outcome: Extract<DesktopOutcome<unknown>, { ok: false }> | null; address?: string }) {
  const { t } = useTranslation();
  if (!outcome) return null;
  return (
    <Alert color="red" data-testid="desktop-refusal" data-refusal={outcome.refusal} py={6}>
      <Text size="sm">{t(refusalKey(outcome.refusal), { address })}</Text>
      {outcome.message && (
        <Text size="xs" c="dimmed" mt={4}>
          {outcome.message}
        </Text>
      )}
    </Alert>
  );
}

function Choice({ title, hint, onClick, testId }: { title: string; hint: string; onClick: () => void; testId: string }) {
  return (
    <UnstyledButton onClick={onClick} data-testid={testId}>
      <Paper withBorder p="md" h="100%" bg="dark.6">
        <Text fw={600}>{title}</Text>
        <Text size="sm" c="dimmed" mt={4}>
          {hint}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

/** Two lines of eight groups of four, in a fixed-width font: easy to compare group by group. */
export function FingerprintGroups({ fingerprint }: { fingerprint: string }) {
  const groups = fingerprintGroups(fingerprint);
  return (
    <Code block data-testid="site-fingerprint" data-fingerprint={fingerprint} style={{ fontSize: 15, letterSpacing: 1, wordSpacing: 6, whiteSpace: 'pre-wrap' }}>
      {`${groups.slice(0, 8).join(' ')}\n${groups.slice(8).join(' ')}`}
    </Code>
  );
}

export function FirstStartScreen({ desktop, status }: { desktop: DesktopApi; status: DesktopStatus }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: 'choose' });
  const [refusal, setRefusal] = useState<Extract<DesktopOutcome<unknown>, { ok: false }> | null>(null);
  const [busy, setBusy] = useState(false);
  const [address, setAddress] = useState(status.site?.address.replace(/^https:\/\//, '') ?? '');
  const [code, setCode] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [typed, setTyped] = useState('');

  const go = (next: View) => {
    setRefusal(null);
    setView(next);
  };
  /** Runs one step; on success main reloads the page (nothing more to do here). */
  const step = async <T,>(run: () => Promise<DesktopOutcome<T>>, onOk?: (value: T) => void) => {
    setBusy(true);
    setRefusal(null);
    try {
      const r = await run();
      if (r.ok) {
        if (onOk) onOk(r.value);
        else setView({ kind: 'switching' });
      }
      // Main dropped the enrolment: nothing is left to keep, say so instead of offering it again.
      else if (r.refusal === 'fingerprint-mismatch' && view.kind === 'compare') setView({ kind: 'discarded', seat: view.pending.seatName });
      else setRefusal(r);
    } catch (err) {
      setRefusal({ ok: false, refusal: 'failed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  let title = t('desktop.choose.title');
  let body: ReactNode;
  switch (view.kind) {
    case 'choose':
      body = (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('desktop.choose.intro')}
          </Text>
          {status.site && status.siteEnrolled && (
            <Choice
              testId="first-start-kept"
              title={t('desktop.choose.kept', { address: status.site.address, seat: status.site.seatName })}
              hint={t('desktop.choose.keptHint')}
              onClick={() => void step(() => desktop.useKeptSite())}
            />
          )}
          <SimpleGrid cols={2}>
            <Choice testId="first-start-site" title={t('desktop.choose.site')} hint={t('desktop.choose.siteHint')} onClick={() => go({ kind: 'site' })} />
            <Choice testId="first-start-embedded" title={t('desktop.choose.embedded')} hint={t('desktop.choose.embeddedHint')} onClick={() => go({ kind: 'embedded' })} />
          </SimpleGrid>
          <Refusal outcome={refusal} address={status.site?.address} />
        </Stack>
      );
      break;
    case 'embedded':
      title = t('desktop.embedded.title');
      body = (
        <Stack gap="md">
          <Alert color="orange" title={t('desktop.embedded.warningTitle')} data-testid="embedded-warning">
            {t('desktop.embedded.warning')}
          </Alert>
          <Refusal outcome={refusal} />
          <Group justify="space-between">
            <Button variant="default" onClick={() => go({ kind: 'choose' })} disabled={busy}>
              {t('desktop.back')}
            </Button>
            <Button color="orange" loading={busy} data-testid="embedded-confirm" onClick={() => void step(() => desktop.useEmbedded())}>
              {t('desktop.embedded.confirm')}
            </Button>
          </Group>
        </Stack>
      );
      break;
    case 'site':
      title = t('desktop.site.title');
      body = (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void step(
              () => desktop.enrol(enrolRequestOf({ address, code, fingerprint })),
              (pending) => (pending.kept ? setView({ kind: 'switching' }) : setView({ kind: 'compare', pending })),
            );
          }}
        >
          <Stack gap="sm">
            <TextInput data-testid="enrol-address" label={t('desktop.site.address')} description={t('desktop.site.addressHint')} placeholder="10.0.0.5:8443" value={address} onChange={(e) => setAddress(e.currentTarget.value)} required autoFocus spellCheck={false} />
            <TextInput data-testid="enrol-code" label={t('desktop.site.code')} description={t('desktop.site.codeHint')} placeholder="XXXX-XXXX-XXXX-XXXX" value={code} onChange={(e) => setCode(e.currentTarget.value)} required autoComplete="off" spellCheck={false} />
            <Textarea data-testid="enrol-fingerprint" label={t('desktop.site.fingerprint')} description={t('desktop.site.fingerprintHint')} value={fingerprint} onChange={(e) => setFingerprint(e.currentTarget.value)} autosize minRows={2} spellCheck={false} styles={{ input: { fontFamily: 'monospace' } }} />
            <Refusal outcome={refusal} address={address} />
            <Group justify="space-between" mt="xs">
              <Button variant="default" onClick={() => go({ kind: 'choose' })} disabled={busy}>
                {t('desktop.back')}
              </Button>
              <Button type="submit" loading={busy} data-testid="enrol-submit">
                {t('desktop.site.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      );
      break;
    case 'compare': {
      const p = view.pending;
      title = t('desktop.compare.title');
      body = (
        <Stack gap="sm" data-testid="enrol-compare">
          <Text size="sm">{t('desktop.compare.intro', { address: p.address, seat: p.seatName, room: p.room })}</Text>
          <FingerprintGroups fingerprint={p.fingerprint} />
          <Textarea data-testid="compare-typed" label={t('desktop.compare.typed')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autosize minRows={2} spellCheck={false} styles={{ input: { fontFamily: 'monospace' } }} />
          <Refusal outcome={refusal} address={p.address} />
          <Group justify="space-between" mt="xs">
            <Button
              color="red"
              variant="light"
              disabled={busy}
              data-testid="enrol-discard"
              onClick={() => void step(() => desktop.discard({ pendingId: p.pendingId }), () => setView({ kind: 'discarded', seat: p.seatName }))}
            >
              {t('desktop.compare.discard')}
            </Button>
            <Button
              loading={busy}
              data-testid="enrol-keep"
              onClick={() =>
                void step(() => desktop.keep({ pendingId: p.pendingId, ...(typed.trim() ? { fingerprint: typed.trim() } : {}) }))
              }
            >
              {t('desktop.compare.keep')}
            </Button>
          </Group>
        </Stack>
      );
      break;
    }
    case 'discarded':
      title = t('desktop.compare.title');
      body = (
        <Stack gap="md">
          <Alert color="red" data-testid="enrol-discarded">
            {t('desktop.compare.discarded', { seat: view.seat })}
          </Alert>
          <Group>
            <Button variant="default" onClick={() => go({ kind: 'site' })}>
              {t('desktop.back')}
            </Button>
          </Group>
        </Stack>
      );
      break;
    case 'switching':
      body = (
        <Text size="sm" c="dimmed" data-testid="first-start-switching">
          {t('desktop.loading')}
        </Text>
      );
      break;
  }

  return (
    <AuthFrame title={title} aside={<PreSignInLanguage />} width={620} testId="first-start">
      {body}
    </AuthFrame>
  );
}
