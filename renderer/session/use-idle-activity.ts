// Idle lock heartbeat (BRN 33.3): the renderer reports whether there was input since the last
// report; the core decides when the console locks and says so in the answer.
import { useEffect, useRef } from 'react';
import { useApi } from '../api/api-context';

export const ACTIVITY_INTERVAL_MS = 5000;
const INPUT_EVENTS = ['mousemove', 'keydown', 'pointerdown', 'wheel'] as const;

export function useIdleActivity(active: boolean, onLocked: () => void): void {
  const api = useApi();
  const hadInput = useRef(false);
  const onLockedRef = useRef(onLocked);
  useEffect(() => {
    onLockedRef.current = onLocked;
  });

  useEffect(() => {
    if (!active) return;
    const mark = () => {
      hadInput.current = true;
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, mark, { passive: true, capture: true });
    let inFlight = false;
    const timer = window.setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      const input = hadInput.current;
      hadInput.current = false;
      void api.call('session.activity', { input }).then((result) => {
        inFlight = false;
        if (result.ok && result.value.locked) onLockedRef.current();
      });
    }, ACTIVITY_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, mark, { capture: true });
    };
  }, [active, api]);
}
