// The hold after a failed anchor check (docs/design/audit-chain.md "Anchor", R4). When the log and
// its anchor disagreed at start-up (entries cut from the end, the anchor deleted or rewritten), the
// engine raises a critical `audit.anchor` alarm and refuses every command but those needed to look
// at it and resolve it, until an administrator acknowledges the alarm. Recording and live ingest go
// on (footage must not be lost); the anchor file is left as found. The acknowledgement (audited with
// its note by the dispatcher) writes the break into the log itself, then anchors at the head, so
// every later verification lists the break.
import type { ALARM_COMMANDS, CommandName } from '../../../shared/contract';
import type { ErrorKind } from '../../../shared/result';
import type { AlarmsService } from '../alarms/alarms-service';
import type { HandlersOf } from '../dispatcher';
import type { Logger } from '../logger';
import { BREAK_ACTION, type AnchorFinding } from './anchor';
import type { AuditLog } from './audit-log';

/** What stays possible while held: signing in and out, the session's own steps, first-run setup,
 *  seeing and acknowledging alarms, and the auditor reading and verifying the log. */
export const ALLOWED_WHILE_HELD: ReadonlySet<CommandName> = new Set<CommandName>([
  'setup.status',
  'setup.createAdmin',
  'auth.signIn',
  'auth.signOut',
  'auth.changePassword',
  'commitment.get',
  'commitment.accept',
  'session.status',
  'session.activity',
  'session.lock',
  'session.unlock',
  'alarms.list',
  'alarms.acknowledge',
  'audit.query',
  'audit.verify',
]);

export const HELD_MESSAGE =
  'The audit trail failed its start-up check: its anchor does not match the log, so entries may have been removed or the log replaced. ' +
  'The console is stopped until an administrator has looked at the alarm "audit trail anchor" and acknowledged it. Recording goes on.';

export class AnchorGuard {
  private held = false;
  private finding: AnchorFinding | null;

  private constructor(
    private readonly audit: AuditLog,
    private readonly alarms: AlarmsService,
    private readonly logger: Logger,
  ) {
    this.finding = audit.anchorFinding;
  }

  /** Raises the alarm for what AuditLog.open found; holds while any audit.anchor alarm is open. */
  static async start(d: { audit: AuditLog; alarms: AlarmsService; logger: Logger }): Promise<AnchorGuard> {
    const g = new AnchorGuard(d.audit, d.alarms, d.logger);
    const open = await d.alarms.isOpen('audit.anchor');
    // An alarm of an earlier run still open: the anchor stays as it is until it is acknowledged.
    if (open) d.audit.holdAnchor();
    if (g.finding && !open) {
      const f = g.finding;
      await d.alarms.raiseEvent('audit.anchor', 'critical', `Audit trail anchor check failed: ${f.sentence}.`, {
        problem: f.problem,
        found: f.sentence,
        anchorSeq: f.anchor?.seq ?? 'none',
        anchorHash: f.anchor?.hash ?? 'none',
        logHeadSeq: f.head.seq,
        logHeadHash: f.head.hash,
      });
    }
    g.held = open || g.finding !== null;
    if (g.held) d.logger.error('engine held until an administrator acknowledges the audit.anchor alarm', { finding: g.finding?.sentence ?? 'an earlier alarm is open' });
    return g;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** The dispatcher's gate, checked after authorisation. */
  gate = (name: CommandName): Promise<{ kind: ErrorKind; message: string } | null> =>
    Promise.resolve(this.held && !ALLOWED_WHILE_HELD.has(name) ? { kind: 'FailedPrecondition', message: HELD_MESSAGE } : null);

  /** The alarm handlers, with the acknowledgement of an audit.anchor alarm ending the hold. */
  wrapAlarmHandlers(h: HandlersOf<typeof ALARM_COMMANDS>): HandlersOf<typeof ALARM_COMMANDS> {
    return {
      ...h,
      'alarms.acknowledge': async (request, ctx) => {
        const result = await h['alarms.acknowledge'](request, ctx);
        if (result.ok && result.value.kind === 'audit.anchor') await this.acknowledged(result.value.id, result.value.acknowledgedBy ?? 'unknown', result.value.params);
        return result;
      },
    };
  }

  /** Writes the break into the log (what the alarm found, from its params), then anchors at the head. */
  private async acknowledged(alarmId: number, by: string, params: Record<string, string | number>): Promise<void> {
    if (await this.alarms.isOpen('audit.anchor')) return; // another one is still open
    await this.audit.append({
      actor: by,
      action: BREAK_ACTION,
      target: 'audit-log',
      outcome: 'allowed',
      details: {
        alarmId,
        found: String(params.found ?? this.finding?.sentence ?? 'an anchor alarm'),
        anchorFileHad: { seq: params.anchorSeq ?? 'unknown', hash: params.anchorHash ?? 'unknown' },
        logHeadAtCheck: { seq: params.logHeadSeq ?? 'unknown', hash: params.logHeadHash ?? 'unknown' },
        logHeadAtAcknowledgement: this.audit.committedHead,
      },
    });
    this.audit.releaseAnchor();
    this.finding = null;
    this.held = false;
    this.logger.info('audit anchor break acknowledged; anchored at the head again', { by, alarmId });
  }
}
