// Small pieces shared by the export screens: status, urgency and deadline badges, the request's fields.
import { Badge, Box, SimpleGrid, Text, type BadgeProps } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ExportSummaryView, ExportView } from '../../shared/contract';
import { DetailField } from '../kit/DetailDrawer';
import { formatDateTime } from '../kit/format-time';
import { StatusBadge } from '../kit/StatusBadge';
import { STATUS_COLOURS, deadlineColour, deadlineWording } from './exports-model';

export function ExportStatusBadge({ status, testId }: { status: ExportSummaryView['status']; testId?: string }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`exports.status.${status}`)} colour={STATUS_COLOURS[status]} testId={testId} />;
}

export function UrgentBadge(props: Omit<BadgeProps, 'children'> & { 'data-testid'?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="light" tt="none" {...props}>
      {t('exports.urgent')}
    </Badge>
  );
}

/** The deadline's date, and in words how far it is: amber when near, red when overdue. */
export function DeadlineText({ view, nowMs, testId }: { view: Pick<ExportSummaryView, 'deadlineMs' | 'deadlineState'>; nowMs: number; testId?: string }) {
  const { t } = useTranslation();
  const wording = deadlineWording(view, nowMs);
  const colour = deadlineColour(view.deadlineState);
  const flagged = view.deadlineState === 'near' || view.deadlineState === 'overdue';
  return (
    <Box data-testid={testId} data-deadline-state={view.deadlineState}>
      <Text size="sm" ff="monospace" fw={flagged ? 700 : undefined} c={flagged ? `${colour}.4` : undefined} className="oc-nowrap">
        {formatDateTime(view.deadlineMs)}
      </Text>
      {flagged ? (
        <Badge color={colour} variant="filled" size="xs" tt="none" style={{ minWidth: 'max-content' }} data-testid={testId ? `${testId}-flag` : undefined}>
          {wordingText(t, wording)}
        </Badge>
      ) : (
        <Text size="xs" c="dimmed">
          {wordingText(t, wording)}
        </Text>
      )}
    </Box>
  );
}

function wordingText(t: TFunction, w: ReturnType<typeof deadlineWording>): string {
  if (w.key === 'left') return t('exports.deadline.left', { count: w.days });
  if (w.key === 'overdue') return w.days > 0 ? t('exports.deadline.overdueBy', { count: w.days }) : t('exports.deadline.overdue');
  return t(`exports.deadline.${w.key}`);
}

/** The request's own fields, as the deciding supervisor must read them too (`withTestIds` only once on a page). */
export function RequestFields({ view, withTestIds = true }: { view: ExportView; withTestIds?: boolean }) {
  const { t } = useTranslation();
  const id = (name: string) => (withTestIds ? `export-detail-${name}` : undefined);
  return (
    <>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={8}>
        <DetailField label={t('exports.fields.body')} testId={id('body')}>
          {t(`exports.bodyType.${view.bodyType}`)}
          {'\n'}
          {view.bodyName}
        </DetailField>
        <DetailField label={t('exports.fields.bodyReference')} testId={id('reference')}>
          {view.bodyReference}
        </DetailField>
        <DetailField label={t('exports.fields.receivedAt')}>{formatDateTime(view.receivedAtMs)}</DetailField>
        <DetailField label={t('exports.fields.requestedBy')} testId={id('requested-by')}>
          {view.requestedBy} · {formatDateTime(view.requestedAtMs)}
        </DetailField>
        <DetailField label={t('exports.fields.legalBasis')} testId={id('basis')}>
          {view.legalBasis}
        </DetailField>
        <DetailField label={t('exports.fields.recipient')} testId={id('recipient')}>
          {view.recipient}
        </DetailField>
      </SimpleGrid>
      <DetailField label={t('exports.fields.purpose')} testId={id('purpose')}>
        {view.purpose}
      </DetailField>
    </>
  );
}
