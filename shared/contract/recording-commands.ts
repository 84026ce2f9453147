// Commands of recording, retention, storage and legal holds (issue 4; DESIGN R1, R2).
import { z } from 'zod';
import { command } from './define';
import { epochMs, id, longText, text } from './fields';


export const HOLD_KINDS = ['legal', 'data_subject'] as const;
export const HOLD_STATUSES = ['active', 'released'] as const;

export const holdItem = z
  .strictObject({ cameraId: id, fromMs: epochMs, toMs: epochMs })
  .refine((i) => i.toMs > i.fromMs, 'toMs must be after fromMs');

export const holdView = z.strictObject({
  id,
  kind: z.enum(HOLD_KINDS),
  caseReference: z.string(),
  legalBasis: z.string(),
  requestingBody: z.string(),
  reason: z.string(),
  reviewDateMs: z.number(),
  status: z.enum(HOLD_STATUSES),
  /** Active and past its review date: someone must decide whether it is still needed. */
  reviewOverdue: z.boolean(),
  createdBy: z.string(),
  createdAtMs: z.number(),
  releasedBy: z.string().nullable(),
  releasedAtMs: z.number().nullable(),
  releaseReason: z.string().nullable(),
  items: z.array(z.strictObject({ cameraId: id, cameraName: z.string(), fromMs: z.number(), toMs: z.number() })),
  history: z.array(z.strictObject({ atMs: z.number(), actor: z.string(), action: z.string(), note: z.string() })),
});
export type HoldView = z.infer<typeof holdView>;

export const RECORDING_STATES = ['recording', 'waiting_for_video', 'stopped_storage_full', 'disabled'] as const;

export const cameraRecordingView = z.strictObject({
  cameraId: id,
  name: z.string(),
  site: z.string(),
  state: z.enum(RECORDING_STATES),
  retentionDays: z.number().int(),
  oldestMs: z.number().nullable(),
  newestMs: z.number().nullable(),
  bytes: z.number(),
  files: z.number().int(),
  gaps: z.number().int(),
});
export type CameraRecordingView = z.infer<typeof cameraRecordingView>;

export const alarmView = z.strictObject({
  id,
  kind: z.string(),
  severity: z.enum(['warning', 'critical']),
  message: z.string(),
  cameraId: id.nullable(),
  raisedAtMs: z.number(),
  clearedAtMs: z.number().nullable(),
});
export type AlarmView = z.infer<typeof alarmView>;

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
    name: 'recordings.status',
    request: z.strictObject({}),
    response: z.strictObject({ cameras: z.array(cameraRecordingView) }),
    access: { kind: 'permission', permission: 'storage.view' },
    audit: { when: 'never', why: 'counts and times of recordings, no footage' },
  }),
  'storage.status': command({
    name: 'storage.status',
    request: z.strictObject({}),
    response: storageView,
    access: { kind: 'permission', permission: 'storage.view' },
    audit: { when: 'never', why: 'disk figures and alarms, no personal data' },
  }),
  'storage.update': command({
    name: 'storage.update',
    request: z.strictObject({
      quotaBytes: z.number().int().min(64 * 1024 * 1024).max(2 ** 53),
      freeSpaceFloorBytes: z.number().int().min(0).max(2 ** 53),
      sweepIntervalMinutes: z.number().int().min(1).max(60),
    }),
    response: storageView,
    access: { kind: 'permission', permission: 'retention.manage' },
    audit: { when: 'before' },
    target: () => 'storage',
  }),
  'recordings.delete': command({
    name: 'recordings.delete',
    request: z
      .strictObject({ cameraId: id, fromMs: epochMs, toMs: epochMs, reason: longText(500, 10) })
      .refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs'),
    response: z.strictObject({ deletedFiles: z.number().int(), deletedBytes: z.number(), keptHeldFiles: z.number().int() }),
    access: { kind: 'permission', permission: 'retention.manage' },
    audit: { when: 'before' },
    target: (r) => `camera#${r.cameraId}`,
  }),
  'recordings.deletionLog': command({
    name: 'recordings.deletionLog',
    request: z.strictObject({ cameraId: id.optional(), fromMs: epochMs.optional(), toMs: epochMs.optional(), beforeId: id.optional(), limit: z.number().int().min(1).max(500) }),
    response: z.strictObject({ deletions: z.array(deletionView), nextBeforeId: z.number().nullable() }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    target: () => 'deletion-log',
  }),
  'holds.list': command({
    name: 'holds.list',
    request: z.strictObject({
      status: z.enum(HOLD_STATUSES).optional(),
      search: text(100).optional(),
      cameraId: id.optional(),
      overdueOnly: z.boolean().optional(),
    }),
    response: z.strictObject({ holds: z.array(holdView) }),
    access: { kind: 'permission', permission: 'holds.read' },
    audit: { when: 'before' },
    target: () => 'holds',
  }),
  'holds.place': command({
    name: 'holds.place',
    request: z.strictObject({
      kind: z.enum(HOLD_KINDS),
      caseReference: text(100),
      legalBasis: text(300),
      requestingBody: text(200),
      reason: longText(2000, 10),
      reviewDateMs: epochMs,
      items: z.array(holdItem).min(1).max(64),
    }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    target: (r) => `case:${r.caseReference}`,
  }),
  'holds.extend': command({
    name: 'holds.extend',
    request: z.strictObject({
      holdId: id,
      /** New review date (later than the current one), or null to keep it. */
      reviewDateMs: epochMs.nullable(),
      /** Ranges added to the hold (a hold only grows until released). */
      addItems: z.array(holdItem).max(64),
      reason: longText(1000, 10),
    }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    target: (r) => `hold#${r.holdId}`,
  }),
  'holds.release': command({
    name: 'holds.release',
    request: z.strictObject({ holdId: id, reason: longText(1000, 10) }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.release' },
    audit: { when: 'before' },
    target: (r) => `hold#${r.holdId}`,
  }),
} as const;

