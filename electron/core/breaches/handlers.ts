// The breach register's commands (docs/design/breaches.md; JON 21-23; BRN 36-38). The dispatcher has
// checked the permission, that every camera a report names is visible to the reporter, and committed
// the audit entry. The rules of the register are checked here, never in the screens.
import { BREACH_NOTICE_MAX_SKEW_MS, type BREACH_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { Clock } from '../clock';
import { requireSession, type HandlersOf } from '../dispatcher';
import { breachReference, type BreachesService } from './breaches-service';
import { exportHandler, type BreachExportDeps } from './register-export';

const NO_BREACH = 'No such breach record.';

export function createBreachHandlers(d: { breaches: BreachesService; clock: Clock } & Omit<BreachExportDeps, 'breaches' | 'clock'>): HandlersOf<typeof BREACH_COMMANDS> {
  const { breaches, clock } = d;
  const view = async (breachId: number) => {
    const b = await breaches.get(breachId);
    return b ? ok(b) : fail('NotFound', NO_BREACH);
  };

  return {
    'breaches.report': async (r, ctx) => {
      // The discovery time starts the 72-hour clock: it cannot be later than now.
      if (r.discoveredAtMs > clock.nowMs() + BREACH_NOTICE_MAX_SKEW_MS) return fail('InvalidArgument', 'The time of discovery is in the future: check this seat’s clock.', ['discoveredAtMs: future']);
      const id = await breaches.report(requireSession(ctx).username, { what: r.what, discoveredAtMs: r.discoveredAtMs, cameraIds: r.cameraIds ?? [], records: r.records ?? '' });
      return ok({ id, reference: breachReference(id) });
    },

    'breaches.list': async (r) => ok({ breaches: await breaches.list(r.status) }),

    'breaches.get': async (r) => view(r.breachId),

    'breaches.assess': async (r, ctx) => {
      const b = await breaches.get(r.breachId);
      if (!b) return fail('NotFound', NO_BREACH);
      if (b.status === 'closed') return fail('FailedPrecondition', 'The breach record is closed.');
      // Category 3 (BRN 38): the data subjects are notified, or the record says why not.
      if (r.category === 3 && !r.subjectsNotice) return fail('InvalidArgument', 'A category 3 breach needs the decision on notifying the data subjects.', ['subjectsNotice: required']);
      if (r.category !== 3 && (r.subjectsNotice || r.subjectsNotNotifiedReason)) return fail('InvalidArgument', 'The data subjects are notified only for a category 3 breach.', ['subjectsNotice: onlyCategory3']);
      if (r.subjectsNotice === 'not_notify' && !r.subjectsNotNotifiedReason) return fail('InvalidArgument', 'Record why the data subjects are not notified.', ['subjectsNotNotifiedReason: required']);
      if (r.subjectsNotice === 'notify' && r.subjectsNotNotifiedReason) return fail('InvalidArgument', 'A reason not to notify contradicts notifying the data subjects.', ['subjectsNotNotifiedReason: contradicts']);
      if (b.subjectsNotification && (r.category !== 3 || r.subjectsNotice !== 'notify')) return fail('FailedPrecondition', 'The data subjects have been notified already: the assessment must keep that.', ['category: subjectsNotified']);
      await breaches.assess(requireSession(ctx).username, r.breachId, { category: r.category, reasoning: r.reasoning, subjectsNotice: r.subjectsNotice ?? null, subjectsNotNotifiedReason: r.subjectsNotNotifiedReason ?? null });
      return view(r.breachId);
    },

    'breaches.recordNotification': async (r, ctx) => {
      const b = await breaches.get(r.breachId);
      if (!b) return fail('NotFound', NO_BREACH);
      if (b.status === 'closed') return fail('FailedPrecondition', 'The breach record is closed.');
      if (b.category === null) return fail('FailedPrecondition', 'Assess the breach before recording a notification.');
      if (r.to === 'authority' && b.category === 1) return fail('FailedPrecondition', 'A category 1 breach is recorded only; the supervisory authority is not notified.');
      if (r.to === 'data_subjects' && !(b.category === 3 && b.subjectsNotice === 'notify')) return fail('FailedPrecondition', 'The data subjects are notified only for a category 3 breach assessed to notify them.');
      const already = r.to === 'authority' ? b.authorityNotification : b.subjectsNotification;
      if (already) return fail('FailedPrecondition', 'That notification is recorded already; its record is not changed.');
      if (r.atMs > clock.nowMs() + BREACH_NOTICE_MAX_SKEW_MS) return fail('InvalidArgument', 'The notification’s time is in the future.', ['atMs: future']);
      if (r.atMs < b.discoveredAtMs) return fail('InvalidArgument', 'The notification’s time is before the breach was discovered.', ['atMs: beforeDiscovery']);
      await breaches.recordNotification(requireSession(ctx).username, r.breachId, r);
      return view(r.breachId);
    },

    'breaches.close': async (r, ctx) => {
      const b = await breaches.get(r.breachId);
      if (!b) return fail('NotFound', NO_BREACH);
      if (b.status === 'closed') return fail('FailedPrecondition', 'The breach record is closed already.');
      if (b.category === null) return fail('FailedPrecondition', 'Assess the breach before closing it.');
      if (b.category >= 2 && !b.authorityNotification) return fail('FailedPrecondition', 'Record the notification of the supervisory authority before closing.');
      if (b.category === 3 && b.subjectsNotice === 'notify' && !b.subjectsNotification) return fail('FailedPrecondition', 'Record the notification of the data subjects before closing.');
      await breaches.close(requireSession(ctx).username, r.breachId, r.reason);
      return view(r.breachId);
    },

    'breaches.export': exportHandler(d),
  };
}
