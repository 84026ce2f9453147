// One breach: what was reported, the 72-hour clock, the assessment, the notifications and the
// history (append-only in the engine). The officer's actions follow what the record still needs.
import { Badge, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BreachView } from '../../shared/contract';
import { DetailDrawer, DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDateTime } from '../kit/format-time';
import { HistoryTimeline, type HistoryActions } from '../kit/HistoryTimeline';
import { StatusBadge } from '../kit/StatusBadge';
import { BreachClockBadge } from './BreachClockBadge';

const HISTORY: HistoryActions = {
  labels: {
    reported: 'breaches.history.reported',
    proposed: 'breaches.history.proposed',
    assessed: 'breaches.history.assessed',
    notified: 'breaches.history.notified',
    closed: 'breaches.history.closed',
    reminded: 'breaches.history.reminded',
  },
  colours: { proposed: 'orange', assessed: 'yellow', notified: 'green', closed: 'gray', reminded: 'orange' },
  details: {
    assessed: 'breaches.historyDetails.assessed',
    notified: 'breaches.historyDetails.notified',
    reported: 'breaches.historyDetails.reported',
    proposed: 'breaches.historyDetails.proposed',
    reminded: 'breaches.historyDetails.reminded',
  },
};

export function BreachStatusBadge({ status, testId }: { status: BreachView['status']; testId?: string }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`breaches.status.${status}`)} colour={status === 'open' ? 'red' : 'gray'} testId={testId} />;
}

export function CategoryBadge({ category, testId }: { category: BreachView['category']; testId?: string }) {
  const { t } = useTranslation();
  const colour = category === null ? 'gray' : category === 1 ? 'blue' : category === 2 ? 'orange' : 'red';
  return (
    <Badge color={colour} variant={category === null ? 'outline' : 'light'} tt="none" style={{ minWidth: 'max-content' }} data-testid={testId} data-category={category ?? 'none'}>
      {category === null ? t('breaches.category.none') : t(`breaches.category.${category}`)}
    </Badge>
  );
}

export function BreachDetail({
  breach: b,
  canAssess,
  onClose,
  onAssess,
  onNotify,
  onCloseRecord,
}: {
  breach: BreachView;
  canAssess: boolean;
  onClose: () => void;
  onAssess: () => void;
  onNotify: (to: 'authority' | 'data_subjects') => void;
  onCloseRecord: () => void;
}) {
  const { t } = useTranslation();
  const open = b.status === 'open';
  const authorityDue = b.category !== null && b.category >= 2 && !b.authorityNotification;
  const subjectsDue = b.category === 3 && b.subjectsNotice === 'notify' && !b.subjectsNotification;
  return (
    <DetailDrawer
      title={b.reference}
      titleTestId="breach-detail-reference"
      subtitle={b.source === 'engine' ? t('breaches.source.engine') : t('breaches.source.person', { actor: b.reportedBy })}
      onClose={onClose}
      testId="breach-detail"
      closeTestId="breach-detail-close"
      attributes={{ 'data-breach-id': b.id, 'data-status': b.status }}
      loaded
      error={null}
      errorTestId="breach-detail-error"
    >
      <Group gap="xs">
        <BreachStatusBadge status={b.status} testId="breach-detail-status" />
        <CategoryBadge category={b.category} testId="breach-detail-category" />
        <BreachClockBadge breach={b} long testId="breach-detail-clock" />
      </Group>
      {open && canAssess && (
        <Group gap="xs">
          <Button size="xs" data-testid="breach-assess" onClick={onAssess}>
            {b.category === null ? t('breaches.assess.button') : t('breaches.assess.again')}
          </Button>
          {authorityDue && (
            <Button size="xs" color="orange" data-testid="breach-notify-authority" onClick={() => onNotify('authority')}>
              {t('breaches.notify.authorityButton')}
            </Button>
          )}
          {subjectsDue && (
            <Button size="xs" color="orange" data-testid="breach-notify-subjects" onClick={() => onNotify('data_subjects')}>
              {t('breaches.notify.subjectsButton')}
            </Button>
          )}
          {b.category !== null && !authorityDue && !subjectsDue && (
            <Button size="xs" variant="default" data-testid="breach-close" onClick={onCloseRecord}>
              {t('breaches.close.button')}
            </Button>
          )}
        </Group>
      )}
      <DetailField label={t('breaches.fields.what')} testId="breach-detail-what">
        {b.proposal && <Text size="sm" fw={600}>{t(`breaches.proposal.${b.proposal}`)}</Text>}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{b.what}</Text>
      </DetailField>
      <DetailField label={t('breaches.fields.discoveredAt')}>{formatDateTime(b.discoveredAtMs)}</DetailField>
      <DetailField label={t('breaches.fields.deadline')} testId="breach-detail-deadline">{formatDateTime(b.clock.deadlineMs)}</DetailField>
      {b.cameras.length > 0 && <DetailField label={t('breaches.fields.cameras')}>{b.cameras.map((c) => c.cameraName).join(', ')}</DetailField>}
      {b.records && <DetailField label={t('breaches.fields.records')}>{b.records}</DetailField>}
      {b.category !== null && (
        <DetailSection label={t('breaches.sections.assessment')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="breach-detail-reasoning">{b.reasoning}</Text>
          {b.subjectsNotice && <Text size="sm">{t(`breaches.subjectsNotice.${b.subjectsNotice}`)}</Text>}
          {b.subjectsNotNotifiedReason && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{b.subjectsNotNotifiedReason}</Text>}
          <Text size="xs" c="dimmed">{t('breaches.assessedBy', { actor: b.assessedBy, at: formatDateTime(b.assessedAtMs ?? 0) })}</Text>
        </DetailSection>
      )}
      {(b.authorityNotification || b.subjectsNotification) && (
        <DetailSection label={t('breaches.sections.notifications')}>
          {b.authorityNotification && <Text size="sm" data-testid="breach-detail-authority">{t('breaches.notify.authorityLine', { at: formatDateTime(b.authorityNotification.atMs), channel: b.authorityNotification.channel, reference: b.authorityNotification.reference })}</Text>}
          {b.subjectsNotification && <Text size="sm" data-testid="breach-detail-subjects">{t('breaches.notify.subjectsLine', { at: formatDateTime(b.subjectsNotification.atMs), channel: b.subjectsNotification.channel, reference: b.subjectsNotification.reference })}</Text>}
        </DetailSection>
      )}
      <DetailSection label={t('breaches.sections.history')}>
        <HistoryTimeline entries={b.history} actions={HISTORY} testId="breach-history" entryTestId="breach-history-entry" />
      </DetailSection>
    </DetailDrawer>
  );
}
