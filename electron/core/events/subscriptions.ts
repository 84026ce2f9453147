// Per-connection subscriptions to pushed events (docs/design/events.md): each event goes to the
// subscribers whose connection's session may see it (audience.ts). The receiver of a session (its role
// and camera visibility, as the dispatcher computes it) is cached per subscriber and keyed by the
// session and the cameras-service `version`, as the live service keys its visibility cache: a change
// of a user's groups or role applies from the next event on, and in the common case delivering an
// event costs no query at all.
import type { EngineEvent } from '../../../shared/contract';
import { sessionMay, type Session } from '../auth/sessions';
import type { Logger } from '../logger';
import { bodyFor, type Receiver } from './audience';
import type { DomainEvent, RoutedEvent } from './domain-events';

export type Push = (event: EngineEvent) => void;

export interface SubscriptionDeps {
  /** The session on a connection now (SessionRegistry.get). */
  sessionOf(connectionId: string): Session | null;
  /** The cameras of the user's groups (what the dispatcher's visibility uses). */
  visibleCameraIds(userId: number): Promise<ReadonlySet<number>>;
  /** Changes whenever who sees which camera may have changed (CamerasService.version). */
  visibilityVersion(): number;
  logger: Logger;
  /** Counts the look-ups (tests and diagnostics: none per event in the common case). */
  counters?: { visibilityLookups: number };
}

interface Subscriber {
  connectionId: string;
  push: Push;
  cache: { sessionId: string; version: number; receiver: Receiver | null } | null;
  /** After a failed look-up: not tried again before this (monotonic ms). */
  retryAtMono: number;
  /** Events this subscriber may have missed; told with one `events.dropped` before its next event. */
  missed: number;
}

/** A failed visibility look-up is tried again after this long. */
const LOOKUP_RETRY_MS = 1000;

/** Like the commands: a locked session, or one that must still change its password or accept the
 *  commitment, gets nothing but its own session's events. */
export function receivesNothing(s: Session): boolean {
  return s.locked || s.mustChangePassword || s.commitmentPending;
}

const isSessionEvent = (e: DomainEvent): e is Extract<DomainEvent, { connectionId: string }> => e.type === 'session.locked' || e.type === 'session.ended';

export class Subscriptions {
  private readonly subs = new Set<Subscriber>();
  private refreshing: Promise<void> | null = null;

  constructor(private readonly d: SubscriptionDeps) {}

  get size(): number {
    return this.subs.size;
  }

  add(connectionId: string, push: Push): () => void {
    const sub: Subscriber = { connectionId, push, cache: null, retryAtMono: 0, missed: 0 };
    this.subs.add(sub);
    return () => void this.subs.delete(sub);
  }

  clear(): void {
    this.subs.clear();
  }

  /** Whether any subscriber could receive this event at all (else the bus spends nothing on it). */
  anyoneFor(e: DomainEvent): boolean {
    for (const sub of this.subs) {
      if (isSessionEvent(e)) {
        if (sub.connectionId === e.connectionId) return true;
        continue;
      }
      const s = this.d.sessionOf(sub.connectionId);
      if (s && !receivesNothing(s)) return true;
    }
    return false;
  }

  /** True when some subscriber's receiver must be looked up before the next event is delivered. */
  stale(): boolean {
    const version = this.d.visibilityVersion();
    const now = performance.now();
    for (const sub of this.subs) if (this.lookupFor(sub, version, now)) return true;
    return false;
  }

  /** Looks up the receivers that are stale: one query per user, all at once; again for those that
   *  became stale meanwhile (a subscription or a sign-in during the look-up). */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        do await this.lookUp();
        while (this.stale());
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Resolves when the look-ups under way (a subscription's, a refresh's) are done. */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  hasMissed(): boolean {
    for (const sub of this.subs) if (sub.missed > 0) return true;
    return false;
  }

  /** Events the bus could not deliver (its queue was full): every subscriber is told. */
  missAll(count: number): void {
    for (const sub of this.subs) sub.missed += count;
  }

  /** Gives one event to every subscriber whose session may see it. `noticeSeq` numbers an
   *  `events.dropped` notice for subscribers that missed events (0: none is due). */
  deliver(e: RoutedEvent, seq: number, atMs: number, noticeSeq: number): void {
    const version = this.d.visibilityVersion();
    // A copy: a push that throws removes its subscriber while we iterate.
    for (const sub of [...this.subs]) {
      const s = this.d.sessionOf(sub.connectionId);
      let receiver: Receiver | null = null;
      if (s && !receivesNothing(s)) {
        const c = sub.cache;
        if (!c || c.sessionId !== s.id || c.version !== version) {
          // Its look-up failed: it cannot be told what it may see, so it is told it missed something.
          if (!isSessionEvent(e)) sub.missed += 1;
          continue;
        }
        receiver = c.receiver;
      }
      const body = bodyFor(e, sub.connectionId, s?.id ?? null, receiver);
      if (!body) continue;
      if (sub.missed > 0 && noticeSeq > 0) {
        if (!this.send(sub, { type: 'events.dropped', count: sub.missed, seq: noticeSeq, atMs })) continue;
        sub.missed = 0;
      }
      this.send(sub, { ...body, seq, atMs } as EngineEvent);
    }
  }

  /** A push that throws ends its subscription (the transport's socket or window is gone or broken). */
  private send(sub: Subscriber, event: EngineEvent): boolean {
    try {
      sub.push(event);
      return true;
    } catch (err) {
      this.subs.delete(sub);
      this.d.logger.warn('event subscriber removed: its push failed', { connectionId: sub.connectionId.slice(0, 64), error: err });
      return false;
    }
  }

  private lookupFor(sub: Subscriber, version: number, nowMono: number): Session | null {
    const s = this.d.sessionOf(sub.connectionId);
    if (!s || receivesNothing(s)) return null;
    const c = sub.cache;
    if (c && c.sessionId === s.id && c.version === version) return null;
    return nowMono < sub.retryAtMono ? null : s;
  }

  private async lookUp(): Promise<void> {
    const version = this.d.visibilityVersion();
    const now = performance.now();
    const byUser = new Map<number, Promise<ReadonlySet<number>>>();
    const jobs: Promise<void>[] = [];
    for (const sub of this.subs) {
      const s = this.lookupFor(sub, version, now);
      if (!s) continue;
      let ids = byUser.get(s.userId);
      if (!ids) {
        if (this.d.counters) this.d.counters.visibilityLookups += 1;
        ids = Promise.resolve().then(() => this.d.visibleCameraIds(s.userId));
        byUser.set(s.userId, ids);
      }
      jobs.push(
        ids.then(
          (cameraIds) => {
            // Keyed by the version read before the query: a change meanwhile makes it stale again.
            const visibility = { username: s.username, cameraIds, allRecords: sessionMay(s, 'records.readAll') };
            // A parked account (docs/design/authorised-persons.md) hears only of its own session.
            sub.cache = { sessionId: s.id, version, receiver: s.parked ? null : { role: s.role, visibility } };
          },
          (err: unknown) => {
            sub.retryAtMono = performance.now() + LOOKUP_RETRY_MS;
            this.d.logger.error('event visibility look-up failed', { error: err });
          },
        ),
      );
    }
    await Promise.all(jobs);
  }
}
