// breaches.export: the printed register of personal data breaches (JON 21-23; BRN 24.3(vii), 36-38;
// docs/design/breaches.md "The printed register"). Every record, newest first, with what happened,
// its discovery and report, category and assessment, the 72-hour clock as of printing, the
// notifications and its history, in the requested language and the site's time, through the one
// register module (electron/core/registers/register-document.ts): a PDF whose history follows the
// table, or a CSV with the history in a column. Asking for it is audited by the dispatcher.
import type { BreachView, HistoryEntry } from '../../../shared/contract';
import type { Clock } from '../clock';
import { requireSession, type Handler } from '../dispatcher';
import type { Downloads } from '../media/downloads';
import { REPORT_STRINGS, reportDateTime } from '../masks/report-strings';
import { writeRegisterFile, type RegisterDocument } from '../registers/register-document';
import type { SiteService } from '../site/site-service';
import { ENGINE_ACTOR, type BreachesService } from './breaches-service';
import { BREACH_REGISTER_STRINGS, type BreachRegisterStrings } from './register-strings';

export interface BreachExportDeps {
  breaches: Pick<BreachesService, 'all'>;
  site: Pick<SiteService, 'timeZone'>;
  clock: Clock;
  downloads: Pick<Downloads, 'offer'>;
  dataDir: string;
}

const HOUR_MS = 3_600_000;

/** The register as a document in `language`, as of `nowMs`. */
export function breachRegisterDocument(
  breaches: readonly BreachView[],
  o: { language: RegisterDocument['language']; timeZone: string; generatedAtMs: number; generatedBy: string; historyColumn: boolean },
): RegisterDocument {
  const s = BREACH_REGISTER_STRINGS[o.language];
  const at = (ms: number) => reportDateTime(ms, REPORT_STRINGS[o.language], o.timeZone);
  const who = (actor: string) => (actor === ENGINE_ACTOR ? s.engine : actor);
  const discoveries = breaches.map((b) => b.discoveredAtMs);
  const period = discoveries.length ? `${at(Math.min(...discoveries))} – ${at(Math.max(...discoveries))}` : '—';
  const c = s.columns;
  const columns = [
    { key: 'reference', title: c.reference, weight: 0.55 },
    { key: 'status', title: c.status, weight: 0.75 },
    { key: 'what', title: c.what, weight: 2.6 },
    { key: 'discovered', title: c.discovered, weight: 1.1 },
    { key: 'category', title: c.category, weight: 1.9 },
    { key: 'clock', title: c.clock, weight: 1.1 },
    { key: 'notifications', title: c.notifications, weight: 1.6 },
    ...(o.historyColumn ? [{ key: 'history', title: c.history, weight: 2 }] : []),
  ];
  const closing = (b: BreachView) => [...b.history].reverse().find((h) => h.action === 'closed');
  const rows = breaches.map((b) => ({
    reference: b.reference,
    status: b.status === 'open' ? s.status.open : s.status.closed(at(closing(b)?.atMs ?? b.reportedAtMs), who(closing(b)?.actor ?? '')),
    what: lines(b.proposal ? s.proposal[b.proposal] : null, b.what, b.cameras.length ? `${s.cameras}: ${b.cameras.map((x) => x.cameraName).join(', ')}` : null, b.records ? `${s.records}: ${b.records}` : null),
    discovered: lines(at(b.discoveredAtMs), s.reportedBy(at(b.reportedAtMs), who(b.reportedBy))),
    category: lines(
      b.category === null ? s.category.none : s.category[b.category],
      b.reasoning,
      b.subjectsNotice ? s.subjectsNotice[b.subjectsNotice] : null,
      b.subjectsNotNotifiedReason,
      b.assessedAtMs !== null && b.assessedBy ? s.assessedBy(at(b.assessedAtMs), b.assessedBy) : null,
    ),
    clock: lines(s.clock.deadline(at(b.clock.deadlineMs)), clockWords(s, b)),
    notifications: lines(
      b.authorityNotification ? s.authority(at(b.authorityNotification.atMs), b.authorityNotification.channel, b.authorityNotification.reference, b.authorityNotification.recordedBy) : null,
      b.subjectsNotification ? s.subjects(at(b.subjectsNotification.atMs), b.subjectsNotification.channel, b.subjectsNotification.reference, b.subjectsNotification.recordedBy) : null,
    ) || s.notNotified,
    ...(o.historyColumn ? { history: b.history.map((h) => historyLine(s, h, at, who)).join('\n') } : {}),
  }));
  return {
    title: s.title,
    subtitle: s.subtitle(breaches.length, period),
    language: o.language,
    timeZone: o.timeZone,
    generatedAtMs: o.generatedAtMs,
    generatedBy: o.generatedBy,
    columns,
    rows,
    notes: o.historyColumn ? [] : breaches.flatMap((b) => [s.historyHeading(b.reference), ...b.history.map((h) => `    ${historyLine(s, h, at, who)}`)]),
  };
}

