// Pure logic of the incident screens (docs/design/playback.md "Incidents"): the list filter, category keys made from
// labels, the category list's checks, the period of the unlinked-viewing panel and which camera
// the live wall's mark key applies to. The engine checks everything again (R5); these only
// spare the user a round trip and say what is missing.
import { INCIDENT_STATUSES, categoryKey, type CategoryNames, type IncidentCategoryView, type RequestOf } from '../../shared/contract';
import { LANGUAGES, type Language } from '../../shared/i18n-languages';
import { requestLimits } from '../kit/contract-limits';
import { formatDateTimeSeconds, formatRange, fromLocalDateTimeInput, toLocalDateInput } from '../kit/format-time';

/** The contract's bounds (notes, titles, category labels and how many categories). */
export const MAX_NOTE = requestLimits('incidents.addNote', 'text').max;
export const MAX_CATEGORIES = requestLimits('incidents.saveCategories', 'categories').max ?? 1;
export const MAX_CATEGORY_LABEL = requestLimits('incidents.saveCategories', 'categories', '[]', 'label').max ?? 1;
export const INCIDENT_PAGE_SIZE = 50;

/** A live mark's moment with seconds (it is evidence of when the guard saw something), a playback range as from – to. */
export function formatIncidentTime(incident: { startMs: number; endMs: number | null }): string {
  return incident.endMs === null ? formatDateTimeSeconds(incident.startMs) : formatRange(incident.startMs, incident.endMs);
}

export type StatusFilter = 'any' | (typeof INCIDENT_STATUSES)[number];
export const isStatusFilter = (v: string | null): v is StatusFilter => v === 'any' || (INCIDENT_STATUSES as readonly (string | null)[]).includes(v);

export interface IncidentFilterForm {
  /** datetime-local values, '' for no bound. */
  from: string;
  to: string;
  cameraId: string | null;
  category: string | null;
  status: StatusFilter;
  author: string;
}

export const EMPTY_INCIDENT_FILTER: IncidentFilterForm = { from: '', to: '', cameraId: null, category: null, status: 'any', author: '' };

export type IncidentListRequest = RequestOf<'incidents.list'>;

/** The request for one page of the list; unset or unreadable fields are left out. */
export function toListRequest(form: IncidentFilterForm, beforeId: number | null = null, limit = INCIDENT_PAGE_SIZE): IncidentListRequest {
  const request: IncidentListRequest = { limit };
  const fromMs = fromLocalDateTimeInput(form.from);
  const toMs = fromLocalDateTimeInput(form.to);
  if (fromMs !== null) request.fromMs = fromMs;
  if (toMs !== null) request.toMs = toMs;
  const cameraId = Number(form.cameraId);
  if (form.cameraId && Number.isInteger(cameraId) && cameraId > 0) request.cameraIds = [cameraId];
  if (form.category) request.category = form.category;
  if (form.status !== 'any') request.status = form.status;
  const author = form.author.trim();
  if (author) request.author = author.slice(0, 32);
  if (beforeId !== null) request.beforeId = beforeId;
  return request;
}

/** True when both bounds are set and the end is not after the start (the list would be empty). */
export function filterRangeReversed(form: IncidentFilterForm): boolean {
  const fromMs = fromLocalDateTimeInput(form.from);
  const toMs = fromLocalDateTimeInput(form.to);
  return fromMs !== null && toMs !== null && toMs <= fromMs;
}

