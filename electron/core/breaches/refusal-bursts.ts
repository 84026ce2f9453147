// Bursts of refused access and of sign-in lockouts propose a breach record (JON 23; BRN 24.3(vii);
// docs/design/breaches.md "Proposed by the engine"): someone trying functions or cameras outside
// their rights, or guessing passwords. Read from the audit log, where every refusal is written
// (dispatcher.ts: outcome `denied`; auth/handlers.ts: `auth.lockout`), newest entries only, from a
// cursor; each burst is proposed once, keyed by the entry that completed it, and the entries of a
// proposed burst never count towards another. After a restart the last window is read again and the
// bursts proposed from it are recognised by their keys.
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Database } from '../store/schema';
import type { BreachesService, ProposalKind } from './breaches-service';

/**
 * Refused requests of one user (a command their role may not run, PermissionDenied; a camera or
 * record they may not see, answered NotFound by the dispatcher's scope check) that make a burst,
 * each different request (command and target) counted once. The screens offer only what a role may
 * do and show only what it may see, so a person meets a refusal only from a screen left open while
 * their rights changed: a few requests, the same one repeated by a polling screen (counted once).
 * Ten different ones within ten minutes is past any such accident, and far below what a script trying
 * commands or camera ids sends (the dispatcher's call budget lets through hundreds a minute).
 */
export const REFUSAL_BURST = { refusals: 10, windowMs: 10 * 60_000 } as const;
/**
 * Sign-in lockouts on the site (a user name locked after the site's threshold of wrong passwords,
 * JON 15.6) that make a burst. A person who forgot a password locks their name once and calls an
 * administrator; three lockouts within an hour, of one name (guessing on after each lock ends) or of
 * several (trying one password on many names), is someone guessing.
 */
export const LOCKOUT_BURST = { lockouts: 3, windowMs: 60 * 60_000 } as const;
/** Denials that count as refused access (details.error of a `denied` entry). */
const REFUSAL_ERRORS: ReadonlySet<string> = new Set(['PermissionDenied', 'NotFound']);
const PAGE = 2000;

interface Seen {
  seq: number;
  atMs: number;
  action: string;
  target: string;
  peer: string;
  error: string;
}

export interface RefusalBurstsDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  breaches: Pick<BreachesService, 'propose' | 'proposedSince'>;
  /** The site's zone: times in the record's words are local. */
  timeZone: () => Promise<string>;
}

export class RefusalBursts {
  private cursor: number | null = null;
  private readonly refusals = new Map<string, Seen[]>();
  private lockouts: (Seen & { username: string })[] = [];
  /** Per subject (a user name, or LOCKOUTS): the seq that completed its last proposed burst. */
  private readonly consumedTo = new Map<string, number>();

  constructor(private readonly d: RefusalBurstsDeps) {}

