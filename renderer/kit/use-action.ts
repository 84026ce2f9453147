// One way for a dialog or a button to change something through the engine: busy while the command
// runs, its error kept for an ErrorAlert, the answer handed back. Nothing is set once the
// component is gone (a dialog closed while its command was running).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';

export interface ActionState {
  busy: boolean;
  error: CommandError | null;
  setError: (error: CommandError | null) => void;
  /** The command's answer, or null when it failed (its error is then in `error`). */
  run: <N extends CommandName>(name: N, request: RequestOf<N>) => Promise<ResponseOf<N> | null>;
}

export function useAction(): ActionState {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async <N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N> | null> => {
      setBusy(true);
      setError(null);
      const r = await api.call(name, request);
      if (!mounted.current) return r.ok ? r.value : null;
      setBusy(false);
      if (r.ok) return r.value;
      setError(r.error);
      return null;
    },
    [api],
  );
  return { busy, error, setError, run };
}
