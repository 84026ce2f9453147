// One export request (docs/design/exports.md): every field, the cameras and ranges, the deadline and its
// extension, the decision, the production (ExportProduction), the handover and the history with
// actors, times and reasons. The drawer reads the request again when the engine says it changed
// (a decision, a deadline, the production's progress, the handover: docs/design/events.md); over a
// transport without events it asks every second while the package is being produced.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView, SessionView } from '../../shared/contract';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { DetailDrawer, DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDateTime } from '../kit/format-time';
import { HistoryTimeline, type HistoryActions } from '../kit/HistoryTimeline';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useApi } from '../api/api-context';
import { useReloadOn } from '../kit/use-engine-events';
import { DecideExportModal, ExtendDeadlineModal, HandoverModal } from './ExportDialogs';
import { ExportProduction } from './ExportProduction';
import { DeadlineText, ExportStatusBadge, RequestFields, UrgentBadge } from './export-parts';
import { canDecide, canExtend, canHandOver, canProduce, concernsExport, EXPORT_EVENTS, isOwnRequest } from './exports-model';
import { ProduceExportModal } from './ProduceExportModal';

const POLL_MS = 1000;

type Dialog = 'approve' | 'reject' | 'extend' | 'produce' | 'handover' | null;

/** The engine's history actions and their interface strings; an unknown action is shown as it is. */
const HISTORY: HistoryActions = {
  labels: {
    requested: 'exports.history.requested',
    approved: 'exports.history.approved',
    rejected: 'exports.history.rejected',
    'deadline extended': 'exports.history.deadlineExtended',
    'hold placed': 'exports.history.holdPlaced',
    'production started': 'exports.history.productionStarted',
    produced: 'exports.history.produced',
    'production failed': 'exports.history.productionFailed',
    'handed over': 'exports.history.handedOver',
    'hold released': 'exports.history.holdReleased',
    'package deleted': 'exports.history.packageDeleted',
    'data subject confirmed': 'exports.history.dataSubjectConfirmed',
  },
  colours: {
    approved: 'teal',
    rejected: 'red',
    'deadline extended': 'yellow',
    'hold placed': 'grape',
    'hold released': 'grape',
    'production started': 'blue',
    produced: 'green',
    'production failed': 'red',
    'handed over': 'grape',
    'data subject confirmed': 'orange',
  },
  details: {
    requested: 'exports.historyDetails.requested',
    'deadline extended': 'exports.historyDetails.deadlineExtended',
    'hold placed': 'exports.historyDetails.holdPlaced',
    'production started': 'exports.historyDetails.productionStarted',
    produced: 'exports.historyDetails.produced',
    'production failed': 'exports.historyDetails.productionFailed',
    'handed over': 'exports.historyDetails.handedOver',
    'hold released': 'exports.historyDetails.holdReleased',
    'package deleted': 'exports.historyDetails.packageDeleted',
    'data subject confirmed': 'exports.historyDetails.dataSubjectConfirmed',
  },
};

