// Pan-tilt-zoom (docs/design/ptz.md): one person steers a camera at a time. A PTZ session is taken
// with ptz.acquire and ends when its holder releases it, stays 30 s without a command, is taken
// over by a higher role (supervisor > reviewer > guard), or when the holder's session locks or
// ends; every session is audited with its start, end and why it ended, moves are not. A move
// stands for 1 s unless the seat repeats it (a dead-man rule): a seat that goes silent or away
// never leaves a camera turning. Every command names one camera, checked against the caller's
// camera groups like any other camera command (docs/design/overview.md §6).
import { z } from 'zod';
import { ROLES } from '../roles';
import { cameraRef, command } from './define';
import { done, id, isVisibleText, text } from './fields';

/** A move without a repeat stands this long; the seat repeats it while the operator holds the control. */
export const PTZ_DEAD_MAN_MS = 1_000;
/** A PTZ session without a command for this long is released. */
export const PTZ_IDLE_RELEASE_MS = 30_000;
/** Who may take a camera from whom: a higher rank takes over a lower one. */
export const PTZ_RANK: Readonly<Record<(typeof ROLES)[number], number>> = { guard: 1, reviewer: 2, supervisor: 3, administrator: 0, auditor: 0 };
export const PTZ_PRESET_NAME_MAX = 64;

/** Why a PTZ session ended (the audit entry ptz.session.ended says it). */
export const PTZ_END_REASONS = ['released', 'idle', 'taken_over', 'session_ended', 'console_locked', 'engine_stopped', 'masked'] as const;
export type PtzEndReason = (typeof PTZ_END_REASONS)[number];

const axis = z.number().min(-1).max(1);
const presetToken = z
  .string()
  .min(1)
  .max(64)
  // An opaque token the camera chose, shown nowhere but still refused with invisible characters
  // (fields.ts INVISIBLE_CHARS), like every other string a request carries.
  .refine((s) => isVisibleText(s), 'contains control or invisible characters');
const cameraScope = { refs: (r: { cameraId: number }) => [cameraRef(r.cameraId)] };
const control = { kind: 'permission', permission: 'ptz.control' } as const;
const presetsPermission = { kind: 'permission', permission: 'ptz.presets' } as const;
const target = (r: { cameraId: number }) => `camera#${r.cameraId}`;

export const ptzHolderView = z.strictObject({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  sinceMs: z.number(),
  lastCommandAtMs: z.number(),
  /** The caller's own session holds it. */
  mine: z.boolean(),
});
export type PtzHolderView = z.infer<typeof ptzHolderView>;

export const ptzStatusView = z.strictObject({
  cameraId: id,
  holder: ptzHolderView.nullable(),
  /** The caller could take the camera now: it is free, theirs, or held by a lower role or by themselves at another seat. */
  mayTake: z.boolean(),
  /** The preset the camera returns to after `afterMs` without control (null: it stays where it was left). */
  park: z.strictObject({ presetToken: z.string(), afterMs: z.number() }).nullable(),
  idleReleaseMs: z.number(),
  deadManMs: z.number(),
});
export type PtzStatusView = z.infer<typeof ptzStatusView>;

export const ptzPresetView = z.strictObject({
  token: z.string(),
  name: z.string(),
  /** Who saved it through the console, and when (null: saved on the camera some other way). */
  savedBy: z.string().nullable(),
  savedAtMs: z.number().nullable(),
});
export type PtzPresetView = z.infer<typeof ptzPresetView>;

