// Privacy masks per camera (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md). Administrators
// draw them; every change is a new version with who, when and why, and the history is kept.
import { z } from 'zod';
import { MASK_KINDS } from '../privacy-masks';
import { command } from './define';
import { id, longText, text } from './fields';

const fraction = z.number().min(0).max(1);
/** Like the rest of a camera's configuration: administrators, every camera; the handlers check it exists. */
const configures = { siteWide: 'administrators configure every camera’s masks; the still they draw on has its permanent masks filled' };

export const privacyMask = z.strictObject({
  kind: z.enum(MASK_KINDS),
  /** Corners in fractions of the picture; 3 to 32, a simple outline. */
  points: z.array(z.tuple([fraction, fraction])).min(3, 'a mask needs at least three corners').max(32, 'at most 32 corners'),
  /** What it hides and why, e.g. "windows of the residential building, KRK §6.3". */
  label: text(200),
});
export type PrivacyMask = z.infer<typeof privacyMask>;

/** A mask as footage is shown with it (live, playback): its shape, without the administrator's label. */
export const maskShape = z.strictObject({ kind: z.enum(MASK_KINDS), points: z.array(z.tuple([fraction, fraction])) });

export const maskVersionView = z.strictObject({
  version: z.number().int().positive(),
  masks: z.array(privacyMask),
  reason: z.string(),
  createdBy: z.string(),
  createdAtMs: z.number(),
});
export type MaskVersionView = z.infer<typeof maskVersionView>;

export const MASK_COMMANDS = {
  'masks.get': command({
    request: z.strictObject({ cameraId: id }),
    response: z.strictObject({
      cameraId: id,
      /** The version in force now (null: the camera never had masks). */
      current: maskVersionView.nullable(),
      /** Every version, oldest first (the current one last). */
      history: z.array(maskVersionView),
    }),
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    scope: configures,
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999 },
  }),
  'masks.save': command({
    request: z.strictObject({
      cameraId: id,
      /** The camera's whole set of masks from now on (an empty list removes them all). */
      masks: z.array(privacyMask).max(32),
      reason: longText(500, 5),
    }),
    response: maskVersionView,
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    scope: configures,
    target: (r) => `camera#${r.cameraId}`,
    reason: (r) => r.reason,
    example: { cameraId: 999, masks: [{ kind: 'permanent', points: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]], label: 'windows of the house opposite, KRK §6.3' }], reason: 'residential windows in view' },
  }),
  'masks.still': command({
    request: z.strictObject({ cameraId: id }),
    response: z.strictObject({
      /** A JPEG of the camera's newest keyframe with its permanent masks filled in, base64. */
      jpegBase64: z.string(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      capturedAtMs: z.number(),
    }),
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    scope: configures,
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999 },
  }),
} as const;
