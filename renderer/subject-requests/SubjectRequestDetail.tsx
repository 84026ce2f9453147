// One data-subject request: what was asked and by whom (the contact kept to one line), the deadline
// and its extension, the identity check, the decision with its reasons and fee, the answer, the
// holds and exports it caused (a copy's export says how other people were redacted, JON 19), the
// viewings on site, and the append-only history. The keeper's next steps follow what the record needs.
import type { ReactNode } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SubjectRequestView } from '../../shared/contract';
import { currentLocale } from '../i18n';
import { DetailDrawer, DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDate, formatDateTime, formatRange } from '../kit/format-time';
import { HistoryTimeline, type HistoryActions } from '../kit/HistoryTimeline';
import { SubjectDeadlineBadge, SubjectStatusBadge } from './SubjectDeadlineBadge';
import { formatFee, nextSteps, type SubjectDialog } from './subject-model';

const HISTORY: HistoryActions = {
  labels: {
    recorded: 'subjects.history.recorded',
    'identity checked': 'subjects.history.identity',
    extended: 'subjects.history.extended',
    decided: 'subjects.history.decided',
    answered: 'subjects.history.answered',
    linked: 'subjects.history.linked',
    viewing: 'subjects.history.viewing',
  },
  colours: { extended: 'orange', decided: 'yellow', answered: 'green', linked: 'grape', viewing: 'cyan' },
  details: {
    recorded: 'subjects.historyDetails.recorded',
    'identity checked': 'subjects.historyDetails.identity',
    extended: 'subjects.historyDetails.extended',
    decided: 'subjects.historyDetails.decided',
    answered: 'subjects.historyDetails.answered',
    linked: 'subjects.historyDetails.linked',
    viewing: 'subjects.historyDetails.viewing',
  },
};

const Lines = ({ children, testId }: { children: ReactNode; testId?: string }) => (
  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid={testId}>
    {children}
  </Text>
);

