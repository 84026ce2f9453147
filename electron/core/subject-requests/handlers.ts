// The data-subject requests register's commands (docs/design/subject-requests.md; BRN art. 15-17;
// JON 17-20; ELB 1.14). The dispatcher has checked the permission, the visibility of a linked hold or
// export request, and committed the audit entry. The register's rules are checked here, never in
// the screens.
import { SUBJECT_REASON_MIN_CHARS, SUBJECT_TIME_MAX_SKEW_MS, type SUBJECT_REQUEST_COMMANDS, type SubjectRequestView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type HandlersOf } from '../dispatcher';
import { extendedUntil, extensionRefusal, type DeadlineFacts } from './deadlines';
import { registerExportHandler, type RegisterExportDeps } from './register-export';
import type { LinkedRecords, SubjectRequestsService } from './subject-requests-service';

const NO_REQUEST = 'No such data-subject request.';
const MIN_REASON_CHARS = SUBJECT_REASON_MIN_CHARS;

export interface SubjectHandlerDeps extends RegisterExportDeps {
  subjects: SubjectRequestsService;
  clock: Clock;
  linked: LinkedRecords;
  cameras: Pick<CamerasService, 'all'>;
}

const factsOf = (r: SubjectRequestView): DeadlineFacts => ({
  country: r.country,
  receivedAtMs: r.receivedAtMs,
  originalDueMs: r.deadline.originalDueMs,
  extendedUntilMs: r.extension?.untilMs ?? null,
  decidedAtMs: r.decision?.atMs ?? null,
  answeredAtMs: r.answer?.atMs ?? null,
});

