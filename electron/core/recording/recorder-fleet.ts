// The recorder fleet (docs/design/recording.md "Files"): one CameraRecorder per enabled camera, fed
// by the live service's main-stream ingest (the same RTSP connection as the wall), and the
// RecorderHost through which every recorder writes its index rows. The write and fsync order is
// the recorder's (recorder.ts); the rows are the index's (recording-index.ts).
import type { CameraRow } from '../cameras/cameras-service';
import type { AlarmsService } from '../alarms/alarms-service';
import type { Clock } from '../clock';
import type { LiveService } from '../live/live-service';
import type { Logger } from '../logger';
import { CameraRecorder, type RecorderHost } from './recorder';
import type { RecordingIndex } from './recording-index';

export interface RecorderFleetOptions {
  index: RecordingIndex;
  clock: Clock;
  logger: Logger;
  alarms: AlarmsService;
  live: LiveService | null;
  root: string;
  rollMs: number;
  /** False while the storage monitor has stopped recording (only held footage left, R2). */
  mayWrite: () => boolean;
  /** Bytes a recorder added to the root (quota accounting). */
  addUsed: (bytes: number) => void;
  /** A write failed: the storage monitor looks at the disk at once. */
  onWriteFailed: () => void;
  /** Instrumentation for crash tests: called after each fragment is written. */
  onAppended?: (cameraId: number, relPath: string, bytes: number) => void;
}

export class RecorderFleet {
  private readonly recorders = new Map<number, { recorder: CameraRecorder; unsubscribe: () => void }>();
  private readonly host: RecorderHost;

  constructor(private readonly o: RecorderFleetOptions) {
    this.host = {
      root: o.root,
      rollMs: o.rollMs,
      mayWrite: () => o.mayWrite(),
      insertRow: (r) => o.index.insertOpenFile(r, o.clock.nowMs()),
      updateRow: (id, u) => o.index.updateFile(id, u),
      addUsed: (bytes) => o.addUsed(bytes),
      onWriteError: (cameraId, err) => {
        o.logger.error('recording write failed', { cameraId, error: err });
        void o.alarms.raiseCondition('recording.write_failed', 'critical', `Recording of camera ${cameraId} failed to write: ${err instanceof Error ? err.message : String(err)}`, cameraId);
        o.onWriteFailed();
      },
      onFileClosed: () => {},
      onAppended: o.onAppended,
    };
  }

  /** One recorder per enabled camera; recorders of cameras no longer enabled stop. */
  sync(cameras: readonly CameraRow[]): void {
    const wanted = new Set(cameras.filter((c) => c.enabled === 1).map((c) => c.id));
    for (const [id, r] of this.recorders) {
      if (!wanted.has(id)) {
        r.unsubscribe();
        void r.recorder.stop();
        this.recorders.delete(id);
      }
    }
    for (const id of wanted) {
      if (this.recorders.has(id)) continue;
      const recorder = new CameraRecorder(id, this.host);
      const unsubscribe = this.o.live ? this.o.live.subscribe(id, recorder) : () => {};
      this.recorders.set(id, { recorder, unsubscribe });
    }
  }

  /** Cameras with a recorder running here. */
  cameraIds(): Set<number> {
    return new Set(this.recorders.keys());
  }

  recorderFor(cameraId: number): CameraRecorder | undefined {
    return this.recorders.get(cameraId)?.recorder;
  }

  /** Step 4 of the write order for every open file. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.recorder.flush()));
  }

  /** Closes every open file at a fragment boundary (storage full); recorders open new ones when allowed again. */
  closeFiles(): void {
    for (const { recorder } of this.recorders.values()) recorder.close();
  }

  async stop(): Promise<void> {
    for (const { recorder, unsubscribe } of this.recorders.values()) {
      unsubscribe();
      await recorder.stop();
    }
    this.recorders.clear();
  }
}
