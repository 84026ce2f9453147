// The idle lock (BRN 33.3: lock the workstation when the operator leaves it), enforced by the
// engine itself: a timer locks every session whose operator gave no input for the configured
// minutes, whether or not its seat still sends anything, and the lock ends the seat's media
// grants at that moment (SessionRegistry listeners). Every command re-checks it too.
import type { AuditLog } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { Session, SessionRegistry } from './sessions';

const CHECK_EVERY_MS = 1000;

export class IdleLock {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly audit: AuditLog,
    private readonly idleLockMinutes: () => number,
    private readonly logger: Logger,
  ) {}

  /** Locks the session if it is idle; audited. Returns true when this call locked it. */
  async check(session: Session, peer?: string): Promise<boolean> {
    const minutes = this.idleLockMinutes();
    if (!this.sessions.lockIfIdle(session, minutes)) return false;
    await this.audit.append({
      actor: session.username,
      action: 'session.locked',
      target: `session:${session.id}`,
      outcome: 'allowed',
      details: { reason: 'idle', idleLockMinutes: minutes, ...(peer ? { peer } : {}) },
    });
    return true;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      for (const s of this.sessions.all()) void this.check(s).catch((err: unknown) => this.logger.error('idle lock check failed', { error: err }));
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
