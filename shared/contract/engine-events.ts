// Pushed events (docs/design/events.md): what the engine tells a connection without being asked, so
// seats need not poll. Not commands: nothing here is called, and nothing here is a record. Each event
// is small and names objects by id; the seat fetches the details with the normal, audited commands.
// No free text: an event carries nothing a person wrote (titles, notes, reasons, names), so pushing
// it can never show more than the same caller could read with the corresponding command.
import { z } from 'zod';
import { STREAM_KINDS, TILE_STATES } from '../cameras';
import { ALARM_KINDS, type AlarmKind } from './alarms';
import { id } from './fields';

/** Every event: a sequence number that only grows while the engine runs (gaps are events this
 *  connection may not see), and the engine's time when the change happened. */
const stamp = { seq: z.number().int().positive(), atMs: z.number().int() };
const cameraIds = z.array(id).max(64);
const alarmKind = z.enum(Object.keys(ALARM_KINDS) as [AlarmKind, ...AlarmKind[]]);

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), ...stamp, ...shape });

export const EXPORT_PRODUCTION_STATES = ['producing', 'produced', 'failed', 'cancelled'] as const;

export const engineEvent = z.discriminatedUnion('type', [
  /** A camera stream's state changed (bursts coalesced: a few per second per stream at most). */
  event('camera.state', { cameraId: id, stream: z.enum(STREAM_KINDS), state: z.enum(TILE_STATES), sinceMs: z.number().int() }),
  /** Who steers a PTZ camera changed (taken, taken over, released): the holder comes from ptz.status. */
  event('ptz.changed', { cameraId: id, held: z.boolean() }),
  /** Camera ids: those of the incident the receiver sees (all of them for records.readAll). */
  event('incident.created', { incidentId: id, cameraIds }),
  /** A note, a close or reopen, a linked hold. */
  event('incident.changed', { incidentId: id, cameraIds }),
  /** A new request; pending, so it entered the supervisors' queue. */
  event('export.created', { exportId: id }),
  event('export.decided', { exportId: id, approved: z.boolean() }),
  event('export.deadlineExtended', { exportId: id }),
  /** A production attempt started, progressed (at most once a second), or ended. */
  event('export.production', { exportId: id, state: z.enum(EXPORT_PRODUCTION_STATES), progress: z.number().min(0).max(1) }),
  event('export.handedOver', { exportId: id }),
  event('hold.placed', { holdId: id, cameraIds }),
  event('hold.extended', { holdId: id, cameraIds }),
  event('hold.released', { holdId: id, cameraIds }),
  /** A suspected personal data breach was reported (by a person or proposed by the engine): to breaches.read. */
  event('breach.reported', { breachId: id }),
  /** Assessed, a notification recorded, or closed. */
  event('breach.changed', { breachId: id }),
  /** A data-subject request was recorded: to subjects.read (the supervisors' and the officer's queue). */
  event('subject.recorded', { requestId: id }),
  /** Its identity check, extension, decision, answer, a link or a viewing was recorded. */
  event('subject.changed', { requestId: id }),
  /** Its deadline became near (due by the end of the next working day) or passed, unanswered. */
  event('subject.deadline', { requestId: id, state: z.enum(['near', 'overdue']) }),
  event('alarm.raised', { alarmId: id, kind: alarmKind }),
  /** A condition ended by itself (storage back to normal). */
  event('alarm.cleared', { alarmId: id, kind: alarmKind }),
  /** An event alarm closed on a person's word. */
  event('alarm.acknowledged', { alarmId: id, kind: alarmKind }),
  /** This connection's session locked (idle or by hand): nothing else arrives until it is unlocked. */
  event('session.locked', {}),
  /** This connection's session ended; `elsewhere` when not by this seat's own action (an
   *  administrator changed the role or deactivated the account, the engine stopped). */
  event('session.ended', { elsewhere: z.boolean() }),
  /** Events for this connection were lost (the engine could not deliver them in time): reload the lists. */
  event('events.dropped', { count: z.number().int().positive() }),
]);
export type EngineEvent = z.infer<typeof engineEvent>;
export type EngineEventType = EngineEvent['type'];
export const ENGINE_EVENT_TYPES = engineEvent.options.map((o) => o.shape.type.value) as EngineEventType[];
