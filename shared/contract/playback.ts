// Reason-gated playback (docs/design/playback.md; R3; KRK §5.3.4, JON 15.5): recorded footage
// opens only after a stated reason is in the audit log.
import { z } from 'zod';
import { maskLift, maskShape } from './masks';
import { cameraRefs, command } from './define';
import { epochMs, id, longText, text } from './fields';

export const PLAYBACK_REASONS = [
  'incident_investigation',
  'police_court_prosecutor',
  'data_subject_request',
  'internal_investigation',
  'insurance_claim',
  'system_check',
] as const;

export const playbackReason = z.strictObject({
  category: z.enum(PLAYBACK_REASONS),
  text: longText(1000, 10),
  reference: text(100).optional(),
});

const WEEK_MS = 7 * 86_400_000;

/** What the timeline draws for one camera: recorded spans (gaps are what lies between them). */
export const coverageView = z.strictObject({
  cameraId: id,
  spans: z.array(z.strictObject({ fromMs: z.number(), toMs: z.number() })),
});
export type CoverageView = z.infer<typeof coverageView>;

export const PLAYBACK_COMMANDS = {
  'playback.coverage': command({
    request: z
      .strictObject({
        cameraIds: z.array(id).min(1).max(4),
        fromMs: epochMs,
        toMs: epochMs,
        /** Spans closer than this are drawn as one (about a pixel of the timeline at its zoom). */
        mergeGapMs: z.number().int().min(0).max(3_600_000),
      })
      .refine((r) => r.toMs > r.fromMs && r.toMs - r.fromMs <= 31 * 86_400_000, 'the range must be positive and at most 31 days'),
    response: z.strictObject({ cameras: z.array(coverageView) }),
    access: { kind: 'permission', permission: 'playback.view' },
    audit: { when: 'never', why: 'when recordings exist, for the timeline; no footage (opening footage is audited with its reason)' },
    scope: { refs: (r) => cameraRefs(r.cameraIds) },
    example: { cameraIds: [999], fromMs: 1_000, toMs: 2_000, mergeGapMs: 0 },
  }),
  'playback.open': command({
    request: z
      .strictObject({ cameraIds: z.array(id).min(1).max(4), fromMs: epochMs, toMs: epochMs, reason: playbackReason })
      .refine((r) => r.toMs > r.fromMs && r.toMs - r.fromMs <= WEEK_MS, 'the range must be positive and at most 7 days')
      .refine((r) => new Set(r.cameraIds).size === r.cameraIds.length, 'cameras must not repeat'),
    response: z.strictObject({
      playbackId: z.string(),
      expiresAtMs: z.number(),
      /** masks: every privacy mask in force while the range was recorded, and those in force now (R7). */
      streams: z.array(z.strictObject({ cameraId: id, url: z.string(), masks: z.array(maskShape), lift: maskLift.nullable() })),
    }),
    access: { kind: 'permission', permission: 'playback.view' },
    // R3: the entry naming user, reason, cameras and range is committed before any token exists.
    audit: { when: 'before' },
    scope: { refs: (r) => cameraRefs(r.cameraIds) },
    target: (r) => `cameras:${r.cameraIds.join(',')} ${new Date(r.fromMs).toISOString()}..${new Date(r.toMs).toISOString()}`,
    reason: (r) => `${r.reason.category}: ${r.reason.text}${r.reason.reference ? ` [${r.reason.reference}]` : ''}`,
    example: { cameraIds: [999], fromMs: 1_000, toMs: 2_000, reason: { category: 'system_check', text: 'matrix test of access' } },
  }),
  'playback.close': command({
    request: z.strictObject({ playbackId: text(64) }),
    response: z.strictObject({ done: z.literal(true) }),
    // Only ever closes a grant of the caller's own connection; allowed while locked, as an idle
    // lock unmounts the playback screen.
    access: { kind: 'session', alsoWhen: ['locked'] },
    audit: { when: 'before' },
    target: (r) => `playback:${r.playbackId}`,
    example: { playbackId: 'no-such-playback' },
  }),
} as const;
