import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../api/connection';

/** Host mode only: the socket to the engine closed; the transport reconnects on its own. */
export function ConnectionBanner({ state, mode, seatKeyMissing }: { state: ConnectionState; mode: 'electron' | 'host'; seatKeyMissing: boolean }) {
  const { t } = useTranslation();
  if (mode !== 'host' || state !== 'lost') return null;
  return (
    <Alert
      data-testid="connection-lost"
      color="red"
      variant="filled"
      radius={0}
      py={6}
      style={{ position: 'fixed', top: 0, left: 0, right: 0, zIndex: 1000 }}
    >
      {seatKeyMissing ? t('app.noSeat') : t('app.connectionLost')}
    </Alert>
  );
}
