// Privacy masks per camera (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md). Administrators
// draw them; every change is a new version with who, when and why, and the history is kept.
import { z } from 'zod';
import { MASK_KINDS } from '../privacy-masks';
import { cameraRef, command } from './define';
import { id, language, longText, text } from './fields';

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

/** A lift of a camera's liftable masks for the caller's session: until when (engine time) and how long from now. */
export const maskLift = z.strictObject({ untilMs: z.number(), remainingMs: z.number() });
export type MaskLift = z.infer<typeof maskLift>;

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
  // Lifting liftable masks (R7): a person with the permission, a reason, for at most the time the
  // administrators set, and a second person's password when they require it. Only for the caller's
  // own session, and only liftable masks: permanent masks are never lifted in the console.
  'masks.lift': command({
    request: z.strictObject({
      cameraId: id,
      reason: longText(500, 10),
      /** How long; at most the site's limit (security settings), which is also the default. */
      minutes: z.number().int().min(1).max(60).optional(),
      /** The second person, at the same seat, when the site requires one. */
      secondPerson: z.strictObject({ username: text(64), password: z.string().min(1).max(256) }).optional(),
    }),
    response: z.strictObject({ cameraId: id, lift: maskLift, authorisedBy: z.string().nullable() }),
    access: { kind: 'permission', permission: 'masks.lift' },
    audit: { when: 'before' },
    scope: { refs: (r) => [cameraRef(r.cameraId)] },
    target: (r) => `camera#${r.cameraId}`,
    reason: (r) => r.reason,
    example: { cameraId: 999, reason: 'identify the person entering the house for the police' },
  }),
  'masks.restore': command({
    request: z.strictObject({ cameraId: id }),
    response: z.strictObject({ done: z.literal(true) }),
    access: { kind: 'permission', permission: 'masks.lift' },
    audit: { when: 'before' },
    scope: { refs: (r) => [cameraRef(r.cameraId)] },
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999 },
  }),

  // The data protection officer's report (docs/design/privacy-masks.md "The data protection
  // officer's report"): every camera's masks, what, why, since when and who, and the history.
  'masks.report': command({
    /** The language the PDF is written in. */
    request: z.strictObject({ language }),
    // Written by the engine into its downloads folder and fetched once from its media server, like
    // the audit CSV report: a single-use URL for this session, valid until expiresAtMs.
    response: z.strictObject({ fileName: z.string(), cameras: z.number().int(), downloadUrl: z.string(), expiresAtMs: z.number() }),
    // audit.read: the data protection officer (auditor) checks records, administrators keep the
    // masks, supervisors answer for the site; none of them sees footage in the report (outlines only).
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    scope: { siteWide: 'a report over every camera of the site for those who answer for its privacy; no footage, only outlines and words' },
    target: () => 'privacy-masks',
    example: { language: 'pl' },
  }),
} as const;
