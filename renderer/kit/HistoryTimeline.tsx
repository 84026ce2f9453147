// A record's history as the engine keeps it (who did what when, with the reason or note given),
// oldest first, for holds, incidents and exports alike. Known actions are shown in the interface
// language and coloured; an action the console does not know yet is shown as the engine wrote it.
import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTimeSeconds, localTimesIn } from './format-time';

export interface HistoryEntry {
  atMs: number;
  actor: string;
  action: string;
  note: string;
}

export interface HistoryActions {
  /** The engine's action -> its interface-string key. */
  labels: Readonly<Record<string, string>>;
  /** The engine's action -> the bullet's colour (default accent). */
  colours?: Readonly<Record<string, string>>;
}

export function HistoryTimeline({ entries, actions, testId, entryTestId }: { entries: readonly HistoryEntry[]; actions: HistoryActions; testId: string; entryTestId: string }) {
  const { t } = useTranslation();
  return (
    <Timeline bulletSize={12} lineWidth={2} active={entries.length - 1} data-testid={testId}>
      {entries.map((e, index) => {
        const label = actions.labels[e.action];
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
