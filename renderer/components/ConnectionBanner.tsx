// One banner over every screen while the engine cannot be reached (docs/design/site-engine.md):
// what happened, that the console tries again by itself and when the next attempt is, and a way to
// try now. Its colour is the "no engine" colour the wall's tiles use too (ENGINE_LOST_COLOUR), which
// no camera state uses, so nobody takes it for one camera's trouble.
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TransportMode } from '../api/client';
import type { ConnectionInfo } from '../api/connection';
import { secondsUntil } from '../api/reconnect';

/** Mantine colour of "no connection to the engine" (camera states use green, yellow, orange, red and grey). */
export const ENGINE_LOST_COLOUR = 'grape';

/** Seconds until the next attempt, ticking while shown. */
export function useNextAttemptSeconds(info: ConnectionInfo): number | null {
  const [nowMs, setNowMs] = useState(() => Date.now());
  const at = info.nextAttemptAtMs;
  useEffect(() => {
    if (at === null) return;
    const tick = () => setNowMs(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 250);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [at]);
  return at === null ? null : secondsUntil(at, nowMs);
}

export function ConnectionBanner({ info, mode, seatKeyMissing, onRetry }: { info: ConnectionInfo; mode: TransportMode; seatKeyMissing: boolean; onRetry: () => void }) {
  const { t } = useTranslation();
  const seconds = useNextAttemptSeconds(info);
  if (mode === 'electron' || info.state !== 'lost') return null;
  return (
    <Alert
      data-testid="connection-lost"
      data-attempts={info.attempts}
      color={ENGINE_LOST_COLOUR}
      variant="filled"
      radius={0}
      py={6}
      role="alert"
      style={{ position: 'fixed', top: 0, left: 0, right: 0, zIndex: 1000, borderBottom: '3px solid var(--mantine-color-grape-2)' }}
    >
      {seatKeyMissing ? (
        t('app.noSeat')
      ) : (
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text size="sm" fw={700}>
            {t('connection.lost')}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="connection-next-attempt">
              {seconds === null || seconds === 0 ? t('connection.now') : t('connection.nextAttempt', { count: seconds })}
            </Text>
            <Button size="compact-xs" variant="white" color={ENGINE_LOST_COLOUR} data-testid="connection-retry" onClick={onRetry}>
              {t('connection.retry')}
            </Button>
          </Group>
        </Group>
      )}
    </Alert>
  );
}
