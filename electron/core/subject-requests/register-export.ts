// subjects.export: the register of data-subject requests printed (PDF, to sign and file) or for a
// spreadsheet (CSV), in the reader's language, through the one register module
// (electron/core/registers/register-document.ts). One row per request with its deadline, decision,
// answer, links and viewings; every request's history after the table. The requester's contact is
// left out of the printout: the name identifies the request, the contact is read on screen only.
import type { SubjectRequestView } from '../../../shared/contract';
import type { UsersService } from '../auth/users-service';
import type { Clock } from '../clock';
import { requireSession, type Handler } from '../dispatcher';
import { REPORT_STRINGS, reportDateTime } from '../masks/report-strings';
import type { Downloads } from '../media/downloads';
import { writeRegisterFile, type RegisterDocument } from '../registers/register-document';
import type { SiteService } from '../site/site-service';
import { REGISTER_STRINGS, type RegisterStrings } from './register-strings';
import type { SubjectRequestsService } from './subject-requests-service';

export interface RegisterExportDeps {
  subjects: Pick<SubjectRequestsService, 'list'>;
  users: Pick<UsersService, 'byUsername'>;
  site: Pick<SiteService, 'timeZone' | 'country'>;
  clock: Clock;
  /** The audit trail's downloads (its folder is `<dataDir>/reports`). */
  downloads: Pick<Downloads, 'offer'>;
  dataDir: string;
}

/** The cells of one request, worded in the register's language. */
export function registerRow(r: SubjectRequestView, w: RegisterStrings, at: (ms: number) => string, locale: string): Record<string, string> {
  const by = (who: string) => (w.by ? `${w.by} ${who}` : who);
  const d = r.deadline;
  const deadline = [`${w.phase[d.phase]}: ${at(d.dueMs)} · ${w.state[d.state]}`];
  if (r.extension) deadline.push(`${w.extended(r.extension.months, at(r.extension.toldRequesterAtMs))}: ${r.extension.reason}`);
  if (d.decidedLate || d.answeredLate) deadline.push(w.late);
  const decision = r.decision
    ? [
        `${w.decision[r.decision.outcome]}, ${at(r.decision.atMs)}, ${by(r.decision.by)}`,
        r.decision.reason,
        r.decision.fee ? `${w.fee(new Intl.NumberFormat(locale, { style: 'currency', currency: r.decision.fee.currency }).format(r.decision.fee.amountMinor / 100))}: ${r.decision.fee.reason}` : '',
        r.decision.outcome !== 'granted' && r.decision.remediesTold ? w.remediesTold : '',
      ]
    : [w.notDecided];
  const answer = r.answer ? [`${at(r.answer.atMs)}, ${r.answer.channel}`, r.answer.appointmentAtMs === null ? '' : w.appointment(at(r.answer.appointmentAtMs))] : [w.notAnswered];
  return {
    reference: r.reference,
    kind: w.kind[r.kind],
    received: `${at(r.receivedAtMs)}, ${w.channel[r.channel]}`,
    requester: r.requesterName,
    identity: r.identity ? `${w.identity[r.identity.method]}; ${r.identity.checkedBy}` : w.notChecked,
    deadline: deadline.join('\n'),
    decision: decision.filter(Boolean).join('\n'),
    answer: answer.filter(Boolean).join('\n'),
    links: r.links.map((l) => (l.kind === 'hold' ? `${w.hold} ${l.label} (${l.status ?? '?'})` : `${w.exportRequest} ${l.label} (${l.status ?? '?'}; ${w.redaction[l.redaction ?? 'none']})`)).join('\n'),
    viewings: r.viewings.map((v) => `${v.cameras.map((c) => c.cameraName).join(', ')}: ${at(v.fromMs)} - ${at(v.toMs)}; ${w.shownBy(v.shownBy, at(v.shownAtMs))}`).join('\n'),
  };
}

export function registerExportHandler(d: RegisterExportDeps): Handler<'subjects.export'> {
  return async (r, ctx) => {
    const session = requireSession(ctx);
    const w = REGISTER_STRINGS[r.language];
    const words = REPORT_STRINGS[r.language];
    const timeZone = await d.site.timeZone();
    const at = (ms: number) => reportDateTime(ms, words, timeZone);
    const requests = [...(await d.subjects.list('all'))].reverse();
    const user = await d.users.byUsername(session.username);
    const history = requests.flatMap((q) => q.history.map((h) => `${q.reference} · ${at(h.atMs)} · ${h.actor} · ${w.action[h.action] ?? h.action}${h.note ? `: ${h.note.replace(/\s+/g, ' ')}` : ''}`));
    const doc: RegisterDocument = {
      title: w.title,
      subtitle: w.subtitle(await d.site.country()),
      language: r.language,
      timeZone,
      generatedAtMs: d.clock.nowMs(),
      generatedBy: user && user.display_name !== session.username ? `${user.display_name} (${session.username})` : session.username,
      columns: [
        { key: 'reference', title: w.columns.reference, weight: 0.6 },
        { key: 'kind', title: w.columns.kind, weight: 1 },
        { key: 'received', title: w.columns.received, weight: 1 },
        { key: 'requester', title: w.columns.requester, weight: 1 },
        { key: 'identity', title: w.columns.identity, weight: 1 },
        { key: 'deadline', title: w.columns.deadline, weight: 1.4 },
        { key: 'decision', title: w.columns.decision, weight: 1.6 },
        { key: 'answer', title: w.columns.answer, weight: 1 },
        { key: 'links', title: w.columns.links, weight: 1.2 },
        { key: 'viewings', title: w.columns.viewings, weight: 1.3 },
      ],
      rows: requests.map((q) => registerRow(q, w, at, words.locale)),
      notes: history.length ? [w.history, ...history] : [],
    };
    return writeRegisterFile(d, session, doc, r, `subject-requests-${r.language}`);
  };
}
