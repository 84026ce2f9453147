// What an audit entry's action can be (R4, KRK §5.3.4; docs/design/audit-chain.md). The dispatcher
// writes the name of the command called: any command, since a refused call is audited even when the
// command itself is not (an unsigned caller asking for the camera list). Besides those, the engine
// writes the events below on its own. The log stores these codes as they are, and the CSV report
// keeps them; screens word them in the interface language (renderer/audit/audit-words.ts).
// audit-actions.test.ts reads every audit append in electron/core: an action written there that is
// neither a command nor listed here fails it, so none reaches an auditor without its words.

export const ENGINE_AUDIT_ACTIONS = [
  // The engine's life.
  'engine.started',
  'engine.stopped',
  // Connections and sessions.
  'connection.closed',
  'command.unknown',
  'auth.lockout',
  'session.locked',
  'session.ended',
  'seat.enrol',
  'seat.enrolled',
  // Footage.
  'live.view.ended',
  // A second person confirmed a lift of privacy masks with their password (the lift itself is masks.lift).
  'masks.liftConfirmed',
  // The end of a PTZ session (its start is ptz.acquire): who, which camera, from when, why it ended (docs/design/ptz.md).
  'ptz.session.ended',
  'recordings.reconciled',
  'retention.swept',
  // Alarms.
  'alarm.raised',
  'alarm.cleared',
  // Evidence packages, produced and deleted off the request's own command.
  'exports.produced',
  'exports.productionFailed',
  'exports.cancelled',
  'exports.packageDeleted',
  // The audit trail itself.
  'audit.checkpoint',
  'audit.break_acknowledged',
  // The engine proposed a breach record from what it found (docs/design/breaches.md; JON 23).
  'breaches.proposed',
  // The daily verification of the whole audit trail at the site's quiet hour (docs/design/breaches.md).
  'audit.verifiedOnSchedule',
  // The periodic access review (docs/design/access-review.md): opened by the engine when due, closed
  // when its last line is decided.
  'access.reviewOpened',
  'access.reviewClosed',
  // A grant of access reached its end (docs/design/authorised-persons.md): the account is parked.
  'access.expired',
] as const;

export type EngineAuditAction = (typeof ENGINE_AUDIT_ACTIONS)[number];

export function isEngineAuditAction(action: string): action is EngineAuditAction {
  return (ENGINE_AUDIT_ACTIONS as readonly string[]).includes(action);
}
