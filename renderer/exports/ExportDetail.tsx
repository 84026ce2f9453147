// One export request (issue 6): every field, the cameras and ranges, the deadline and its
// extension, the decision, the production (progress, time left, cancel, error), the package and
// its manifest hash, the handover and the history with actors, times and reasons. While the
// package is being produced the drawer asks the engine every second (exports.get is not audited).
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, CopyButton, Divider, Drawer, Group, Loader, Progress, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView, SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime } from '../holds/time-input';
import { formatDateTimeSeconds } from '../incidents/incident-format';
import { DecideExportModal, ExtendDeadlineModal, HandoverModal } from './ExportDialogs';
import { DeadlineText, ExportStatusBadge, Field } from './export-parts';
import { canDecide, canExtend, canHandOver, canProduce, etaParts, isOwnRequest, progressPercent } from './exports-model';
import { ProduceExportModal } from './ProduceExportModal';

const POLL_MS = 1000;

type Dialog = 'approve' | 'reject' | 'extend' | 'produce' | 'handover' | null;

/** The engine's history actions and their interface strings; an unknown action is shown as it is. */
const HISTORY_KEYS: Record<string, string> = {
  requested: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  'deadline extended': 'deadlineExtended',
  'hold placed': 'holdPlaced',
  'production started': 'productionStarted',
  produced: 'produced',
  'production failed': 'productionFailed',
  'handed over': 'handedOver',
  'hold released': 'holdReleased',
  'package deleted': 'packageDeleted',
};
const HISTORY_COLOURS: Record<string, string> = {
  approved: 'teal',
  rejected: 'red',
  'deadline extended': 'yellow',
  'hold placed': 'grape',
  'hold released': 'grape',
  'production started': 'blue',
  produced: 'green',
  'production failed': 'red',
  'handed over': 'grape',
};

