// Handlers of recording, storage and legal-hold commands (issue 4).
import { fail, ok } from '../../../shared/result';
import { roleHas } from '../../../shared/roles';
import type { Session } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type Handlers } from '../dispatcher';
import type { Database } from '../store/schema';
import type { Kysely } from 'kysely';
import type { HoldsService } from './holds-service';
import type { RecordingService } from './recording-service';

type Names =
  | 'recordings.status'
  | 'storage.status'
  | 'storage.update'
  | 'recordings.delete'
  | 'recordings.deletionLog'
  | 'holds.list'
  | 'holds.place'
  | 'holds.extend'
  | 'holds.release';

export interface RecordingHandlerDeps {
  db: Kysely<Database>;
  recording: RecordingService;
  holds: HoldsService;
  cameras: CamerasService;
  clock: Clock;
}

export function createRecordingHandlers(d: RecordingHandlerDeps): Pick<Handlers, Names> {
  const { recording, holds, cameras } = d;
  /** Supervisors and auditors see every hold; reviewers those touching cameras they can see. */
  const visibleFor = async (s: Session): Promise<ReadonlySet<number> | null> =>
    roleHas(s.role, 'holds.release') || roleHas(s.role, 'audit.verify') ? null : new Set((await cameras.visibleTo(s.userId)).map((c) => c.id));
  const checkItems = async (s: Session, items: readonly { cameraId: number }[]) => {
    const visible = new Set((await cameras.visibleTo(s.userId)).map((c) => c.id));
    const missing = items.filter((i) => !visible.has(i.cameraId)).map((i) => i.cameraId);
    return missing.length ? fail('NotFound', `No such camera: ${[...new Set(missing)].join(', ')}.`) : null;
  };

  return {
    'recordings.status': async () => ok({ cameras: await recording.cameraStatus(await cameras.all()) }),

    'storage.status': async () => ok(await recording.storageView()),

    'storage.update': async (r) => {
      await recording.updateSettings(r);
      return ok(await recording.storageView());
    },

    'recordings.delete': async (r, ctx) => {
      if (!(await cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      return ok(await recording.deleteRange(r.cameraId, r.fromMs, r.toMs, requireSession(ctx).username));
    },

    'recordings.deletionLog': async (r) => {
      let q = d.db.selectFrom('deletion_log as l').leftJoin('cameras as c', 'c.id', 'l.camera_id').selectAll('l').select('c.name as camera_name').orderBy('l.id', 'desc').limit(r.limit);
      if (r.cameraId !== undefined) q = q.where('l.camera_id', '=', r.cameraId);
      if (r.fromMs !== undefined) q = q.where('l.end_ms', '>=', r.fromMs);
      if (r.toMs !== undefined) q = q.where('l.start_ms', '<=', r.toMs);
      if (r.beforeId !== undefined) q = q.where('l.id', '<', r.beforeId);
      const rows = await q.execute();
      return ok({
        deletions: rows.map((l) => ({
          id: l.id,
          cameraId: l.camera_id,
          cameraName: l.camera_name ?? `#${l.camera_id}`,
          startMs: Number(l.start_ms),
          endMs: Number(l.end_ms),
          bytes: Number(l.bytes),
          sha256: l.sha256,
          cause: l.cause,
          deletedAtMs: Number(l.deleted_at_ms),
          actor: l.actor,
        })),
        nextBeforeId: rows.length === r.limit ? (rows.at(-1)?.id ?? null) : null,
      });
    },

    'holds.list': async (r, ctx) => ok({ holds: await holds.list({ ...r, visibleCameraIds: await visibleFor(requireSession(ctx)) }) }),

    'holds.place': async (r, ctx) => {
      const s = requireSession(ctx);
      const bad = await checkItems(s, r.items);
      if (bad) return bad;
      if (r.reviewDateMs <= d.clock.nowMs()) return fail('InvalidArgument', 'The review date must be in the future.', ['reviewDateMs: past']);
      const id = await holds.place(s.username, r);
      return ok((await holds.get(id))!);
    },

    'holds.extend': async (r, ctx) => {
      const s = requireSession(ctx);
      const h = await holds.get(r.holdId);
      if (!h) return fail('NotFound', 'No such hold.');
      if (h.status !== 'active') return fail('FailedPrecondition', 'A released hold cannot be extended; place a new one.');
      if (r.reviewDateMs !== null && r.reviewDateMs <= h.reviewDateMs) return fail('InvalidArgument', 'A hold is extended to a later review date.', ['reviewDateMs: notLater']);
      if (r.reviewDateMs === null && r.addItems.length === 0) return fail('InvalidArgument', 'Nothing to extend.', ['addItems: empty']);
      const bad = await checkItems(s, r.addItems);
      if (bad) return bad;
      await holds.extend(s.username, r.holdId, r.reviewDateMs, r.addItems, r.reason);
      return ok((await holds.get(r.holdId))!);
    },

    'holds.release': async (r, ctx) => {
      const h = await holds.get(r.holdId);
      if (!h) return fail('NotFound', 'No such hold.');
      if (h.status !== 'active') return fail('FailedPrecondition', 'The hold is already released.');
      await holds.release(requireSession(ctx).username, r.holdId, r.reason);
      return ok((await holds.get(r.holdId))!);
    },
  };
}
