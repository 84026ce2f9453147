// How many calls one connection may make (docs/design/threat-model.md). Whoever reaches the socket
// can call before signing in; without a bound, one anonymous socket filled the permanent audit log
// at 214 MiB a minute. A connection without a session gets a small budget per window and is closed
// when it overruns it; a signed-in session a generous one (it is a person at a console).
export interface BudgetLimits {
  windowMs: number;
  anonymousCalls: number;
  sessionCalls: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { windowMs: 10_000, anonymousCalls: 30, sessionCalls: 600 };

export class ConnectionBudget {
  /** Per connection and window: calls made without a session and with one, counted apart (a
   *  signed-in wall's polls must not use up the next user's sign-in at the same seat). */
  private readonly windows = new Map<string, { startMs: number; anonymous: number; signedIn: number }>();

  constructor(
    private readonly nowMs: () => number,
    private readonly limits: BudgetLimits = DEFAULT_BUDGET,
  ) {}

  /** Counts one call against `key` (a connection, or a seat with `factor` times the limits); false
   *  when it has used up its budget for this window. */
  take(connectionId: string, signedIn: boolean, factor = 1): boolean {
    const now = this.nowMs();
    let w = this.windows.get(connectionId);
    if (!w || now - w.startMs >= this.limits.windowMs) {
      w = { startMs: now, anonymous: 0, signedIn: 0 };
      this.windows.set(connectionId, w);
    }
    if (signedIn) return ++w.signedIn <= this.limits.sessionCalls * factor;
    return ++w.anonymous <= this.limits.anonymousCalls * factor;
  }

  forget(connectionId: string): void {
    this.windows.delete(connectionId);
  }
}