/** Keyed by export id by the caller: another export is a fresh detail. */
export function ExportDetail({ exportId, session, onClose, onChanged }: { exportId: number; session: SessionView; onClose: () => void; onChanged: (view: ExportView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [view, setView] = useState<ExportView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [cancelling, setCancelling] = useState(false);
  const [nowMs, setNowMs] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    void api.call('exports.get', { exportId }).then((r) => {
      if (cancelled) return;
      setNowMs(Date.now());
      if (r.ok) setView(r.value);
      else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, exportId]);

  const producing = view?.status === 'producing';
  // While producing: poll until the engine says it is done, failed or cancelled; tell the list then.
  useEffect(() => {
    if (!producing) return;
    let cancelled = false;
    const timer = setInterval(() => {
      void api.call('exports.get', { exportId }).then((r) => {
        if (cancelled || !r.ok) return;
        setView(r.value);
        setNowMs(Date.now());
        if (r.value.status !== 'producing') onChanged(r.value);
      });
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api, exportId, producing, onChanged]);

  const updated = (next: ExportView) => {
    setDialog(null);
    setView(next);
    setError(null);
    onChanged(next);
  };

  const cancel = async () => {
    setCancelling(true);
    const r = await api.call('exports.cancel', { exportId });
    setCancelling(false);
    if (r.ok) updated(r.value);
    else setError(r.error);
  };

  const own = view ? isOwnRequest(view, session) : false;
  const production = view?.production ?? null;
  const eta = etaParts(production?.etaMs ?? null);

  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size={560}
      title={
        <Group gap="xs">
          <Title order={3} data-testid="export-detail-number">
            {view?.number ?? `EXP-${exportId}`}
          </Title>
          {view && <ExportStatusBadge status={view.status} testId="export-detail-status" />}
          {view?.urgent && (
            <Badge color="red" variant="light" tt="none" data-testid="export-detail-urgent">
              {t('exports.urgent')}
            </Badge>
          )}
        </Group>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
      attributes={{ content: { 'data-testid': 'export-detail', 'data-export-id': exportId, 'data-status': view?.status }, close: { 'data-testid': 'export-detail-close' } }}
    >
      {!view && (error ? <ErrorAlert error={error} testId="export-detail-error" /> : <Loader size="sm" />)}
      {view && (
        <Stack gap="sm" data-status={view.status}>
          <SimpleGrid cols={2} spacing="sm" verticalSpacing={8}>
            <Field label={t('exports.fields.body')} testId="export-detail-body">
              {t(`exports.bodyType.${view.bodyType}`)}
              {'\n'}
              {view.bodyName}
            </Field>
            <Field label={t('exports.fields.bodyReference')} testId="export-detail-reference">
              {view.bodyReference}
            </Field>
            <Field label={t('exports.fields.receivedAt')}>{formatDateTime(view.receivedAtMs)}</Field>
            <Field label={t('exports.fields.requestedBy')} testId="export-detail-requested-by">
              {view.requestedBy} · {formatDateTime(view.requestedAtMs)}
            </Field>
            <Field label={t('exports.fields.legalBasis')} testId="export-detail-basis">
              {view.legalBasis}
            </Field>
            <Field label={t('exports.fields.recipient')} testId="export-detail-recipient">
              {view.recipient}
            </Field>
          </SimpleGrid>
          <Field label={t('exports.fields.purpose')} testId="export-detail-purpose">
            {view.purpose}
          </Field>
          {view.incidentId !== null && <Field label={t('exports.fields.incident')}>{`INC-${view.incidentId}`}</Field>}

          <Group gap="lg" align="flex-start">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t(view.urgent ? 'exports.fields.deadlineUrgent' : 'exports.fields.deadline')}
              </Text>
              <DeadlineText view={view} nowMs={nowMs} testId="export-detail-deadline" />
            </Stack>
            {view.deadlineExtension && (
              <Field label={t('exports.fields.extension')} testId="export-detail-extension">
                {t('exports.extensionText', { until: formatDateTime(view.deadlineExtension.untilMs), by: view.deadlineExtension.by })}
                {'\n'}
                {view.deadlineExtension.reason}
              </Field>
            )}
          </Group>

          {view.status === 'pending' && own && session.permissions.includes('exports.approve') && (
            <Text size="xs" c="yellow.4" data-testid="export-own-request">
              {t('exports.decide.ownRequest')}
            </Text>
          )}
          <Group gap="xs">
            {canDecide(view, session) && (
              <>
                <Button size="xs" color="teal" data-testid="export-approve" onClick={() => setDialog('approve')}>
                  {t('exports.decide.approveButton')}
                </Button>
                <Button size="xs" color="red" variant="light" data-testid="export-reject" onClick={() => setDialog('reject')}>
                  {t('exports.decide.rejectButton')}
                </Button>
              </>
            )}
            {canExtend(view, session) && (
              <Button size="xs" variant="default" data-testid="export-extend" onClick={() => setDialog('extend')}>
                {t('exports.extend.button')}
              </Button>
            )}
            {canProduce(view, session) && (
              <Button size="xs" data-testid="export-produce" onClick={() => setDialog('produce')}>
                {t(view.status === 'failed' ? 'exports.produce.again' : 'exports.produce.button')}
              </Button>
            )}
            {canHandOver(view, session) && (
              <Button size="xs" color="grape" data-testid="export-handover" onClick={() => setDialog('handover')}>
                {t('exports.handover.button')}
              </Button>
            )}
          </Group>
          <ErrorAlert error={error} testId="export-detail-error" />

          <Divider label={t('exports.detail.items', { count: view.items.length })} labelPosition="left" />
          <CameraRangeTable items={view.items} testId="export-items" rowTestId="export-item" />

          {view.decision && (
            <>
              <Divider label={t('exports.detail.decision')} labelPosition="left" />
              <Alert color={view.decision.approved ? 'teal' : 'red'} py={6} data-testid="export-detail-decision" data-approved={String(view.decision.approved)}>
                <Text size="sm" fw={600}>
                  {t(view.decision.approved ? 'exports.detail.approvedBy' : 'exports.detail.rejectedBy', { by: view.decision.by, at: formatDateTime(view.decision.atMs) })}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {view.decision.reason}
                </Text>
              </Alert>
            </>
          )}

          {production && (
            <>
              <Divider label={t('exports.detail.production')} labelPosition="left" />
              <Stack gap={6} data-testid="export-production" data-mode={production.mode}>
                <Group gap="lg">
                  <Field label={t('exports.fields.mode')}>{t(`exports.mode.${production.mode}`)}</Field>
                  <Field label={t('exports.fields.producedBy')}>
                    {production.by} · {formatDateTime(production.startedAtMs)}
                  </Field>
                  {production.mode === 'burn_in' && <Field label={t('exports.fields.redactions')}>{production.redactions}</Field>}
                </Group>
                {view.status === 'producing' && (
                  <Stack gap={4}>
                    <Progress value={progressPercent(production.progress)} size="lg" striped animated data-testid="export-progress" aria-label={t('exports.detail.progress')} />
                    <Group justify="space-between">
                      <Text size="sm" fw={600} data-testid="export-progress-percent">
                        {progressPercent(production.progress)} %
                      </Text>
                      <Text size="xs" c="dimmed" data-testid="export-progress-eta">
                        {eta ? t('exports.detail.eta', { minutes: eta.minutes, seconds: String(eta.seconds).padStart(2, '0') }) : t('exports.detail.etaUnknown')}
                      </Text>
                      <Button size="compact-sm" color="red" variant="light" loading={cancelling} data-testid="export-cancel" onClick={() => void cancel()}>
                        {t('exports.detail.cancel')}
                      </Button>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('exports.detail.background')}
                    </Text>
                  </Stack>
                )}
                {production.error && (
                  <Alert color="red" py={6} data-testid="export-production-error">
                    {production.error}
                  </Alert>
                )}
                {production.finishedAtMs !== null && !production.error && (
                  <Text size="xs" c="dimmed">
                    {t('exports.detail.finishedAt', { at: formatDateTimeSeconds(production.finishedAtMs) })}
                  </Text>
                )}
                {production.packagePath && (
                  <Stack gap={2}>
                    <Text size="xs" c="dimmed">
                      {t('exports.fields.packagePath')}
                    </Text>
                    <Group gap={4} wrap="nowrap">
                      <Code block data-testid="export-package-path" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                        {production.packagePath}
                      </Code>
                      <CopyButton value={production.packagePath}>
                        {({ copied, copy }) => (
                          <Button size="compact-xs" variant="default" onClick={copy}>
                            {copied ? t('exports.detail.copied') : t('exports.detail.copy')}
                          </Button>
                        )}
                      </CopyButton>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('exports.detail.verifyHint')}
                    </Text>
                  </Stack>
                )}
                {production.manifestSha256 && (
                  <Stack gap={2}>
                    <Text size="xs" c="dimmed">
                      {t('exports.fields.manifestSha256')}
                    </Text>
                    <Code data-testid="export-manifest-sha" style={{ wordBreak: 'break-all' }}>
                      {production.manifestSha256}
                    </Code>
                  </Stack>
                )}
              </Stack>
            </>
          )}

          {view.handover && (
            <>
              <Divider label={t('exports.detail.handover')} labelPosition="left" />
              <SimpleGrid cols={2} spacing="sm" verticalSpacing={6} data-testid="export-detail-handover">
                <Field label={t('exports.handover.receivedBy')}>{view.handover.receivedBy}</Field>
                <Field label={t('exports.handover.when')}>{formatDateTime(view.handover.receivedAtMs)}</Field>
                <Field label={t('exports.handover.medium')}>{view.handover.medium}</Field>
                <Field label={t('exports.handover.recordedBy')}>{view.handover.recordedBy}</Field>
              </SimpleGrid>
              {view.handover.note && <Field label={t('exports.handover.note')}>{view.handover.note}</Field>}
            </>
          )}

          <Divider label={t('exports.detail.history')} labelPosition="left" />
          <Timeline bulletSize={12} lineWidth={2} active={view.history.length - 1} data-testid="export-history">
            {view.history.map((e, index) => (
              <Timeline.Item
                key={`${e.atMs}-${index}`}
                data-testid="export-history-entry"
                data-action={e.action}
                color={HISTORY_COLOURS[e.action] ?? 'accent'}
                title={
                  <Text size="xs" fw={600}>
                    {HISTORY_KEYS[e.action] ? t(`exports.history.${HISTORY_KEYS[e.action]}`) : e.action} · {e.actor}
                  </Text>
                }
              >
                <Text size="xs" c="dimmed">
                  {formatDateTimeSeconds(e.atMs)}
                </Text>
                {e.note && (
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {e.note}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      )}
      {view && (dialog === 'approve' || dialog === 'reject') && <DecideExportModal view={view} approve={dialog === 'approve'} onClose={() => setDialog(null)} onDone={updated} />}
      {view && dialog === 'extend' && <ExtendDeadlineModal view={view} onClose={() => setDialog(null)} onDone={updated} />}
      {view && dialog === 'produce' && <ProduceExportModal view={view} onClose={() => setDialog(null)} onStarted={updated} />}
      {view && dialog === 'handover' && <HandoverModal view={view} onClose={() => setDialog(null)} onDone={updated} />}
    </Drawer>
  );
}
