// The desktop app's gate in front of the console (docs/design/site-engine.md "The desktop app as a
// seat"): in a browser (no `consoleApi.desktop`) it renders the console as it is. In the desktop
// app it asks main how this PC reaches its engine: not chosen yet shows the first-start screen; a
// seat refused for good shows why and what to do; otherwise the console, with a banner while the
// link to the site engine is down. Link changes also reach the API client's connection tracker in
// the host transport's words, so the console's own reconnect handling (back to sign-in after
// `reconnected`) applies to the desktop seat too.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert } from '@mantine/core';
import { LoadingScreen } from '../components/LoadingScreen';
import { useTranslation } from 'react-i18next';
import type { DesktopApi, DesktopStatus, LinkStatus } from '../../shared/transport';
import { useApi } from '../api/api-context';
import { ENGINE_LOST_COLOUR } from '../components/ConnectionBanner';
import { newerLink, trackerUpdateOf } from './desktop-model';
import { FirstStartScreen } from './FirstStartScreen';
import { SeatRefusedScreen } from './SeatRefusedScreen';
import { addDesktopStrings } from './strings';

const DesktopStatusContext = createContext<DesktopStatus | null>(null);

/** The desktop set-up the preload exposes; undefined in a browser. */
export function desktopApi(): DesktopApi | undefined {
  return window.consoleApi?.desktop;
}

/** How this PC reaches its engine, for screens inside the gate; null in a browser. */
export function useDesktopStatus(): DesktopStatus | null {
  return useContext(DesktopStatusContext);
}

export function DesktopGate({ children }: { children: ReactNode }) {
  const desktop = desktopApi();
  if (!desktop) return <>{children}</>;
  addDesktopStrings();
  return <DesktopAppGate desktop={desktop}>{children}</DesktopAppGate>;
}

function DesktopAppGate({ desktop, children }: { desktop: DesktopApi; children: ReactNode }) {
  const { t } = useTranslation();
  const api = useApi();
  const [status, setStatus] = useState<DesktopStatus | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  /** A link change pushed before the status answer arrived. */
  const early = useRef<LinkStatus | null>(null);
  const bridgedSeq = useRef(-1);

  useEffect(() => {
    let alive = true;
    const off = window.consoleApi?.onConnection?.((link) => {
      early.current = newerLink(early.current, link);
      setStatus((s) => (s ? { ...s, link: newerLink(s.link, link) } : s));
    });
    desktop.status().then(
      (s) => alive && setStatus({ ...s, link: newerLink(early.current, s.link) }),
      (err: unknown) => alive && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      alive = false;
      off?.();
    };
  }, [desktop]);

  // Seat mode: each new link state once into the tracker the console's reconnect handling reads.
  const link = status?.mode === 'site' ? status.link : null;
  useEffect(() => {
    if (!link || link.seq <= bridgedSeq.current) return;
    bridgedSeq.current = link.seq;
    const update = trackerUpdateOf(link, Date.now());
    api.connection.set(update.state, update.detail);
  }, [api, link]);

  if (!status) {
    const problem = failed && (
      <Alert color="red" data-testid="desktop-status-failed">
        {failed}
      </Alert>
    );
    return <LoadingScreen text={t('desktop.loading')} problem={problem} />;
  }
  if (status.mode === null) return <FirstStartScreen desktop={desktop} status={status} />;
  if (status.link.state === 'refused') return <SeatRefusedScreen desktop={desktop} status={status} link={status.link} />;
  return (
    <DesktopStatusContext value={status}>
      {status.mode === 'site' && status.link.state === 'lost' && (
        // The console's own banner is for browser seats; this one says which engine, in the same colour.
        <Alert data-testid="seat-link-lost" role="alert" color={ENGINE_LOST_COLOUR} variant="filled" radius={0} py={6} style={{ position: 'fixed', top: 0, left: 0, right: 0, zIndex: 1000 }}>
          {t('desktop.link.lost', { address: status.site?.address ?? '' })}
        </Alert>
      )}
      {children}
    </DesktopStatusContext>
  );
}