export function createSubjectRequestHandlers(d: SubjectHandlerDeps): HandlersOf<typeof SUBJECT_REQUEST_COMMANDS> {
  const { subjects, clock } = d;
  const view = async (requestId: number): Promise<Result<SubjectRequestView>> => {
    const r = await subjects.get(requestId);
    return r ? ok(r) : fail('NotFound', NO_REQUEST);
  };
  /** The request, or the refusal when it is missing or answered already (nothing changes it then but links). */
  const pending = async (requestId: number): Promise<Result<SubjectRequestView>> => {
    const r = await subjects.get(requestId);
    if (!r) return fail('NotFound', NO_REQUEST);
    if (r.status === 'answered') return fail('FailedPrecondition', `${r.reference} is answered: the record is complete.`);
    return ok(r);
  };
  const future = (ms: number) => ms > clock.nowMs() + SUBJECT_TIME_MAX_SKEW_MS;

  return {
    'subjects.record': async (r, ctx) => {
      // The receipt starts the deadline: it cannot be later than now.
      if (future(r.receivedAtMs)) return fail('InvalidArgument', 'The time of receipt is in the future: check this seat’s clock.', ['receivedAtMs: future']);
      const id = await subjects.record(requireSession(ctx).username, {
        kind: r.kind,
        receivedAtMs: r.receivedAtMs,
        channel: r.channel,
        requesterName: r.requesterName,
        requesterContact: r.requesterContact,
        footage: r.footage ?? '',
        identity: r.identity ? { method: r.identity.method, checkedBy: r.identity.checkedBy, note: r.identity.note ?? '' } : null,
      });
      return view(id);
    },

    'subjects.list': async (r) => ok({ requests: await subjects.list(r.show ?? 'all') }),

    'subjects.get': async (r) => view(r.requestId),

    'subjects.verifyIdentity': async (r, ctx) => {
      const found = await pending(r.requestId);
      if (!found.ok) return found;
      if (found.value.identity) return fail('FailedPrecondition', 'The identity check is recorded already; its record is not changed.');
      await subjects.verifyIdentity(requireSession(ctx).username, r.requestId, { method: r.method, checkedBy: r.checkedBy, note: r.note ?? '' });
      return view(r.requestId);
    },

    'subjects.extend': async (r, ctx) => {
      const found = await subjects.get(r.requestId);
      if (!found) return fail('NotFound', NO_REQUEST);
      // GDPR art. 12(3), BRN 16.4: once, before the month ends, the requester told with the reason.
      const refused = extensionRefusal(factsOf(found), r.toldRequesterAtMs, clock.nowMs());
      if (refused) return fail(refused.kind, refused.message, refused.issue ? [refused.issue] : undefined);
      const untilMs = extendedUntil(found.country, found.receivedAtMs, r.months);
      await subjects.extend(requireSession(ctx).username, r.requestId, { months: r.months, untilMs, reason: r.reason, toldAtMs: r.toldRequesterAtMs });
      return view(r.requestId);
    },

    'subjects.decide': async (r, ctx) => {
      const found = await pending(r.requestId);
      if (!found.ok) return found;
      const req = found.value;
      if (req.decision) return fail('FailedPrecondition', `${req.reference} is decided already; a decision is not changed.`);
      const refusing = r.outcome !== 'granted';
      const reason = r.reason ?? '';
      // BRN 16.1: nothing is given to a person whose identity was not checked (a refusal may be why).
      if (!refusing && !req.identity) return fail('FailedPrecondition', 'Record how the requester’s identity was checked before granting the request (BRN 16.1).', ['identity: required']);
      if (refusing && reason.length < MIN_REASON_CHARS) {
        return fail('InvalidArgument', `A refusal, whole or in part, needs its reason (at least ${MIN_REASON_CHARS} characters) for the requester (BRN 16.2).`, ['reason: required']);
      }
      if (refusing && r.remediesTold !== true) {
        return fail('InvalidArgument', 'A refusal tells the requester they may complain to the supervisory authority and go to court (BRN 16.2): confirm it is in the answer.', ['remediesTold: required']);
      }
      const feeReason = r.feeReason ?? '';
      if (r.feeAmountMinor !== undefined && r.outcome === 'refused') return fail('InvalidArgument', 'A refused request is not charged.', ['feeAmountMinor: refused']);
      if (r.feeAmountMinor !== undefined && feeReason.length < MIN_REASON_CHARS) {
        return fail('InvalidArgument', `A fee only with its reason (at least ${MIN_REASON_CHARS} characters): the request is manifestly unfounded or excessive, and why (BRN 16.5).`, ['feeReason: required']);
      }
      if (r.feeAmountMinor === undefined && r.feeReason !== undefined) return fail('InvalidArgument', 'A fee’s reason was given without its amount.', ['feeAmountMinor: required']);
      const fee = r.feeAmountMinor === undefined ? null : { amountMinor: r.feeAmountMinor, reason: feeReason };
      await subjects.decide(requireSession(ctx).username, r.requestId, { outcome: r.outcome, reason, remediesTold: r.remediesTold === true, fee }, req.country);
      return view(r.requestId);
    },

    'subjects.recordAnswer': async (r, ctx) => {
      const found = await pending(r.requestId);
      if (!found.ok) return found;
      const req = found.value;
      if (!req.decision) return fail('FailedPrecondition', 'Record the decision before the answer.');
      if (future(r.answeredAtMs)) return fail('InvalidArgument', 'The time of the answer is in the future.', ['answeredAtMs: future']);
      if (r.answeredAtMs < req.receivedAtMs) return fail('InvalidArgument', 'The time of the answer is before the request was received.', ['answeredAtMs: beforeReceipt']);
      if (r.appointmentAtMs !== undefined) {
        if (req.decision.outcome === 'refused') return fail('InvalidArgument', 'A refused request has no appointment to view or collect footage.', ['appointmentAtMs: refused']);
        if (r.appointmentAtMs < req.receivedAtMs) return fail('InvalidArgument', 'The appointment is before the request was received.', ['appointmentAtMs: beforeReceipt']);
      }
      await subjects.answer(requireSession(ctx).username, r.requestId, { atMs: r.answeredAtMs, channel: r.channel, appointmentAtMs: r.appointmentAtMs ?? null, note: r.note ?? '' });
      return view(r.requestId);
    },

    'subjects.link': async (r, ctx) => {
      const req = await subjects.get(r.requestId);
      if (!req) return fail('NotFound', NO_REQUEST);
      let label: string;
      if ('holdId' in r) {
        const hold = await d.linked.hold(r.holdId);
        if (!hold) return fail('NotFound', `No legal hold #${r.holdId}.`);
        label = hold.label;
      } else {
        const e = await d.linked.export(r.exportId);
        if (!e) return fail('NotFound', `No export request #${r.exportId}.`);
        if (req.kind !== 'copy') return fail('FailedPrecondition', 'An export request is linked only to a request for a copy of the footage.', ['exportId: notCopy']);
        // JON 19: the person's copy must not identify anybody else. Only a data subject's export request
        // is produced with that rule enforced; any other body's would hand over unredacted footage.
        if (e.bodyType !== 'data_subject') {
          return fail('FailedPrecondition', `${e.label} is not a data subject’s export request: a requester’s copy is produced only as one, with every other person redacted (JON 19).`, ['exportId: notDataSubject']);
        }
        label = e.label;
      }
      const kind = 'holdId' in r ? 'hold' : 'export';
      const targetId = 'holdId' in r ? r.holdId : r.exportId;
      if (!(await subjects.link(requireSession(ctx).username, r.requestId, kind, targetId, label))) return fail('FailedPrecondition', `${label} is linked to ${req.reference} already.`);
      return view(r.requestId);
    },

    'subjects.recordViewing': async (r, ctx) => {
      const found = await subjects.get(r.requestId);
      if (!found) return fail('NotFound', NO_REQUEST);
      if (found.kind !== 'viewing' && found.kind !== 'copy') return fail('FailedPrecondition', 'A viewing is recorded on a request to view the footage or for a copy of it.', ['requestId: notViewing']);
      const outcome = found.decision?.outcome;
      if (outcome !== 'granted' && outcome !== 'partly') return fail('FailedPrecondition', 'Footage is shown to the requester only once the request is granted (JON 20).');
      if (r.toMs <= r.fromMs) return fail('InvalidArgument', 'The footage shown must end after it starts.', ['toMs: beforeFrom']);
      if (future(r.shownAtMs)) return fail('InvalidArgument', 'The time of the viewing is in the future.', ['shownAtMs: future']);
      if (r.shownAtMs < found.receivedAtMs) return fail('InvalidArgument', 'The time of the viewing is before the request was received.', ['shownAtMs: beforeReceipt']);
      const known = new Set((await d.cameras.all()).map((c) => c.id));
      const missing = r.cameraIds.filter((id) => !known.has(id));
      if (missing.length) return fail('NotFound', `No camera #${missing[0]}.`);
      await subjects.recordViewing(requireSession(ctx).username, r.requestId, { cameraIds: r.cameraIds, fromMs: r.fromMs, toMs: r.toMs, shownBy: r.shownBy, shownAtMs: r.shownAtMs, note: r.note ?? '' });
      return view(r.requestId);
    },

    'subjects.export': registerExportHandler(d),
  };
}