const lines = (...parts: (string | null | undefined)[]): string => parts.filter((p): p is string => !!p && p.trim() !== '').join('\n');

/** The clock as of printing: time left, missed by how much, notified (late), or not needed. */
function clockWords(s: BreachRegisterStrings, b: BreachView): string {
  const hm = (ms: number) => [Math.floor(ms / HOUR_MS), Math.floor((ms % HOUR_MS) / 60_000)] as const;
  switch (b.clock.state) {
    case 'running':
      return `${s.clock.running}: ${s.clock.left(...hm(b.clock.remainingMs))}`;
    case 'warning':
      return `${s.clock.warning}: ${s.clock.left(...hm(b.clock.remainingMs))}`;
    case 'missed':
      return s.clock.missedBy(...hm(-b.clock.remainingMs));
    case 'notified':
      return b.clock.notifiedLate ? s.clock.notifiedLate : s.clock.notified;
    case 'not_required':
      return s.clock.not_required;
  }
}

/** One line of history: when, who, what, the engine's values worded, the person's own words. */
function historyLine(s: BreachRegisterStrings, h: HistoryEntry, at: (ms: number) => string, who: (actor: string) => string): string {
  const d = h.details;
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  let worded: string | null = null;
  if (h.action === 'reported' && num('discoveredAtMs') !== null) worded = s.discoveredAt(at(num('discoveredAtMs')!));
  if (h.action === 'assessed' && num('category') !== null) worded = s.categoryLine(num('category')!, str('kind') === 'notify' || str('kind') === 'not_notify' ? s.subjectsNotice[str('kind') as 'notify' | 'not_notify'] : null);
  if (h.action === 'notified' && num('notifiedAtMs') !== null) worded = s.notifiedLine(str('kind') === 'data_subjects' ? 'data_subjects' : 'authority', at(num('notifiedAtMs')!), str('channel'), str('reference'));
  if (h.action === 'proposed' && str('kind') in s.proposal) worded = s.proposal[str('kind') as keyof BreachRegisterStrings['proposal']];
  if (h.action === 'reminded' && num('deadlineAtMs') !== null) worded = s.remindedLine(at(num('deadlineAtMs')!));
  const action = s.action[h.action] ?? h.action;
  return [at(h.atMs), who(h.actor), worded ? `${action}: ${worded}` : action, h.note.replace(/\s*\n\s*/g, ' ')].filter((x) => x !== '').join(' · ');
}

export function exportHandler(d: BreachExportDeps): Handler<'breaches.export'> {
  return async (r, ctx) => {
    const session = requireSession(ctx);
    const breaches = await d.breaches.all();
    const doc = breachRegisterDocument(breaches, {
      language: r.language,
      timeZone: await d.site.timeZone(),
      generatedAtMs: d.clock.nowMs(),
      generatedBy: session.displayName && session.displayName !== session.username ? `${session.displayName} (${session.username})` : session.username,
      historyColumn: r.format === 'csv',
    });
    return writeRegisterFile(d, session, doc, r, `breach-register-${r.language}`);
  };
}
