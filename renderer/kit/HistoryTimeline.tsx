// A record's history as the engine keeps it (who did what when, with the reason or note given),
// oldest first, for holds, incidents and exports alike. Known actions are shown in the interface
// language and coloured; an action the console does not know yet is shown as the engine wrote it.
// The engine keeps what it adds itself as values (`details`: names, numbers, instants); they are
// worded here, in the interface language, above the person's own note (docs/design/operator-ui.md).
import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HistoryDetails, HistoryEntry } from '../../shared/contract';
import { formatDate, formatDateTime, formatDateTimeSeconds, localTimesIn } from './format-time';
import { currentLocale } from '../i18n';

export type { HistoryEntry };

/**
 * The values of a history line ready for an interface string: `…AtMs` as local date and time,
 * `…DateMs` as a local date, other numbers in the language's digits; `kind` becomes the string's
 * i18next context and `count` its plural.
 */
export function historyValues(details: HistoryDetails): Record<string, string | number> {
  const numbers = new Intl.NumberFormat(currentLocale());
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string') out[key] = value;
    else if (key.endsWith('AtMs')) out[key] = formatDateTime(value);
    else if (key.endsWith('DateMs')) out[key] = formatDate(value);
    else out[key] = numbers.format(value);
  }
  if (typeof details.count === 'number') out.count = details.count;
  if (typeof details.kind === 'string') out.context = details.kind;
  return out;
}

export interface HistoryActions {
  /** The engine's action -> its interface-string key. */
  labels: Readonly<Record<string, string>>;
  /** The engine's action -> the bullet's colour (default accent). */
  colours?: Readonly<Record<string, string>>;
  /** The engine's action -> the interface string that words its details. */
  details?: Readonly<Record<string, string>>;
}

export function HistoryTimeline({ entries, actions, testId, entryTestId }: { entries: readonly HistoryEntry[]; actions: HistoryActions; testId: string; entryTestId: string }) {
  const { t } = useTranslation();
  return (
    <Timeline bulletSize={12} lineWidth={2} active={entries.length - 1} data-testid={testId}>
      {entries.map((e, index) => {
        const label = actions.labels[e.action];
        const template = actions.details?.[e.action];
        const worded = template && Object.keys(e.details).length > 0 ? t(template, historyValues(e.details)) : '';
        return (
          <Timeline.Item
            key={`${e.atMs}-${index}`}
            data-testid={entryTestId}
            data-action={e.action}
            color={actions.colours?.[e.action] ?? 'accent'}
            title={
              <Text size="xs" fw={600}>
                {label ? t(label) : e.action} · {e.actor}
              </Text>
            }
          >
            <Text size="xs" c="dimmed">
              {formatDateTimeSeconds(e.atMs)}
            </Text>
            {worded && (
              <Text size="xs" data-testid="history-details" style={{ overflowWrap: 'anywhere' }}>
                {worded}
              </Text>
            )}
            {e.note && (
              <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {localTimesIn(e.note)}
              </Text>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
