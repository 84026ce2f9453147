// Incidents (docs/design/playback.md, incidents; KRK §1.16): marked as they happen on the live wall (the time is the
// moment the key was pressed), or as a range from playback; notes, close and reopen with a reason,
// linked holds. Categories are configured by administrators. Every change is audited.
import { z } from 'zod';
import { cameraRef, cameraRefs, command, holdRef, incidentRef } from './define';
import { epochMs, historyEntry, id, keysetPage, longText, nextPage, text } from './fields';

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export const INCIDENT_SOURCES = ['live', 'playback'] as const;

/** How far in the past a live mark's key-press time may be (a guard fills the form slowly). */
export const LIVE_MARK_MAX_AGE_MS = 15 * 60_000;
/** Clock skew allowed between a seat and the engine for a live mark's key-press time. */
export const LIVE_MARK_MAX_SKEW_MS = 5_000;

/** A category key: stable once used (records keep it); its label can change. */
export const categoryKey = z
  .string()
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, '2-40 characters: a-z, digits, dash, underscore');

/**
 * A category's name in the interface languages an administrator named it in; `label` is shown in
 * the others (and for the categories a fresh install offers, their shipped translation while the
 * label is unchanged).
 */
export const categoryNames = z.strictObject({ en: text(60).optional(), pl: text(60).optional(), lt: text(60).optional(), cs: text(60).optional() });
export type CategoryNames = z.infer<typeof categoryNames>;
const categoryNamesView = z.strictObject({ en: z.string().optional(), pl: z.string().optional(), lt: z.string().optional(), cs: z.string().optional() });

export const incidentCategoryView = z.strictObject({
  key: categoryKey,
  label: z.string(),
  names: categoryNamesView,
  /** Retired categories stay on old incidents but are not offered for new ones. */
  active: z.boolean(),
});
export type IncidentCategoryView = z.infer<typeof incidentCategoryView>;

/** The number shown to people and typed into reasons and references: INC-<id>. */
export function incidentNumber(incidentId: number): string {
  return `INC-${incidentId}`;
}

export const incidentSummaryView = z.strictObject({
  id,
  number: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  categoryNames: categoryNamesView,
  status: z.enum(INCIDENT_STATUSES),
  source: z.enum(INCIDENT_SOURCES),
  cameras: z.array(z.strictObject({ cameraId: id, cameraName: z.string() })),
  /** For a live mark: the key-press time; for a playback range: its start. */
  startMs: z.number(),
  /** Null for a live mark (a moment); the end of the range for playback. */
  endMs: z.number().nullable(),
  title: z.string(),
  createdBy: z.string(),
  createdAtMs: z.number(),
  notes: z.number().int(),
  holds: z.number().int(),
});
export type IncidentSummaryView = z.infer<typeof incidentSummaryView>;

export const incidentView = incidentSummaryView.extend({
  /** Notes, oldest first, never edited or removed. The first is the note given when marking. */
  noteHistory: z.array(z.strictObject({ atMs: z.number(), actor: z.string(), text: z.string() })),
  /** Marking, notes, close and reopen (with their reasons), links, oldest first. */
  history: z.array(historyEntry),
  linkedHolds: z.array(z.strictObject({ holdId: id, caseReference: z.string(), status: z.string() })),
});
export type IncidentView = z.infer<typeof incidentView>;

