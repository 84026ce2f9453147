// A request's status, and its deadline as the engine computed it (docs/design/subject-requests.md "Deadlines"): what
// is due by when (the answer; in Lithuania first the decision), amber when due by the end of the
// next working day, red once passed, grey when answered.
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SubjectRequestView } from '../../shared/contract';
import { formatDate } from '../kit/format-time';
import { StatusBadge } from '../kit/StatusBadge';
import { DEADLINE_COLOURS, STATUS_COLOURS } from './subject-model';

export function SubjectDeadlineBadge({ request: r, long = false, testId }: { request: SubjectRequestView; long?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const d = r.deadline;
  // A deadline is the end of a day on the site's calendar: the day is what counts.
  const date = formatDate(d.dueMs);
  const text =
    d.state === 'done'
      ? t(d.answeredLate ? 'subjects.deadline.answeredLate' : 'subjects.deadline.answered')
      : d.state === 'overdue'
        ? t('subjects.deadline.overdue', { date })
        : t(d.phase === 'decision' ? 'subjects.deadline.decision' : 'subjects.deadline.answer', { date });
  return (
    <Badge
      color={DEADLINE_COLOURS[d.state]}
      variant={d.state === 'ok' || d.state === 'done' ? 'outline' : 'filled'}
      tt="none"
      size={long ? 'lg' : 'md'}
      style={{ minWidth: 'max-content' }}
      data-testid={testId}
      data-state={d.state}
      data-phase={d.phase}
    >
      {text}
    </Badge>
  );
}

export function SubjectStatusBadge({ status, testId }: { status: SubjectRequestView['status']; testId?: string }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`subjects.status.${status}`)} colour={STATUS_COLOURS[status]} testId={testId} />;
}
