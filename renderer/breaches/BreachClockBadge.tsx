// The 72-hour clock of one breach (BRN 37): time left, amber from 48 h, red when missed; ticks each second.
import { useEffect, useState } from 'react';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BreachView } from '../../shared/contract';
import { CLOCK_COLOURS, clockOf, hoursMinutes } from './breach-clock';

export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function BreachClockBadge({ breach, testId, long = false }: { breach: BreachView; testId?: string; long?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const clock = clockOf(breach, now);
  const left = hoursMinutes(clock.remainingMs);
  const over = hoursMinutes(-clock.remainingMs);
  const text =
    clock.state === 'running' || clock.state === 'warning'
      ? t('breaches.clock.left', left)
      : clock.state === 'missed'
        ? t('breaches.clock.missed', over)
        : clock.state === 'notified'
          ? t(clock.notifiedLate ? 'breaches.clock.notifiedLate' : 'breaches.clock.notified')
          : t('breaches.clock.notRequired');
  return (
    <Badge color={CLOCK_COLOURS[clock.state]} variant={clock.state === 'running' || clock.state === 'not_required' ? 'outline' : 'filled'} tt="none" size={long ? 'lg' : 'md'} style={{ minWidth: 'max-content' }} data-testid={testId} data-state={clock.state}>
      {long && (clock.state === 'running' || clock.state === 'warning' || clock.state === 'missed') ? `${t('breaches.clock.title')}: ${text}` : text}
    </Badge>
  );
}
