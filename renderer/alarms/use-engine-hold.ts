// Whether the engine is held by an unacknowledged audit.anchor alarm (docs/design/audit-chain.md
// "Anchor"). Every role must learn it, including those who may not see that alarm (guards,
// reviewers): so the console asks `site.get`, a session command every role may call, which the
// audit log does not record and the gate refuses while held (and never refuses otherwise). While
// held it asks again every HELD_POLL_MS, so a console comes back by itself once an administrator
// has acknowledged the alarm.
import { useState } from 'react';
import { useCommand } from '../kit/use-command';
import { HELD_POLL_MS } from './alarm-model';

export interface EngineHold {
  /** False until the first answer: screens wait, so nothing is asked that the gate would refuse. */
  known: boolean;
  held: boolean;
  /** Ask again now (after an acknowledgement). */
  recheck: () => void;
}

export function useEngineHold(): EngineHold {
  const [wasHeld, setWasHeld] = useState(false);
  const probe = useCommand('site.get', {}, [], { pollMs: wasHeld ? HELD_POLL_MS : undefined });
  const held = probe.error?.kind === 'FailedPrecondition';
  // Adjusted while rendering (as React documents for state derived from earlier renders).
  if (held !== wasHeld) setWasHeld(held);
  return { known: probe.value !== null || probe.error !== null, held, recheck: probe.reload };
}
