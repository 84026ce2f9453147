// Recording, retention and storage (docs/design/recording.md; R1 retention is a maximum,
// R2 held footage is never deleted; ELB 1.8, JON 10 recording 24/7).
import { z } from 'zod';
import { TILE_STATES } from '../cameras';
import { alarmView } from './alarms';
import { command } from './define';
import { empty, epochMs, id, keysetPage, longText, nextPage } from './fields';

export const RECORDING_STATES = ['recording', 'waiting_for_video', 'stopped_storage_full', 'disabled'] as const;

export const cameraRecordingView = z.strictObject({
  cameraId: id,
  name: z.string(),
  site: z.string(),
  state: z.enum(RECORDING_STATES),
  /** The camera's one state (shared/cameras.ts TILE_STATES): the same word as its tile and the camera tree. */
  cameraState: z.enum(TILE_STATES),
  retentionDays: z.number().int(),
  oldestMs: z.number().nullable(),
  newestMs: z.number().nullable(),
  bytes: z.number(),
  files: z.number().int(),
  gaps: z.number().int(),
});
export type CameraRecordingView = z.infer<typeof cameraRecordingView>;


export const storageView = z.strictObject({
  roots: z.array(
    z.strictObject({
      path: z.string(),
      quotaBytes: z.number(),
      freeSpaceFloorBytes: z.number(),
      usedBytes: z.number(),
      freeBytes: z.number(),
      totalBytes: z.number(),
    }),
  ),
  sweepIntervalMinutes: z.number(),
  lastSweepAtMs: z.number().nullable(),
  alarms: z.array(alarmView),
});
export type StorageView = z.infer<typeof storageView>;

export const deletionView = z.strictObject({
  id,
  cameraId: id,
  cameraName: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  bytes: z.number(),
  sha256: z.string(),
  cause: z.enum(['retention', 'quota', 'manual']),
  deletedAtMs: z.number(),
  actor: z.string(),
});

export const RECORDING_COMMANDS = {
  'recordings.status': command({
    request: empty,
    response: z.strictObject({ cameras: z.array(cameraRecordingView) }),
    access: { kind: 'permission', permission: 'storage.view' },
    audit: { when: 'never', why: 'counts and times of recordings, no footage' },
    scope: { siteWide: 'recording status of every camera, for the roles that watch storage' },
    example: {},
  }),
  'storage.status': command({
    request: empty,
    response: storageView,
    access: { kind: 'permission', permission: 'storage.view' },
    audit: { when: 'never', why: 'disk figures and alarms, no personal data' },
    example: {},
  }),
  'storage.update': command({
    request: z.strictObject({
      quotaBytes: z.number().int().min(64 * 1024 * 1024).max(2 ** 53),
      freeSpaceFloorBytes: z.number().int().min(0).max(2 ** 53),
      sweepIntervalMinutes: z.number().int().min(1).max(60),
    }),
    response: storageView,
    access: { kind: 'permission', permission: 'retention.manage' },
    audit: { when: 'before' },
    target: () => 'storage',
    example: { quotaBytes: 10 * 1024 ** 3, freeSpaceFloorBytes: 1024 ** 3, sweepIntervalMinutes: 5 },
  }),
  'recordings.delete': command({
    request: z
      .strictObject({ cameraId: id, fromMs: epochMs, toMs: epochMs, reason: longText(500, 10) })
      .refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs'),
    response: z.strictObject({ deletedFiles: z.number().int(), deletedBytes: z.number(), keptHeldFiles: z.number().int() }),
    access: { kind: 'permission', permission: 'retention.manage' },
    audit: { when: 'before' },
    scope: { siteWide: 'administrators manage retention of every camera; held files are kept (R2)' },
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999, fromMs: 1_000, toMs: 2_000, reason: 'clean-up of a test camera' },
  }),
  'recordings.deletionLog': command({
    request: z.strictObject({ cameraId: id.optional(), fromMs: epochMs.optional(), toMs: epochMs.optional(), ...keysetPage }),
    response: z.strictObject({ deletions: z.array(deletionView), ...nextPage }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    scope: { siteWide: 'proof of erasure for every camera, for the roles that read the audit log' },
    target: () => 'deletion-log',
    example: { limit: 10 },
  }),
} as const;
