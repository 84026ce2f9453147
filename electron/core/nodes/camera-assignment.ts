// Which cameras this engine ingests and records, kept in step with the cameras' settings and, when
// the engine is one node of several (docs/design/scale.md "Leases"), with the leases it holds. One
// change at a time: a lease change and an administrator's edit must never start one ingest twice.
import type { CameraRow, CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import type { LiveService } from '../live/live-service';
import type { Logger } from '../logger';
import type { RecordingService } from '../recording/recording-service';
import type { Store } from '../store/db';
import { CameraLeases, type NodeIdentity } from './camera-leases';

export type NodeOptions = NodeIdentity & { leaseMs?: number; renewMs?: number };

export interface CameraAssignmentDeps {
  store: Store;
  node: NodeOptions | undefined;
  clock: Clock;
  logger: Logger;
  cameras: CamerasService;
  live: LiveService;
  recording: RecordingService;
}

export class CameraAssignment {
  readonly leases: CameraLeases | null;
  private changing = Promise.resolve();
  /** Cameras as last read: a node whose leases end stops what it no longer holds from these, never
   *  waiting for a database it may not reach. */
  private known: CameraRow[] = [];

  constructor(private readonly d: CameraAssignmentDeps) {
    const { store, node, logger, live, recording } = d;
    this.leases = node
      ? new CameraLeases({
          db: store.kind === 'postgres' ? store.leaseDb : store.db,
          node,
          logger,
          leaseMs: node.leaseMs,
          renewMs: node.renewMs,
          nowMs: () => d.clock.nowMs(),
          // Files its recorders could not close in the index while the database was away.
          onReconnected: () => void this.enqueue(async () => void (await recording.reconcileIdle())).catch((err: unknown) => logger.error('indexing recordings after the database came back failed', { error: err })),
          onChange: (owned) => {
            live.stopNotIngestedHere();
            recording.syncCameras(this.known.filter((c) => owned.has(c.id)));
            void this.changed().catch((err: unknown) => logger.error('starting or stopping cameras after a lease change failed', { error: err }));
          },
        })
      : null;
    const leases = this.leases;
    if (leases) live.ingestsHere = (cameraId) => leases.owns(cameraId);
  }

  /** The cameras' settings changed (or the leases): start and stop ingests and recorders. */
  changed(): Promise<void> {
    return this.enqueue(async () => {
      await this.d.live.syncCameras();
      this.known = await this.d.cameras.all();
      const leases = this.leases;
      this.d.recording.syncCameras(leases ? this.known.filter((c) => leases.owns(c.id)) : this.known);
    });
  }

  /** The node's first lease round (its own cameras claimed before the engine answers), then the cameras. */
  async start(): Promise<void> {
    await this.leases?.start();
    await this.changed();
  }

  /** The cameras go to the other nodes at once, not when the leases run out. */
  async stop(): Promise<void> {
    await this.leases?.stop();
  }

  private enqueue(run: () => Promise<void>): Promise<void> {
    this.changing = this.changing.then(run, run);
    return this.changing;
  }
}

/** Whether this node has never been part of the site (its name is not in `nodes` yet): a node
 *  joining a site whose audit log has entries starts its audit anchor at the head. */
export async function joiningTheSite(store: Store, node: NodeOptions | undefined): Promise<boolean> {
  if (!node || store.kind !== 'postgres') return false;
  return (await store.db.selectFrom('nodes').select('name').where('name', '=', node.name).executeTakeFirst()) === undefined;
}
