// Storage pressure (docs/design/recording.md "Storage pressure"): a quota and a free-space floor per
// root, checked every storageCheckMs and at each write failure. Over either limit the oldest unheld
// complete files go first (cause `quota`) with the warning alarm `storage.pressure`; when only held
// footage is left recording stops (files closed at a fragment boundary) with the critical alarm
// `storage.full`, and held footage is never deleted (R2). Recording resumes by itself when space
// returns. Also the storage settings (the `settings` row `storage`) and the bytes in use.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { StorageView } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { Logger } from '../logger';
import type { Database } from '../store/schema';
import type { RecordingIndex, RecordingRow } from './recording-index';
import { DELETION_BATCH } from './retention-sweep';
import { readSetting, writeSetting } from '../admin/settings-service';

export interface StorageSettings {
  quotaBytes: number;
  freeSpaceFloorBytes: number;
  sweepIntervalMinutes: number;
}

export type Statfs = (root: string) => { freeBytes: number; totalBytes: number };

export interface StorageMonitorDeps {
  db: Kysely<Database>;
  index: RecordingIndex;
  alarms: AlarmsService;
  logger: Logger;
  root: string;
  /** Disk figures; injectable so tests can simulate a small disk without one. */
  statfs?: Statfs;
  /** Deletes these files by the deletion protocol, cause `quota` (retention-sweep.ts). */
  deleteForQuota: (rows: readonly RecordingRow[]) => Promise<unknown>;
  /** Closes every open recording file (only held footage is left). */
  stopRecording: () => void;
}

export class StorageMonitor {
  private usedBytes = 0;
  private full = false;
  settings: StorageSettings = { quotaBytes: 0, freeSpaceFloorBytes: 0, sweepIntervalMinutes: 5 };

  constructor(private readonly d: StorageMonitorDeps) {}

  private statfs(): { freeBytes: number; totalBytes: number } {
    if (this.d.statfs) return this.d.statfs(this.d.root);
    const s = fs.statfsSync(this.d.root);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }

  /** Stored settings over the defaults (quota 90 % of the disk, floor min(2 GiB, 5 %), sweep every 5 min). */
  async loadSettings(): Promise<void> {
    const stored = (await readSetting(this.d.db, 'storage')) as Partial<StorageSettings> | undefined;
    const { totalBytes } = this.statfs();
    const defaults: StorageSettings = {
      quotaBytes: Math.floor(totalBytes * 0.9),
      freeSpaceFloorBytes: Math.min(2 * 1024 ** 3, Math.floor(totalBytes * 0.05)),
      sweepIntervalMinutes: 5,
    };
    this.settings = { ...defaults, ...stored };
  }

  async saveSettings(next: StorageSettings): Promise<void> {
    await writeSetting(this.d.db, 'storage', next);
    this.settings = next;
  }

  /** Counts the bytes in use from the index (at start-up, after reconciliation). */
  async recount(): Promise<void> {
    this.usedBytes = await this.d.index.usedBytes();
  }

  addUsed(bytes: number): void {
    this.usedBytes += bytes;
  }

  freed(bytes: number): void {
    this.usedBytes -= bytes;
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Quota and free-space floor: oldest unheld footage first; if only held footage is left, stop recording. */
  async check(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const { freeBytes } = this.statfs();
      const need = Math.max(this.usedBytes - this.settings.quotaBytes, this.settings.freeSpaceFloorBytes - freeBytes, 0);
      if (need <= 0) {
        if (this.full) {
          this.full = false;
          await this.d.alarms.clear('storage.full');
          this.d.logger.info('recording resumed: storage available again');
        }
        // The warning stays while storage is tight (within 10 % of the quota or 1.5 x the floor),
        // so a supervisor sees it; it clears once there is headroom again.
        const headroom = this.usedBytes <= this.settings.quotaBytes * 0.9 && freeBytes >= this.settings.freeSpaceFloorBytes * 1.5;
        if (round === 0 && headroom) await this.d.alarms.clear('storage.pressure');
        return;
      }
      const pick: RecordingRow[] = [];
      let sum = 0;
      for (const r of await this.d.index.oldestUnheld(DELETION_BATCH)) {
        pick.push(r);
        sum += Number(r.bytes);
        if (sum >= need) break;
      }
      if (pick.length === 0) {
        if (!this.full) {
          this.full = true;
          this.d.stopRecording();
          await this.d.alarms.raiseCondition('storage.full', 'critical', 'Recording stopped: the recordings disk is full of footage under legal hold. Free space or release holds.', null);
        }
        return;
      }
      await this.d.deleteForQuota(pick);
      await this.d.alarms.raiseCondition('storage.pressure', 'warning', 'Storage is short: the oldest footage not under hold was deleted before its retention ended.', null);
    }
  }

  /** Disk figures and settings; the alarms are the caller's to add (they depend on who asks). */
  view(lastSweepAtMs: number | null): Omit<StorageView, 'alarms'> {
    const { freeBytes, totalBytes } = this.statfs();
    return {
      roots: [{ path: this.d.root, quotaBytes: this.settings.quotaBytes, freeSpaceFloorBytes: this.settings.freeSpaceFloorBytes, usedBytes: this.usedBytes, freeBytes, totalBytes }],
      sweepIntervalMinutes: this.settings.sweepIntervalMinutes,
      lastSweepAtMs,
    };
  }
}
