// One legal hold: what it secures and why, its review date, its release, and its history.
import { Badge, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HoldView } from '../../shared/contract';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { DetailDrawer, DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDate, formatDateTime } from '../kit/format-time';
import { HistoryTimeline, type HistoryActions } from '../kit/HistoryTimeline';
import { StatusBadge } from '../kit/StatusBadge';

const HISTORY: HistoryActions = {
  labels: { placed: 'holds.history.placed', extended: 'holds.history.extended', released: 'holds.history.released' },
  colours: { released: 'red', extended: 'yellow' },
  details: { extended: 'holds.historyDetails.extended', released: 'holds.historyDetails.released' },
};

export function HoldDetail({
  hold,
  canExtend,
  canRelease,
  onClose,
  onExtend,
  onRelease,
}: {
  hold: HoldView;
  canExtend: boolean;
  canRelease: boolean;
  onClose: () => void;
  onExtend: () => void;
  onRelease: () => void;
}) {
  const { t } = useTranslation();
  const active = hold.status === 'active';
  return (
    <DetailDrawer
      title={hold.caseReference}
      titleTestId="hold-detail-case"
      subtitle={`${t(`holds.kind.${hold.kind}`)} · #${hold.id}`}
      onClose={onClose}
      testId="hold-detail"
      closeTestId="hold-detail-close"
      attributes={{ 'data-hold-id': hold.id, 'data-status': hold.status }}
      loaded
      error={null}
      errorTestId="hold-detail-error"
    >
      <Group gap="xs">
        <HoldStatusBadge status={hold.status} testId="hold-detail-status" />
        {hold.reviewOverdue && (
          <Badge color="orange" variant="filled" tt="none" data-testid="hold-detail-overdue">
            {t('holds.overdueLong', { date: formatDate(hold.reviewDateMs) })}
          </Badge>
        )}
        {hold.protectsExport && (
          <Badge color="violet" variant="light" tt="none" data-testid="hold-detail-protects-export">
            {t('holds.protectsExport', { number: hold.protectsExport.number })}
          </Badge>
        )}
      </Group>
      {active && (canExtend || canRelease) && (
        <Group gap="xs">
          {canExtend && (
            <Button size="xs" variant="default" data-testid="hold-extend" onClick={onExtend}>
              {t('holds.extend.button')}
            </Button>
          )}
          {canRelease && (
            <Button size="xs" color="red" variant="light" data-testid="hold-release" onClick={onRelease}>
              {t('holds.release.button')}
            </Button>
          )}
        </Group>
      )}
      <DetailField label={t('holds.fields.requestingBody')}>{hold.requestingBody}</DetailField>
      <DetailField label={t('holds.fields.legalBasis')}>{hold.legalBasis}</DetailField>
      <DetailField label={t('holds.fields.reason')}>{hold.reason}</DetailField>
      <Group grow align="flex-start">
        <DetailField label={t('holds.fields.reviewDate')} testId="hold-detail-review">
          {formatDate(hold.reviewDateMs)}
        </DetailField>
        <DetailField label={t('holds.columns.placed')}>
          {formatDateTime(hold.createdAtMs)} · {hold.createdBy}
        </DetailField>
      </Group>
      {!active && (
        <DetailField label={t('holds.detail.released')} testId="hold-detail-released">
          {hold.releasedAtMs !== null ? formatDateTime(hold.releasedAtMs) : ''} · {hold.releasedBy ?? ''}
          {'\n'}
          {hold.releaseReason ?? ''}
        </DetailField>
      )}
      <DetailSection label={t('holds.detail.items', { count: hold.items.length })}>
        <CameraRangeTable items={hold.items} testId="hold-items" rowTestId="hold-item" />
      </DetailSection>
      <DetailSection label={t('holds.detail.history')}>
        <HistoryTimeline entries={hold.history} actions={HISTORY} testId="hold-history" entryTestId="hold-history-entry" />
      </DetailSection>
    </DetailDrawer>
  );
}

export function HoldStatusBadge({ status, testId }: { status: HoldView['status']; testId?: string }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`holds.status.${status}`)} colour={status === 'active' ? 'green' : 'gray'} testId={testId} />;
}
