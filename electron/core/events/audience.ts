// Who receives which pushed event (docs/design/events.md "To whom"): the same rules the commands use,
// evaluated without a query. Permissions come from shared/roles.ts, camera visibility from the
// dispatcher's Visibility (electron/core/visibility.ts), alarm kinds from ALARM_KINDS.seenWith.
import { ALARM_KINDS, type EngineEvent } from '../../../shared/contract';
import { roleHas, type Permission, type Role } from '../../../shared/roles';
import { recordFilter, seesExportOf, seesRecordOf, type Visibility } from '../visibility';
import type { RoutedEvent } from './domain-events';

/** The session on a connection that may receive events (signed in, unlocked, past the forced steps). */
export interface Receiver {
  role: Role;
  visibility: Visibility;
}

/** An event without its stamp: what `bodyFor` decides, before the bus adds seq and time. */
export type EventBody = EngineEvent extends infer E ? (E extends unknown ? Omit<E, 'seq' | 'atMs'> : never) : never;

/**
 * The event as this connection may see it, or null when it may not see it at all.
 * `receiver` is null for a connection with no session, or one that is locked or must still change
 * its password or accept the commitment: like the commands, such a connection gets nothing but its
 * own session's events.
 */
export function bodyFor(e: RoutedEvent, connectionId: string, currentSessionId: string | null, receiver: Receiver | null): EventBody | null {
  switch (e.type) {
    case 'session.locked':
      return e.connectionId === connectionId && currentSessionId === e.sessionId ? { type: e.type } : null;
    case 'session.ended':
      // Not when a newer session already signed in on this connection: that seat knows already.
      return e.connectionId === connectionId && currentSessionId === null ? { type: e.type, elsewhere: e.elsewhere } : null;
  }
  if (!receiver) return null;
  const { role, visibility: v } = receiver;
  const may = (...anyOf: Permission[]) => anyOf.some((p) => roleHas(role, p));
  switch (e.type) {
    case 'camera.state':
      // As the commands: live.status and cameras.list for the cameras of one's groups, cameras.adminList
      // (site-wide) for those who configure them.
      if (!may('cameras.manage') && !(may('live.view') && v.cameraIds.has(e.cameraId))) return null;
      return { type: e.type, cameraId: e.cameraId, stream: e.stream, state: e.state, sinceMs: e.sinceMs };
    case 'ptz.changed':
      // As ptz.status: those who may steer cameras, for the cameras of their groups (docs/design/ptz.md).
      return may('ptz.control') && v.cameraIds.has(e.cameraId) ? { type: e.type, cameraId: e.cameraId, held: e.held } : null;
    case 'incident.created':
      // Guards may mark incidents but not read them: they learn that one was marked on a camera
      // they watch (the wall shows it), nothing more.
      return may('incidents.read', 'incidents.create') && seesRecordOf(v, e.cameraIds) ? { type: e.type, incidentId: e.incidentId, cameraIds: visibleOf(v, e.cameraIds) } : null;
    case 'incident.changed':
      return may('incidents.read') && seesRecordOf(v, e.cameraIds) ? { type: e.type, incidentId: e.incidentId, cameraIds: visibleOf(v, e.cameraIds) } : null;
    case 'hold.placed':
    case 'hold.extended':
    case 'hold.released':
      return may('holds.read') && seesRecordOf(v, e.cameraIds) ? { type: e.type, holdId: e.holdId, cameraIds: visibleOf(v, e.cameraIds) } : null;
    case 'export.created':
    case 'export.deadlineExtended':
    case 'export.handedOver':
    case 'export.decided':
    case 'export.production': {
      if (!may('exports.read') || !seesExportOf(v, e.audience.requestedBy, e.audience.cameraIds)) return null;
      if (e.type === 'export.decided') return { type: e.type, exportId: e.exportId, approved: e.approved };
      if (e.type === 'export.production') return { type: e.type, exportId: e.exportId, state: e.state, progress: e.progress };
      return { type: e.type, exportId: e.exportId };
    }
    case 'breach.reported':
    case 'breach.changed':
      // The whole register, for those who read it (JON 21-23): no camera filter, as breaches.list.
      return may('breaches.read') ? { type: e.type, breachId: e.breachId } : null;
    case 'subject.recorded':
    case 'subject.changed':
      // The register of data-subject requests, whole, for those who read it (BRN 15-17), as subjects.list.
      return may('subjects.read') ? { type: e.type, requestId: e.requestId } : null;
    case 'subject.deadline':
      return may('subjects.read') ? { type: e.type, requestId: e.requestId, state: e.state } : null;
    case 'alarm.raised':
    case 'alarm.cleared':
    case 'alarm.acknowledged':
      return may(ALARM_KINDS[e.kind].seenWith) ? { type: e.type, alarmId: e.alarmId, kind: e.kind } : null;
  }
}

/** The cameras of a record the receiver sees: an invisible camera is not named (as in incident lists). */
function visibleOf(v: Visibility, cameraIds: readonly number[]): number[] {
  const only = recordFilter(v);
  return only ? cameraIds.filter((id) => only.has(id)) : [...cameraIds];
}