export const PTZ_COMMANDS = {
  'ptz.acquire': command({
    request: z.strictObject({
      cameraId: id,
      /** Take the camera from a lower role (or from oneself at another seat); without it a held camera is refused. */
      takeOver: z.boolean().optional(),
    }),
    response: ptzStatusView,
    access: control,
    // The start of a PTZ session; its end is audited as ptz.session.ended with its duration.
    audit: { when: 'before' },
    scope: cameraScope,
    target,
    example: { cameraId: 999 },
  }),
  'ptz.move': command({
    request: z.strictObject({ cameraId: id, pan: axis, tilt: axis, zoom: axis }),
    response: z.strictObject({ done: z.literal(true), standsForMs: z.number() }),
    access: control,
    audit: { when: 'never', why: 'a movement inside an audited PTZ session (ptz.acquire … ptz.session.ended)' },
    scope: cameraScope,
    example: { cameraId: 999, pan: 0.5, tilt: 0, zoom: 0 },
  }),
  'ptz.stop': command({
    request: z.strictObject({ cameraId: id }),
    response: done,
    access: control,
    audit: { when: 'never', why: 'a movement inside an audited PTZ session' },
    scope: cameraScope,
    example: { cameraId: 999 },
  }),
  'ptz.release': command({
    request: z.strictObject({ cameraId: id }),
    response: done,
    access: control,
    audit: { when: 'never', why: 'the end of the PTZ session is audited as ptz.session.ended with its duration' },
    scope: cameraScope,
    example: { cameraId: 999 },
  }),
  'ptz.status': command({
    request: z.strictObject({ cameraId: id }),
    response: ptzStatusView,
    access: control,
    audit: { when: 'never', why: 'who steers a camera the caller sees; no footage' },
    scope: cameraScope,
    example: { cameraId: 999 },
  }),
  'ptz.presets': command({
    request: z.strictObject({ cameraId: id }),
    response: z.strictObject({
      cameraId: id,
      presets: z.array(ptzPresetView),
      /** What the camera says it can do (null: it does not say). */
      homeSupported: z.boolean().nullable(),
      maxPresets: z.number().nullable(),
    }),
    access: control,
    audit: { when: 'never', why: 'the names of a camera’s saved positions; no footage' },
    scope: cameraScope,
    example: { cameraId: 999 },
  }),
  'ptz.gotoPreset': command({
    request: z.strictObject({ cameraId: id, presetToken }),
    response: done,
    access: control,
    audit: { when: 'never', why: 'a movement inside an audited PTZ session' },
    scope: cameraScope,
    example: { cameraId: 999, presetToken: '1' },
  }),
  'ptz.home': command({
    request: z.strictObject({ cameraId: id }),
    response: done,
    access: control,
    audit: { when: 'never', why: 'a movement inside an audited PTZ session' },
    scope: cameraScope,
    example: { cameraId: 999 },
  }),
  'ptz.savePreset': command({
    request: z.strictObject({
      cameraId: id,
      /** The position the camera shows now, under this name. */
      name: text(PTZ_PRESET_NAME_MAX),
      /** Overwrite this preset (its position, and its name) instead of adding one. */
      presetToken: presetToken.optional(),
    }),
    response: ptzPresetView,
    access: presetsPermission,
    audit: { when: 'before' },
    scope: cameraScope,
    target,
    example: { cameraId: 999, name: 'Main gate' },
  }),
  'ptz.removePreset': command({
    request: z.strictObject({ cameraId: id, presetToken }),
    response: done,
    access: presetsPermission,
    audit: { when: 'before' },
    scope: cameraScope,
    target,
    example: { cameraId: 999, presetToken: '1' },
  }),
  'ptz.setHome': command({
    request: z.strictObject({ cameraId: id }),
    response: done,
    access: presetsPermission,
    audit: { when: 'before' },
    scope: cameraScope,
    target,
    example: { cameraId: 999 },
  }),
  'ptz.setPark': command({
    request: z.strictObject({
      cameraId: id,
      /** The preset to return to after `afterSeconds` without control; null: stay where left. */
      presetToken: presetToken.nullable(),
      afterSeconds: z.number().int().min(10).max(86_400),
    }),
    response: ptzStatusView,
    access: presetsPermission,
    audit: { when: 'before' },
    scope: cameraScope,
    target,
    example: { cameraId: 999, presetToken: null, afterSeconds: 120 },
  }),
} as const;
