// What services publish (docs/design/events.md): the pushed event's fields plus what decides who may
// receive it (the cameras of a record, the requester of an export, the connection of a session).
// Routing fields never leave the engine; the wire event is derived per receiver (audience.ts).
import type { StreamKind, TileState } from '../../../shared/cameras';
import type { AlarmKind, EXPORT_PRODUCTION_STATES } from '../../../shared/contract';

/** Who may see an export request besides records.readAll: its requester, and whoever sees all its cameras. */
export interface ExportAudience {
  requestedBy: string;
  cameraIds: readonly number[];
}

type ExportChange =
  | { type: 'export.created' | 'export.deadlineExtended' | 'export.handedOver' }
  | { type: 'export.decided'; approved: boolean }
  | { type: 'export.production'; state: (typeof EXPORT_PRODUCTION_STATES)[number]; progress: number };

/** A change with everything needed to route it. */
export type RoutedEvent =
  | { type: 'camera.state'; cameraId: number; stream: StreamKind; state: TileState; sinceMs: number }
  | { type: 'ptz.changed'; cameraId: number; held: boolean }
  | { type: 'incident.created' | 'incident.changed'; incidentId: number; cameraIds: readonly number[] }
  | { type: 'hold.placed' | 'hold.extended' | 'hold.released'; holdId: number; cameraIds: readonly number[] }
  | (ExportChange & { exportId: number; audience: ExportAudience })
  | { type: 'breach.reported' | 'breach.changed'; breachId: number }
  | { type: 'subject.recorded' | 'subject.changed'; requestId: number }
  | { type: 'subject.deadline'; requestId: number; state: 'near' | 'overdue' }
  | { type: 'alarm.raised' | 'alarm.cleared' | 'alarm.acknowledged'; alarmId: number; kind: AlarmKind }
  | { type: 'session.locked'; connectionId: string; sessionId: string }
  | { type: 'session.ended'; connectionId: string; sessionId: string; elsewhere: boolean };

/** Routing fields a publisher may leave out: the bus looks them up once per event (not per receiver). */
type Unrouted<E> = E extends { cameraIds: readonly number[] }
  ? Omit<E, 'cameraIds'> & { cameraIds?: readonly number[] }
  : E extends { audience: ExportAudience }
    ? Omit<E, 'audience'> & { audience?: ExportAudience }
    : E;

/** What a service hands to `EventPublisher.publish`. */
export type DomainEvent = Unrouted<RoutedEvent>;

/** Injected where a change happens. Never blocks and never throws into the caller. */
export interface EventPublisher {
  publish(event: DomainEvent): void;
}

/** For services built without an engine (unit tests, benchmarks): publishes nowhere. */
export const NO_EVENTS: EventPublisher = { publish: () => undefined };

/** The lookups that complete an event a publisher could not route itself (each owner module's query). */
export interface EventLookups {
  incidentCameras(incidentId: number): Promise<readonly number[]>;
  holdCameras(holdId: number): Promise<readonly number[]>;
  exportAudience(exportId: number): Promise<ExportAudience | undefined>;
}

/** Completes the routing of an event: one query at most, none when the publisher gave it all. */
export async function route(e: DomainEvent, lookups: EventLookups): Promise<RoutedEvent | null> {
  if ('cameraIds' in e && e.cameraIds) return e as RoutedEvent;
  if ('audience' in e && e.audience) return e as RoutedEvent;
  switch (e.type) {
    case 'incident.created':
    case 'incident.changed': {
      const cameraIds = await lookups.incidentCameras(e.incidentId);
      return cameraIds.length ? { ...e, cameraIds } : null;
    }
    case 'hold.placed':
    case 'hold.extended':
    case 'hold.released': {
      const cameraIds = await lookups.holdCameras(e.holdId);
      return cameraIds.length ? { ...e, cameraIds } : null;
    }
    case 'export.created':
    case 'export.deadlineExtended':
    case 'export.handedOver':
    case 'export.decided':
    case 'export.production': {
      const audience = await lookups.exportAudience(e.exportId);
      return audience ? ({ ...e, audience } as RoutedEvent) : null;
    }
    default:
      return e;
  }
}

/** True when the event still lacks routing fields (the bus must look them up before delivery). */
export function needsRoute(e: DomainEvent): boolean {
  if (e.type.startsWith('incident.') || e.type.startsWith('hold.')) return !('cameraIds' in e && e.cameraIds);
  if (e.type.startsWith('export.')) return !('audience' in e && e.audience);
  return false;
}