  /** Reads the entries appended since the last scan; answers the records proposed. */
  async scan(): Promise<number[]> {
    if (this.cursor === null) await this.start();
    const proposed: number[] = [];
    const head = Number((await this.d.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirst())?.head ?? 0);
    while (this.cursor! < head) {
      const rows = await this.d.db
        .selectFrom('audit_log')
        .select(['seq', 'at_ms', 'actor', 'action', 'target', 'outcome', 'details'])
        .where('seq', '>', this.cursor!)
        .where('seq', '<=', head)
        .where((eb) => eb.or([eb('outcome', '=', 'denied'), eb('action', '=', 'auth.lockout')]))
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        const id = await this.see(r);
        if (id !== null) proposed.push(id);
      }
      this.cursor = rows.length < PAGE ? head : rows.at(-1)!.seq;
    }
    return proposed;
  }

  /** The last window again, and which of its bursts were proposed already (their keys). */
  private async start(): Promise<void> {
    const now = this.d.clock.nowMs();
    const windowMs = Math.max(REFUSAL_BURST.windowMs, LOCKOUT_BURST.windowMs);
    for (const kind of ['access_refusals', 'sign_in_lockouts'] as const) {
      for (const p of await this.d.breaches.proposedSince(kind, now - 2 * windowMs)) {
        const m = /^(?:access-refusals:(.+)|sign-in-lockouts):(\d+)$/.exec(p.key);
        if (!m) continue;
        const subject = kind === 'access_refusals' ? m[1]! : LOCKOUTS;
        this.consumedTo.set(subject, Math.max(this.consumedTo.get(subject) ?? 0, Number(m[2])));
      }
    }
    const first = await this.d.db.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('seq')).where('at_ms', '>=', now - windowMs).executeTakeFirst();
    this.cursor = first?.seq == null ? Number((await this.d.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirst())?.head ?? 0) : Number(first.seq) - 1;
  }

  private async see(r: { seq: number; at_ms: number; actor: string; action: string; target: string; outcome: string; details: string }): Promise<number | null> {
    const details = parse(r.details);
    const seen = { seq: Number(r.seq), atMs: Number(r.at_ms), action: r.action, target: r.target, peer: typeof details.peer === 'string' ? details.peer : '', error: typeof details.error === 'string' ? details.error : '' };
    if (r.action === 'auth.lockout') {
      if (seen.seq <= (this.consumedTo.get(LOCKOUTS) ?? 0)) return null;
      this.lockouts = [...this.lockouts.filter((l) => l.atMs > seen.atMs - LOCKOUT_BURST.windowMs), { ...seen, username: r.target.replace(/^user:/, '') }];
      if (this.lockouts.length < LOCKOUT_BURST.lockouts) return null;
      const burst = this.lockouts;
      this.lockouts = [];
      this.consumedTo.set(LOCKOUTS, seen.seq);
      return this.proposeLockouts(burst);
    }
    if (r.outcome !== 'denied' || !REFUSAL_ERRORS.has(seen.error) || r.actor === 'anonymous') return null;
    if (seen.seq <= (this.consumedTo.get(r.actor) ?? 0)) return null;
    const list = [...(this.refusals.get(r.actor) ?? []).filter((x) => x.atMs > seen.atMs - REFUSAL_BURST.windowMs), seen];
    if (new Set(list.map((x) => `${x.action} ${x.target}`)).size < REFUSAL_BURST.refusals) {
      this.refusals.set(r.actor, list);
      return null;
    }
    this.refusals.delete(r.actor);
    this.consumedTo.set(r.actor, seen.seq);
    return this.proposeRefusals(r.actor, list);
  }

  private async proposeRefusals(username: string, burst: readonly Seen[]): Promise<number | null> {
    const at = await this.timeOf();
    const first = burst[0]!;
    const last = burst.at(-1)!;
    const counts = new Map<string, number>();
    for (const b of burst) {
      const what = `${b.action}${b.target ? ` ${b.target}` : ''} (${b.error === 'NotFound' ? 'not visible to them' : 'not permitted to their role'})`;
      counts.set(what, (counts.get(what) ?? 0) + 1);
    }
    const peers = [...new Set(burst.map((b) => b.peer).filter((p) => p !== ''))];
    const minutes = REFUSAL_BURST.windowMs / 60_000;
    return this.propose('access_refusals', `access-refusals:${username}:${last.seq}`, {
      what: `${username} was refused ${burst.length} times within ${minutes} minutes, ${new Set(burst.map((b) => `${b.action} ${b.target}`)).size} different requests (${at(first.atMs)} to ${at(last.atMs)}): ${[...counts].map(([what, n]) => `${what} ×${n}`).join(', ')}. Someone may be trying to reach footage or functions outside these rights, with this account or from its seat${peers.length ? ` (${peers.join(', ')})` : ''}.`,
      records: `audit log entries ${first.seq} to ${last.seq}`,
      details: { username, refusals: burst.length, windowMinutes: minutes, firstSeq: first.seq, lastSeq: last.seq, peers: peers.join(', ') },
    });
  }

  private async proposeLockouts(burst: readonly (Seen & { username: string })[]): Promise<number | null> {
    const at = await this.timeOf();
    const first = burst[0]!;
    const last = burst.at(-1)!;
    const names = [...new Set(burst.map((b) => b.username))];
    const minutes = LOCKOUT_BURST.windowMs / 60_000;
    return this.propose('sign_in_lockouts', `sign-in-lockouts:${last.seq}`, {
      what: `${burst.length} sign-in lockouts within ${minutes} minutes (${at(first.atMs)} to ${at(last.atMs)}) of ${names.length === 1 ? 'the user name' : 'the user names'} ${names.join(', ')}: someone may be guessing passwords.`,
      records: `audit log entries ${first.seq} to ${last.seq}`,
      details: { lockouts: burst.length, usernames: names.join(', '), windowMinutes: minutes, firstSeq: first.seq, lastSeq: last.seq },
    });
  }

  private async propose(kind: ProposalKind, key: string, p: { what: string; records: string; details: Record<string, string | number> }): Promise<number | null> {
    try {
      return await this.d.breaches.propose({ kind, key, ...p });
    } catch (err) {
      // A proposal never stops what found it: the scan goes on (the burst is not proposed again).
      this.d.logger.error('proposing a breach record failed', { error: err, key });
      return null;
    }
  }

  private async timeOf(): Promise<(ms: number) => string> {
    const zone = await this.d.timeZone();
    const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' });
    return (ms) => `${f.format(ms)} ${zone}`;
  }
}

const LOCKOUTS = '#lockouts';

function parse(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