/** Keyed by export id by the caller: another export is a fresh detail. */
export function ExportDetail({ exportId, session, onClose, onChanged }: { exportId: number; session: SessionView; onClose: () => void; onChanged: (view: ExportView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [producing, setProducing] = useState(false);
  // Without events, while producing: asked again every second until the engine says it is done, failed or cancelled.
  const loaded = useCommand('exports.get', { exportId }, [exportId], { pollMs: producing && !api.hasEvents ? POLL_MS : undefined });
  useReloadOn(EXPORT_EVENTS, loaded.reload, (event) => concernsExport(exportId, event));
  const view = loaded.value;
  const [dialog, setDialog] = useState<Dialog>(null);
  const cancelAction = useAction();

  const status = view?.status ?? null;
  if ((status === 'producing') !== producing) setProducing(status === 'producing');
  // A production that ended while the drawer watched it: the list shows the new status.
  const watched = useRef<string | null>(null);
  useEffect(() => {
    // A status changed by someone else (or a production that ended while the drawer watched it): the list shows it.
    if (view && watched.current !== null && watched.current !== view.status) onChanged(view);
    watched.current = view?.status ?? null;
  }, [view, onChanged]);

  const updated = (next: ExportView) => {
    setDialog(null);
    loaded.setValue(() => next);
    onChanged(next);
  };

  const cancel = async () => {
    const next = await cancelAction.run('exports.cancel', { exportId });
    if (next) updated(next);
  };

  const own = view ? isOwnRequest(view, session) : false;

  return (
    <DetailDrawer
      title={view?.number ?? `EXP-${exportId}`}
      titleTestId="export-detail-number"
      badges={
        view && (
          <>
            <ExportStatusBadge status={view.status} testId="export-detail-status" />
            {view.urgent && <UrgentBadge data-testid="export-detail-urgent" />}
          </>
        )
      }
      onClose={onClose}
      testId="export-detail"
      closeTestId="export-detail-close"
      attributes={{ 'data-export-id': exportId, 'data-status': view?.status }}
      loaded={view !== null}
      error={loaded.error ?? cancelAction.error}
      errorTestId="export-detail-error"
    >
      {view && (
        <>
          <RequestFields view={view} />
          {view.incidentId !== null && <DetailField label={t('exports.fields.incident')}>{`INC-${view.incidentId}`}</DetailField>}
          <Group gap="lg" align="flex-start">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t(view.urgent ? 'exports.fields.deadlineUrgent' : 'exports.fields.deadline')}
              </Text>
              <DeadlineText view={view} nowMs={loaded.settledAtMs} testId="export-detail-deadline" />
            </Stack>
            {view.deadlineExtension && (
              <DetailField label={t('exports.fields.extension')} testId="export-detail-extension">
                {t('exports.extensionText', { until: formatDateTime(view.deadlineExtension.untilMs), by: view.deadlineExtension.by })}
                {'\n'}
                {view.deadlineExtension.reason}
              </DetailField>
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
          <DetailSection label={t('exports.detail.items', { count: view.items.length })}>
            <CameraRangeTable items={view.items} testId="export-items" rowTestId="export-item" />
          </DetailSection>
          {view.decision && (
            <DetailSection label={t('exports.detail.decision')}>
              <Alert color={view.decision.approved ? 'teal' : 'red'} py={6} data-testid="export-detail-decision" data-approved={String(view.decision.approved)}>
                <Text size="sm" fw={600}>
                  {t(view.decision.approved ? 'exports.detail.approvedBy' : 'exports.detail.rejectedBy', { by: view.decision.by, at: formatDateTime(view.decision.atMs) })}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {view.decision.reason}
                </Text>
              </Alert>
            </DetailSection>
          )}
          {view.production && <ExportProduction production={view.production} producing={view.status === 'producing'} cancelling={cancelAction.busy} onCancel={() => void cancel()} />}
          {view.handover && (
            <DetailSection label={t('exports.detail.handover')}>
              <SimpleGrid cols={2} spacing="sm" verticalSpacing={6} data-testid="export-detail-handover">
                <DetailField label={t('exports.handover.receivedBy')}>{view.handover.receivedBy}</DetailField>
                <DetailField label={t('exports.handover.when')}>{formatDateTime(view.handover.receivedAtMs)}</DetailField>
                <DetailField label={t('exports.handover.medium')}>{view.handover.medium}</DetailField>
                <DetailField label={t('exports.handover.recordedBy')}>{view.handover.recordedBy}</DetailField>
              </SimpleGrid>
              {view.handover.note && <DetailField label={t('exports.handover.note')}>{view.handover.note}</DetailField>}
            </DetailSection>
          )}
          <DetailSection label={t('exports.detail.history')}>
            <HistoryTimeline entries={view.history} actions={HISTORY} testId="export-history" entryTestId="export-history-entry" />
          </DetailSection>
          {(dialog === 'approve' || dialog === 'reject') && <DecideExportModal view={view} approve={dialog === 'approve'} onClose={() => setDialog(null)} onDone={updated} />}
          {dialog === 'extend' && <ExtendDeadlineModal view={view} onClose={() => setDialog(null)} onDone={updated} />}
          {dialog === 'produce' && <ProduceExportModal view={view} onClose={() => setDialog(null)} onStarted={updated} />}
          {dialog === 'handover' && <HandoverModal view={view} onClose={() => setDialog(null)} onDone={updated} />}
        </>
      )}
    </DetailDrawer>
  );
}
