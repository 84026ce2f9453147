// The register of authorised persons: read it, decide a waiting grant as the second person, print
// it (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4-5.4.5).
import type { ACCESS_COMMANDS, GrantView } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import { endSession } from '../auth/handlers';
import type { Session, SessionRegistry } from '../auth/sessions';
import type { UsersService } from '../auth/users-service';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import { REPORT_STRINGS, reportDateTime } from '../masks/report-strings';
import type { Downloads } from '../media/downloads';
import { writeRegisterFile, type RegisterDocument } from '../registers/register-document';
import type { SiteService } from '../site/site-service';
import type { AccessGrantsService, Decider } from './grants-service';
import { ACCESS_REGISTER_WORDS } from './register-strings';

export interface AccessDeps {
  grants: AccessGrantsService;
  users: Pick<UsersService, 'displayNames'>;
  sessions: SessionRegistry;
  cameras: Pick<CamerasService, 'visibilityChanged'>;
  site: Pick<SiteService, 'timeZone'>;
  downloads: Pick<Downloads, 'offer'>;
  dataDir: string;
  clock: Clock;
}

const decider = (s: Session): Decider => ({ username: s.username, role: s.role, parked: s.parked });

export function createAccessHandlers(d: AccessDeps): HandlersOf<typeof ACCESS_COMMANDS> {
  const { grants } = d;
  const displayNames = () => d.users.displayNames();

  const decide = async (ctx: HandlerContext, grantId: number, approve: boolean, note: string) => {
    const s = requireSession(ctx);
    const outcome = await grants.decide(grantId, decider(s), approve, note);
    if (!outcome.ok) return fail(outcome.kind, outcome.message);
    const g = outcome.grant;
    // The account's sessions held no rights: on approval they end, and its next sign-in has them.
    for (const other of d.sessions.forUser(g.user_id)) {
      if (approve) await endSession(d.sessions, ctx, other, `access approved by ${s.username}: sign in again`);
      else other.accessState = 'refused';
    }
    d.cameras.visibilityChanged();
    return ok(await grants.view(g, decider(s), await displayNames()));
  };

  return {
    'access.grants': async (r, ctx) => {
      const viewer = decider(requireSession(ctx));
      const names = await displayNames();
      const rows = await grants.list(r);
      const views: GrantView[] = [];
      for (const g of rows) views.push(await grants.view(g, viewer, names));
      return ok({ grants: views });
    },

    'access.approve': (r, ctx) => decide(ctx, r.grantId, true, r.note ?? ''),

    'access.refuse': (r, ctx) => decide(ctx, r.grantId, false, r.note),

    'access.export': async (r, ctx) => {
      const s = requireSession(ctx);
      const w = ACCESS_REGISTER_WORDS[r.language];
      const timeZone = await d.site.timeZone();
      const when = (ms: number | null) => (ms === null ? w.none : reportDateTime(ms, REPORT_STRINGS[r.language], timeZone));
      const who = (u: string | null) => (u === null ? w.none : u === 'system' ? w.system : u);
      const names = await displayNames();
      // Oldest first: the register reads as a history of who could see what, when.
      const rows = (await grants.list({})).reverse().map((g) => {
        const groupNames = JSON.parse(g.group_names_json) as string[];
        const decision =
          g.decided_at_ms === null
            ? w.none
            : `${w.states[g.state === 'ended' ? 'approved' : (g.state as keyof typeof w.states)]} · ${who(g.decided_by)} · ${when(Number(g.decided_at_ms))}${g.auto ? ` (${w.auto[g.auto as keyof typeof w.auto]})` : ''}${g.decision_note ? ` · ${g.decision_note}` : ''}`;
        const from = g.state === 'approved' || g.state === 'ended' ? when(Number(g.decided_at_ms)) : w.none;
        const inForce = from === w.none ? w.none : `${from} – ${g.ended_at_ms === null ? '…' : `${when(Number(g.ended_at_ms))} (${w.ends[g.end_reason as keyof typeof w.ends]})`}`;
        return {
          ref: `#${g.id}`,
          person: `${names.get(g.user_id) ?? g.username} (${g.username})`,
          role: w.roles[g.role as keyof typeof w.roles] ?? g.role,
          groups: groupNames.length ? groupNames.join(', ') : w.none,
          basis: g.basis || w.none,
          validUntil: g.valid_until_ms === null ? w.open : when(Number(g.valid_until_ms)),
          asked: `${w.changes[g.change as keyof typeof w.changes]} · ${who(g.requested_by)} · ${when(Number(g.requested_at_ms))}`,
          decision,
          inForce,
          state: w.states[g.state as keyof typeof w.states],
        };
      });
      const doc: RegisterDocument = {
        title: w.title,
        subtitle: w.subtitle,
        language: r.language,
        timeZone,
        generatedAtMs: d.clock.nowMs(),
        generatedBy: s.displayName !== s.username ? `${s.displayName} (${s.username})` : s.username,
        columns: [
          { key: 'ref', title: w.columns.ref, weight: 0.5 },
          { key: 'person', title: w.columns.person, weight: 1.4 },
          { key: 'role', title: w.columns.role, weight: 0.9 },
          { key: 'groups', title: w.columns.groups, weight: 1.1 },
          { key: 'basis', title: w.columns.basis, weight: 1.2 },
          { key: 'validUntil', title: w.columns.validUntil, weight: 0.9 },
          { key: 'asked', title: w.columns.asked, weight: 1.5 },
          { key: 'decision', title: w.columns.decision, weight: 1.8 },
          { key: 'inForce', title: w.columns.inForce, weight: 1.5 },
          { key: 'state', title: w.columns.state, weight: 0.8 },
        ],
        rows,
      };
      return writeRegisterFile(d, s, doc, r, `authorised-persons-${r.language}`);
    },
  };
}