/** Closing and reopening: the same request, a reason on the record (audit reason column). */
const statusChange = (exampleReason: string) =>
  command({
    request: z.strictObject({ incidentId: id, reason: longText(1000, 10) }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.edit' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
    reason: (r) => r.reason,
    scope: { refs: (r) => [incidentRef(r.incidentId)] },
    example: { incidentId: 999, reason: exampleReason },
  });

export const INCIDENT_COMMANDS = {
  'incidents.categories': command({
    request: z.strictObject({}),
    response: z.strictObject({ categories: z.array(incidentCategoryView) }),
    access: { kind: 'session' },
    audit: { when: 'never', why: 'the configured list of category names, no personal data' },
    example: {},
  }),
  'incidents.saveCategories': command({
    request: z
      .strictObject({ categories: z.array(z.strictObject({ key: categoryKey, label: text(60), names: categoryNames.optional(), active: z.boolean() })).min(1).max(50) })
      .refine((r) => new Set(r.categories.map((c) => c.key)).size === r.categories.length, 'category keys must not repeat')
      .refine((r) => r.categories.some((c) => c.active), 'at least one category must be active'),
    response: z.strictObject({ categories: z.array(incidentCategoryView) }),
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: () => 'incident-categories',
    example: { categories: [{ key: 'theft', label: 'Theft', names: { pl: 'Kradzież' }, active: true }] },
  }),
  'incidents.mark': command({
    request: z.strictObject({
      cameraId: id,
      /** When the key was pressed on the wall (checked in core: not in the future, not older than 15 min). */
      atMs: epochMs,
      category: categoryKey,
      note: longText(2000, 0),
    }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.create' },
    audit: { when: 'before' },
    target: (r) => `camera#${r.cameraId} ${new Date(r.atMs).toISOString()}`,
    scope: { refs: (r) => [cameraRef(r.cameraId)] },
    example: { cameraId: 999, atMs: Date.UTC(2026, 10, 2, 8, 0, 0), category: 'theft', note: '' },
  }),
  'incidents.create': command({
    request: z
      .strictObject({
        cameraIds: z.array(id).min(1).max(4),
        fromMs: epochMs,
        toMs: epochMs,
        category: categoryKey,
        title: text(120),
        note: longText(2000, 0),
      })
      .refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs')
      .refine((r) => new Set(r.cameraIds).size === r.cameraIds.length, 'cameras must not repeat'),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.create' },
    audit: { when: 'before' },
    target: (r) => `cameras:${r.cameraIds.join(',')} ${new Date(r.fromMs).toISOString()}..${new Date(r.toMs).toISOString()}`,
    scope: { refs: (r) => cameraRefs(r.cameraIds) },
    example: { cameraIds: [999], fromMs: 1_000, toMs: 2_000, category: 'theft', title: 'Matrix incident', note: '' },
  }),
  'incidents.list': command({
    request: z.strictObject({
      fromMs: epochMs.optional(),
      toMs: epochMs.optional(),
      cameraIds: z.array(id).max(64).optional(),
      category: categoryKey.optional(),
      status: z.enum(INCIDENT_STATUSES).optional(),
      author: text(32).optional(),
      /** Keyset paging: incidents with a smaller id than `beforeId`. */
      ...keysetPage,
    }),
    response: z.strictObject({ incidents: z.array(incidentSummaryView), ...nextPage }),
    access: { kind: 'permission', permission: 'incidents.read' },
    audit: { when: 'before' },
    target: () => 'incidents',
    scope: { filtered: 'incidents with a camera the caller sees (every incident for records.readAll)' },
    example: { limit: 10 },
  }),
  'incidents.get': command({
    request: z.strictObject({ incidentId: id }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.read' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
    scope: { refs: (r) => [incidentRef(r.incidentId)] },
    example: { incidentId: 999 },
  }),
  'incidents.addNote': command({
    request: z.strictObject({ incidentId: id, text: longText(2000) }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.edit' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
    scope: { refs: (r) => [incidentRef(r.incidentId)] },
    example: { incidentId: 999, text: 'a note' },
  }),
  'incidents.close': statusChange('resolved on site'),
  'incidents.reopen': statusChange('new information came in'),
  'incidents.linkHold': command({
    request: z.strictObject({ incidentId: id, holdId: id }),
    response: incidentView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId} hold#${r.holdId}`,
    scope: { refs: (r) => [incidentRef(r.incidentId), holdRef(r.holdId)] },
    example: { incidentId: 999, holdId: 999 },
  }),
} as const;