// ł, đ and ø do not decompose under NFD; the rest of Polish, Lithuanian and Czech does.
const EXTRA_LETTERS: Record<string, string> = { ł: 'l', đ: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe' };

/**
 * A category key proposed from its label: lower case, diacritics dropped, runs of anything else
 * turned into one underscore (like the default keys, `fire_smoke`), at most 40 characters; made
 * unique against `taken` with _2, _3, ...
 * May still be invalid (a one-letter label): the form shows the key and lets the user edit it.
 */
export function categoryKeyFromLabel(label: string, taken: ReadonlySet<string> = new Set()): string {
  const base = label
    .toLowerCase()
    .replace(/[łđøßæœ]/g, (c) => EXTRA_LETTERS[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  if (!base || !taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, 40 - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function isCategoryKey(key: string): boolean {
  return categoryKey.safeParse(key).success;
}

/** A row of the categories editor: `saved` rows came from the engine and keep their key. */
export interface CategoryRow {
  rowKey: number;
  key: string;
  label: string;
  /** The name in each interface language, as typed ('' = the label is shown in that language). */
  names: Readonly<Record<Language, string>>;
  active: boolean;
  saved: boolean;
  /** The user typed the key: stop deriving it from the label. */
  keyEdited: boolean;
}

let nextRowKey = 1;
export function rowsFromCategories(categories: readonly IncidentCategoryView[]): CategoryRow[] {
  return categories.map((c) => ({ rowKey: nextRowKey++, key: c.key, label: c.label, names: namesRow(c.names), active: c.active, saved: true, keyEdited: false }));
}

function namesRow(names: CategoryNames): Record<Language, string> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, names[l] ?? ''])) as Record<Language, string>;
}

/** The names worth sending: trimmed, the empty ones left out. */
function namesToSave(names: Readonly<Record<Language, string>>): CategoryNames {
  const out: CategoryNames = {};
  for (const l of LANGUAGES) if (names[l].trim()) out[l] = names[l].trim();
  return out;
}

export function newCategoryRow(label: string, rows: readonly CategoryRow[]): CategoryRow {
  return { rowKey: nextRowKey++, key: categoryKeyFromLabel(label, new Set(rows.map((r) => r.key))), label, names: namesRow({}), active: true, saved: false, keyEdited: false };
}

/** A new row's label changed: its key follows unless the user edited the key. */
export function relabel(row: CategoryRow, label: string, rows: readonly CategoryRow[]): CategoryRow {
  if (row.saved || row.keyEdited) return { ...row, label };
  const taken = new Set(rows.filter((r) => r.rowKey !== row.rowKey).map((r) => r.key));
  return { ...row, label, key: categoryKeyFromLabel(label, taken) };
}

export type CategoryRowProblem = 'label' | 'key' | 'duplicate';
export type CategoryListProblem = 'empty' | 'noneActive' | 'tooMany';

export function categoryProblems(rows: readonly CategoryRow[]): { rows: Map<number, CategoryRowProblem>; list: CategoryListProblem | null } {
  const problems = new Map<number, CategoryRowProblem>();
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.key, (seen.get(r.key) ?? 0) + 1);
  for (const r of rows) {
    const label = r.label.trim();
    if (!label || label.length > MAX_CATEGORY_LABEL || LANGUAGES.some((l) => r.names[l].trim().length > MAX_CATEGORY_LABEL)) problems.set(r.rowKey, 'label');
    else if (!isCategoryKey(r.key)) problems.set(r.rowKey, 'key');
    else if ((seen.get(r.key) ?? 0) > 1) problems.set(r.rowKey, 'duplicate');
  }
  const list: CategoryListProblem | null =
    rows.length === 0 ? 'empty' : rows.length > MAX_CATEGORIES ? 'tooMany' : rows.some((r) => r.active) ? null : 'noneActive';
  return { rows: problems, list };
}

export function toSaveRequest(rows: readonly CategoryRow[]): RequestOf<'incidents.saveCategories'> {
  return { categories: rows.map((r) => ({ key: r.key, label: r.label.trim(), names: namesToSave(r.names), active: r.active })) };
}

/** Keys of saved categories that are no longer in the list (the engine refuses this for used ones). */
export function removedKeys(original: readonly IncidentCategoryView[], rows: readonly CategoryRow[]): string[] {
  const kept = new Set(rows.map((r) => r.key));
  return original.filter((c) => !kept.has(c.key)).map((c) => c.key);
}

export const UNLINKED_DEFAULT_DAYS = 30;

/** The default period of the unlinked-viewing panel: the last 30 days up to today, as date inputs. */
export function defaultUnlinkedPeriod(nowMs: number): { from: string; to: string } {
  return { from: toLocalDateInput(nowMs - UNLINKED_DEFAULT_DAYS * 86_400_000), to: toLocalDateInput(nowMs) };
}

/**
 * The camera the mark key (M) applies to on the live wall: the single view's camera, else the
 * selected tile's, else the only camera on the wall. Null when none fits (nothing is marked).
 */
export function markCameraFor(wall: { slots: readonly (number | null)[]; layout: number; selected: number; single: number | null }, known: (id: number) => boolean): number | null {
  const at = (i: number) => {
    const id = wall.slots[i] ?? null;
    return id !== null && known(id) ? id : null;
  };
  if (wall.single !== null) return at(wall.single);
  const selected = at(wall.selected);
  if (selected !== null) return selected;
  const shown = [...new Set(wall.slots.slice(0, wall.layout).map((_, i) => at(i)).filter((id): id is number => id !== null))];
  return shown.length === 1 ? (shown[0] ?? null) : null;
}

/**
 * The keys the engine refused to remove because incidents use them: incidents.saveCategories
 * answers InvalidArgument with one issue `categories: <key> is in use` per key.
 */
export function usedCategoryKeys(error: { kind: string; issues?: readonly string[] } | null): string[] {
  if (!error || error.kind !== 'InvalidArgument') return [];
  return (error.issues ?? []).flatMap((issue) => {
    const m = /^categories: (\S+) is in use$/.exec(issue.trim());
    return m?.[1] ? [m[1]] : [];
  });
}
