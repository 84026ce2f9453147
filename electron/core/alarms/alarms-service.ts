// Alarms (shared/contract/alarms.ts): owns the alarms table. Conditions (storage full, recording
// failing) are raised once while they last and cleared by the engine; events (an account given
// access to footage, an audit anchor behind the log) stay open until a person with the kind's
// permission, other than the one who caused them, acknowledges them. Everything is audited.
import type { Kysely, Selectable } from 'kysely';
import { ALARM_KINDS, type AlarmKind, type AlarmView } from '../../../shared/contract';
import type { Role } from '../../../shared/roles';
import { sessionMay } from '../auth/sessions';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import type { Logger } from '../logger';
import type { AlarmsTable, Database } from '../store/schema';

export type AlarmParams = Record<string, string | number>;
type Row = Selectable<AlarmsTable>;

export interface AlarmViewer {
  username: string;
  role: Role;
  /** A parked account sees no alarm (docs/design/authorised-persons.md). */
  parked?: boolean;
}

export class AlarmsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    /** Pushed events (docs/design/events.md): raised, cleared, acknowledged. */
    private readonly events: EventPublisher = NO_EVENTS,
  ) {}

  /** Raises a condition once: while one of its kind is open, raising it again does nothing. */
  async raiseCondition(kind: AlarmKind, severity: 'warning' | 'critical', message: string, cameraId: number | null = null): Promise<void> {
    const open = await this.db.selectFrom('alarms').select('id').where('kind', '=', kind).where('cleared_at_ms', 'is', null).executeTakeFirst();
    if (open) return;
    await this.insert(kind, severity, message, {}, cameraId);
  }

  /** Raises an event alarm: every event is its own alarm until a person acknowledges it. */
  async raiseEvent(kind: AlarmKind, severity: 'warning' | 'critical', message: string, params: AlarmParams): Promise<number> {
    return this.insert(kind, severity, message, params, null);
  }

  /** Clears an open condition (the engine saw it end). */
  async clear(kind: AlarmKind): Promise<void> {
    const cleared = await this.db.updateTable('alarms').set({ cleared_at_ms: this.clock.nowMs() }).where('kind', '=', kind).where('cleared_at_ms', 'is', null).returning('id').execute();
    for (const a of cleared) this.events.publish({ type: 'alarm.cleared', alarmId: a.id, kind });
    if (cleared.length > 0) await this.audit.append({ actor: 'system', action: 'alarm.cleared', target: kind, outcome: 'allowed' });
  }

  async isOpen(kind: AlarmKind): Promise<boolean> {
    return (await this.db.selectFrom('alarms').select('id').where('kind', '=', kind).where('cleared_at_ms', 'is', null).executeTakeFirst()) !== undefined;
  }

  /** The newest alarms of the kinds the viewer's role may see. */
  async list(viewer: AlarmViewer, openOnly: boolean, kinds?: readonly AlarmKind[]): Promise<AlarmView[]> {
    const seen = (kinds ?? (Object.keys(ALARM_KINDS) as AlarmKind[])).filter((k) => sessionMay(viewer, ALARM_KINDS[k].seenWith));
    if (seen.length === 0) return [];
    let q = this.db.selectFrom('alarms').selectAll().where('kind', 'in', seen).orderBy('id', 'desc').limit(100);
    if (openOnly) q = q.where('cleared_at_ms', 'is', null);
    return (await q.execute()).map((a) => this.view(a, viewer));
  }

  async get(alarmId: number, viewer: AlarmViewer): Promise<AlarmView | undefined> {
    const row = await this.db.selectFrom('alarms').selectAll().where('id', '=', alarmId).executeTakeFirst();
    if (!row || !isKind(row.kind) || !sessionMay(viewer, ALARM_KINDS[row.kind].seenWith)) return undefined;
    return this.view(row, viewer);
  }

  /** Closes an open event alarm on a person's word. The caller has checked `canAcknowledge`. */
  async acknowledge(alarmId: number, by: string): Promise<boolean> {
    const row = await this.db
      .updateTable('alarms')
      .set({ cleared_at_ms: this.clock.nowMs(), acknowledged_by: by })
      .where('id', '=', alarmId)
      .where('cleared_at_ms', 'is', null)
      .returning('kind')
      .executeTakeFirst();
    if (row && isKind(row.kind)) this.events.publish({ type: 'alarm.acknowledged', alarmId, kind: row.kind });
    return row !== undefined;
  }

  private async insert(kind: AlarmKind, severity: 'warning' | 'critical', message: string, params: AlarmParams, cameraId: number | null): Promise<number> {
    const row = await this.db
      .insertInto('alarms')
      .values({ kind, severity, message, params_json: JSON.stringify(params), camera_id: cameraId, raised_at_ms: this.clock.nowMs(), cleared_at_ms: null, acknowledged_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.events.publish({ type: 'alarm.raised', alarmId: row.id, kind });
    await this.audit.append({ actor: 'system', action: 'alarm.raised', target: kind, outcome: 'allowed', details: { alarmId: row.id, severity, message, params, cameraId } });
    (severity === 'critical' ? this.logger.error : this.logger.warn)(message, { kind });
    return row.id;
  }

  private view(a: Row, viewer: AlarmViewer): AlarmView {
    const params = parseParams(a.params_json);
    const ackWith = isKind(a.kind) ? ALARM_KINDS[a.kind].acknowledgedWith : null;
    return {
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      message: a.message,
      params,
      cameraId: a.camera_id,
      raisedAtMs: Number(a.raised_at_ms),
      clearedAtMs: a.cleared_at_ms === null ? null : Number(a.cleared_at_ms),
      acknowledgedBy: a.acknowledged_by,
      // Never by the one who caused it (params.actor), nor by the account it is about (params.username):
      // an administrator cannot wave through their own grant, even by signing in as the account.
      canAcknowledge: a.cleared_at_ms === null && ackWith !== null && sessionMay(viewer, ackWith) && params.actor !== viewer.username && params.username !== viewer.username,
    };
  }
}

function isKind(kind: string): kind is AlarmKind {
  return Object.hasOwn(ALARM_KINDS, kind);
}

function parseParams(json: string): AlarmParams {
  try {
    const v: unknown = JSON.parse(json);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
    }
  } catch {
    // a damaged row shows no parameters
  }
  return {};
}