export function SubjectRequestDetail({ request: r, canManage, onClose, onStep }: { request: SubjectRequestView; canManage: boolean; onClose: () => void; onStep: (step: SubjectDialog) => void }) {
  const { t } = useTranslation();
  const steps = nextSteps(r, canManage);
  const step = (kind: SubjectDialog, label: string, colour?: string) => (
    <Button size="xs" variant={colour ? 'filled' : 'default'} color={colour} data-testid={`subject-${kind}`} onClick={() => onStep(kind)}>
      {label}
    </Button>
  );
  return (
    <DetailDrawer
      title={r.reference}
      titleTestId="subject-detail-reference"
      subtitle={t(`subjects.kind.${r.kind}`)}
      onClose={onClose}
      testId="subject-detail"
      closeTestId="subject-detail-close"
      attributes={{ 'data-request-id': r.id, 'data-status': r.status }}
      loaded
      error={null}
      errorTestId="subject-detail-error"
    >
      <Group gap="xs">
        <SubjectStatusBadge status={r.status} testId="subject-detail-status" />
        <SubjectDeadlineBadge request={r} long testId="subject-detail-deadline" />
      </Group>
      {(steps.identity || steps.decide || steps.answer || steps.extend || steps.link || steps.viewing) && (
        <Group gap="xs">
          {steps.identity && step('identity', t('subjects.identity.button'))}
          {steps.decide && step('decide', t('subjects.decide.button'), 'accent')}
          {steps.answer && step('answer', t('subjects.answer.button'), 'accent')}
          {steps.extend && step('extend', t('subjects.extend.button'))}
          {steps.link && step('link', t('subjects.linkDialog.button'))}
          {steps.viewing && step('viewing', t('subjects.viewing.button'))}
        </Group>
      )}
      <DetailField label={t('subjects.fields.requester')} testId="subject-detail-requester">
        <Text size="sm" fw={600}>{r.requesterName}</Text>
        <Text size="sm" c="dimmed">{r.requesterContact}</Text>
      </DetailField>
      <DetailField label={t('subjects.fields.received')}>
        {formatDateTime(r.receivedAtMs)} · {t(`subjects.channel.${r.channel}`)}
      </DetailField>
      {r.footage && <DetailField label={t('subjects.fields.footage')}><Lines>{r.footage}</Lines></DetailField>}
      <DetailField label={t('subjects.fields.deadline')} testId="subject-detail-deadline-text">
        <Stack gap={2}>
          <Text size="xs" c="dimmed">{t(r.country === 'LT' ? 'subjects.deadline.ruleLt' : 'subjects.deadline.ruleMonth')}</Text>
          {r.extension && (
            <Text size="sm" data-testid="subject-detail-extension">
              {t('subjects.deadline.extended', { months: r.extension.months, date: formatDate(r.extension.untilMs), told: formatDateTime(r.extension.toldRequesterAtMs) })}
            </Text>
          )}
          {r.extension && <Lines>{r.extension.reason}</Lines>}
          {r.extension && <Text size="xs" c="dimmed">{t('subjects.deadline.original', { date: formatDate(r.deadline.originalDueMs) })}</Text>}
          {r.deadline.decidedLate && <Text size="sm" c="red">{t('subjects.deadline.decidedLate')}</Text>}
        </Stack>
      </DetailField>
      <DetailSection label={t('subjects.sections.identity')}>
        {r.identity ? (
          <>
            <Text size="sm" data-testid="subject-detail-identity">{t('subjects.identityLine', { method: t(`subjects.identityMethod.${r.identity.method}`), checkedBy: r.identity.checkedBy })}</Text>
            {r.identity.note && <Lines>{r.identity.note}</Lines>}
          </>
        ) : (
          <Text size="sm" c="orange" data-testid="subject-detail-identity">{t('subjects.identityMissing')}</Text>
        )}
      </DetailSection>
      {r.decision && (
        <DetailSection label={t('subjects.sections.decision')}>
          <Text size="sm" fw={600} data-testid="subject-detail-decision" data-outcome={r.decision.outcome}>
            {t('subjects.decisionBy', { outcome: t(`subjects.decision.${r.decision.outcome}`), at: formatDateTime(r.decision.atMs), actor: r.decision.by })}
          </Text>
          {r.decision.reason && <Lines>{r.decision.reason}</Lines>}
          {r.decision.fee && (
            <>
              <Text size="sm" fw={600}>{t('subjects.fee', { amount: formatFee(r.decision.fee.amountMinor, r.decision.fee.currency, currentLocale()) })}</Text>
              <Lines>{r.decision.fee.reason}</Lines>
            </>
          )}
          {r.decision.outcome !== 'granted' && r.decision.remediesTold && <Text size="xs" c="dimmed">{t('subjects.remediesTold')}</Text>}
        </DetailSection>
      )}
      {r.answer && (
        <DetailSection label={t('subjects.sections.answer')}>
          <Text size="sm" data-testid="subject-detail-answer">{t('subjects.answerLine', { at: formatDateTime(r.answer.atMs), channel: r.answer.channel })}</Text>
          {r.answer.appointmentAtMs !== null && <Text size="sm">{t('subjects.appointment', { at: formatDateTime(r.answer.appointmentAtMs) })}</Text>}
          {r.answer.note && <Lines>{r.answer.note}</Lines>}
        </DetailSection>
      )}
      {r.links.length > 0 && (
        <DetailSection label={t('subjects.sections.links')}>
          {r.links.map((l) => (
            <Stack key={`${l.kind}-${l.targetId}`} gap={0} data-testid="subject-link-entry" data-kind={l.kind} data-target-id={l.targetId}>
              <Text size="sm" fw={600}>
                {l.kind === 'export'
                  ? t('subjects.link.export', { label: l.label, status: l.status ? t(`exports.status.${l.status}`) : '?' })
                  : t('subjects.link.hold', { label: l.label, status: l.status ? t(`holds.status.${l.status}`) : '?' })}
              </Text>
              {l.kind === 'export' && (
                <Text size="xs" c={l.redaction ? 'green' : 'dimmed'} data-testid="subject-link-redaction">
                  {t(`subjects.link.redaction.${l.redaction ?? 'none'}`)}
                </Text>
              )}
              <Text size="xs" c="dimmed">{t('subjects.link.by', { actor: l.linkedBy, at: formatDateTime(l.linkedAtMs) })}</Text>
            </Stack>
          ))}
        </DetailSection>
      )}
      {r.viewings.length > 0 && (
        <DetailSection label={t('subjects.sections.viewings')}>
          {r.viewings.map((v) => (
            <Stack key={v.id} gap={0} data-testid="subject-viewing">
              <Text size="sm">{t('subjects.viewingLine', { cameras: v.cameras.map((c) => c.cameraName).join(', '), range: formatRange(v.fromMs, v.toMs) })}</Text>
              <Text size="xs" c="dimmed">{t('subjects.viewingBy', { shownBy: v.shownBy, at: formatDateTime(v.shownAtMs) })}</Text>
              {v.note && <Lines>{v.note}</Lines>}
            </Stack>
          ))}
        </DetailSection>
      )}
      <Text size="xs" c="dimmed">{t('subjects.recordedBy', { actor: r.recordedBy, at: formatDateTime(r.recordedAtMs) })}</Text>
      <DetailSection label={t('subjects.sections.history')}>
        <HistoryTimeline entries={r.history} actions={HISTORY} testId="subject-history" entryTestId="subject-history-entry" />
      </DetailSection>
    </DetailDrawer>
  );
}
