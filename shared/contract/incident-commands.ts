// Incidents (issue 5 §4; KRK §1.16): marked as they happen on the live wall (the time is the
// moment the key was pressed), or as a range from playback; notes, close and reopen with a reason,
// linked holds. Categories are configured by administrators. Every change is audited.
import { z } from 'zod';
import { command } from './define';
import { epochMs, id, longText, text } from './fields';

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

export const incidentCategoryView = z.strictObject({
  key: categoryKey,
  label: z.string(),
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
  history: z.array(z.strictObject({ atMs: z.number(), actor: z.string(), action: z.string(), note: z.string() })),
  linkedHolds: z.array(z.strictObject({ holdId: id, caseReference: z.string(), status: z.string() })),
});
export type IncidentView = z.infer<typeof incidentView>;

export const INCIDENT_COMMANDS = {
  'incidents.categories': command({
    name: 'incidents.categories',
    request: z.strictObject({}),
    response: z.strictObject({ categories: z.array(incidentCategoryView) }),
    access: { kind: 'session' },
    audit: { when: 'never', why: 'the configured list of category names, no personal data' },
  }),
  'incidents.saveCategories': command({
    name: 'incidents.saveCategories',
    request: z
      .strictObject({ categories: z.array(z.strictObject({ key: categoryKey, label: text(60), active: z.boolean() })).min(1).max(50) })
      .refine((r) => new Set(r.categories.map((c) => c.key)).size === r.categories.length, 'category keys must not repeat')
      .refine((r) => r.categories.some((c) => c.active), 'at least one category must be active'),
    response: z.strictObject({ categories: z.array(incidentCategoryView) }),
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: () => 'incident-categories',
  }),
  'incidents.mark': command({
    name: 'incidents.mark',
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
  }),
  'incidents.create': command({
    name: 'incidents.create',
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
  }),
  'incidents.list': command({
    name: 'incidents.list',
    request: z.strictObject({
      fromMs: epochMs.optional(),
      toMs: epochMs.optional(),
      cameraIds: z.array(id).max(64).optional(),
      category: categoryKey.optional(),
      status: z.enum(INCIDENT_STATUSES).optional(),
      author: text(32).optional(),
      /** Keyset paging: incidents with a smaller id than this. */
      beforeId: id.optional(),
      limit: z.number().int().min(1).max(500),
    }),
    response: z.strictObject({ incidents: z.array(incidentSummaryView), nextBeforeId: z.number().nullable() }),
    access: { kind: 'permission', permission: 'incidents.read' },
    audit: { when: 'before' },
    target: () => 'incidents',
  }),
  'incidents.get': command({
    name: 'incidents.get',
    request: z.strictObject({ incidentId: id }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.read' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
  }),
  'incidents.addNote': command({
    name: 'incidents.addNote',
    request: z.strictObject({ incidentId: id, text: longText(2000) }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.edit' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
  }),
  'incidents.close': command({
    name: 'incidents.close',
    request: z.strictObject({ incidentId: id, reason: longText(1000, 10) }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.edit' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
    reason: (r) => r.reason,
  }),
  'incidents.reopen': command({
    name: 'incidents.reopen',
    request: z.strictObject({ incidentId: id, reason: longText(1000, 10) }),
    response: incidentView,
    access: { kind: 'permission', permission: 'incidents.edit' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId}`,
    reason: (r) => r.reason,
  }),
  'incidents.linkHold': command({
    name: 'incidents.linkHold',
    request: z.strictObject({ incidentId: id, holdId: id }),
    response: incidentView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    target: (r) => `incident#${r.incidentId} hold#${r.holdId}`,
  }),
  'audit.unlinkedViewing': command({
    name: 'audit.unlinkedViewing',
    request: z.strictObject({ fromMs: epochMs, toMs: epochMs }).refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs'),
    response: z.strictObject({
      users: z.array(
        z.strictObject({
          username: z.string(),
          displayName: z.string(),
          /** Playback sessions opened in the range. */
          sessions: z.number().int(),
          /** Of those, how many named no existing incident (INC-n) and no case reference of a legal hold. */
          withoutLink: z.number().int(),
        }),
      ),
    }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    target: () => 'playback-sessions',
  }),
} as const;
