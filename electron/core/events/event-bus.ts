// The engine's pushed event stream (docs/design/events.md). Services publish domain events where a
// change happens; the bus stamps them (sequence number, engine time), completes their routing with
// at most one query per event, and hands each to the subscriptions, which filter it per connection
// by the same visibility rules as the commands.
//
// Cost and safety: `publish` never throws and never waits; with nobody who could receive an event it
// does nothing more than count it. Events leave in the order they were published. Delivery is
// synchronous in the common case; it waits only for a routing query or a visibility look-up (a new
// session, a change of groups), with the events behind it held in one bounded queue. What a slow
// consumer does with its events is its transport's business (the host closes such a socket).
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { CameraStateCoalescer } from './camera-coalescer';
import { needsRoute, route, type DomainEvent, type EventLookups, type EventPublisher, type RoutedEvent } from './domain-events';
import { Subscriptions, type Push, type SubscriptionDeps } from './subscriptions';

/** Events waiting for a routing query or a visibility look-up; beyond this, new ones are dropped
 *  and every subscriber is told (`events.dropped`). Reached only when the database stalls. */
export const MAX_PENDING_EVENTS = 4096;

interface Pending {
  event: DomainEvent;
  routed: RoutedEvent | null;
  atMs: number;
}

export interface EventBusDeps {
  clock: Clock;
  logger: Logger;
}

export class EventBus implements EventPublisher {
  private seq = 0;
  private readonly queue: Pending[] = [];
  private pumping = false;
  private dropped = 0;
  private closed = false;
  private subs: Subscriptions | null = null;
  private lookups: EventLookups | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly cameras: CameraStateCoalescer;
  /** For tests and diagnostics: events published, queries run (routing, visibility), events handed
   *  to the subscriptions, events dropped. */
  readonly counters = { published: 0, routingQueries: 0, visibilityLookups: 0, fannedOut: 0, dropped: 0 };

  constructor(private readonly d: EventBusDeps) {
    this.cameras = new CameraStateCoalescer((e) => this.publishNow(e));
  }

  /** Connects the bus to sessions, visibility and the owners' look-ups (the engine, once they exist). */
  attach(deps: Omit<SubscriptionDeps, 'logger'> & { lookups: EventLookups }): void {
    this.subs = new Subscriptions({ ...deps, logger: this.d.logger, counters: this.counters });
    this.lookups = deps.lookups;
  }

  /** Several nodes: told of every event published here, to pass on to the other nodes (nodes/event-relay.ts). */
  onLocalEvent: ((event: DomainEvent) => void) | null = null;

  publish(event: DomainEvent): void {
    try {
      if (this.closed) return;
      this.onLocalEvent?.(event);
      if (event.type === 'camera.state') this.cameras.offer(event);
      else this.accept(event);
    } catch (err) {
      this.d.logger.error('publishing an event failed', { type: typeOf(event), error: err });
    }
  }

  /** An event another node of the site published (nodes/event-relay.ts): delivered here as if
   *  published here, to this node's seats and by their visibility, and not passed on again. */
  publishFromElsewhere(event: DomainEvent): void {
    try {
      if (!this.closed) this.accept(event);
    } catch (err) {
      this.d.logger.error('publishing an event failed', { type: typeOf(event), error: err });
    }
  }

  /** A camera state the coalescer lets through (from its timer: nothing may throw out of it). */
  private publishNow(event: DomainEvent): void {
    try {
      if (!this.closed) this.accept(event);
    } catch (err) {
      this.d.logger.error('publishing an event failed', { type: typeOf(event), error: err });
    }
  }

  subscribe(connectionId: string, push: Push): () => void {
    if (!this.subs || this.closed) return () => undefined;
    const unsubscribe = this.subs.add(connectionId, push);
    // Look its session's visibility up now, not when the first event must wait for it.
    if (this.subs.stale()) this.subs.refresh().catch((err: unknown) => this.d.logger.error('event visibility look-up failed', { error: err }));
    return unsubscribe;
  }

  /** Resolves when the subscribers' look-ups under way are done and every event published so far has
   *  been delivered (tests: a fixed wait for a subscription's look-up is too short on a loaded machine). */
  async idle(): Promise<void> {
    await this.subs?.settled();
    if (!this.pumping && this.queue.length === 0) return;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.cameras.close();
    this.queue.length = 0;
    this.subs?.clear();
    this.wakeIdle();
  }

  private accept(event: DomainEvent): void {
    this.counters.published += 1;
    const subs = this.subs;
    if (!subs || !subs.anyoneFor(event)) return;
    if (this.queue.length >= MAX_PENDING_EVENTS) {
      this.dropped += 1;
      return;
    }
    this.queue.push({ event, routed: needsRoute(event) ? null : (event as RoutedEvent), atMs: this.d.clock.nowMs() });
    this.pump();
  }

  /** Delivers queued events in order; synchronous until something must be looked up. */
  private pump(): void {
    if (this.pumping || !this.subs) return;
    this.pumping = true;
    const subs = this.subs;
    try {
      while (this.queue.length && !this.closed) {
        const head = this.queue[0]!;
        const wait = head.routed ? (subs.stale() ? subs.refresh() : null) : this.routeHead(head);
        if (wait) {
          wait.then(
            () => this.resume(),
            (err: unknown) => {
              this.d.logger.error('event delivery failed', { error: err });
              this.resume();
            },
          );
          return;
        }
        this.queue.shift();
        this.fanOut(subs, head.routed!, head.atMs);
      }
    } catch (err) {
      this.d.logger.error('event delivery failed', { error: err });
      this.queue.shift();
      this.pumping = false;
      this.pump();
      return;
    }
    this.pumping = false;
    this.wakeIdle();
  }

  private resume(): void {
    this.pumping = false;
    this.pump();
  }

  /** Completes the head's routing with its one query; an event whose object is gone is dropped. */
  private async routeHead(head: Pending): Promise<void> {
    this.counters.routingQueries += 1;
    try {
      const routed = await route(head.event, this.lookups!);
      if (routed) head.routed = routed;
      else this.queue.shift();
    } catch (err) {
      this.d.logger.error('routing an event failed', { type: head.event.type, error: err });
      this.queue.shift();
      this.dropped += 1;
    }
  }

  private fanOut(subs: Subscriptions, event: RoutedEvent, atMs: number): void {
    if (this.dropped > 0) {
      subs.missAll(this.dropped);
      this.counters.dropped += this.dropped;
      this.dropped = 0;
    }
    const noticeSeq = subs.hasMissed() ? ++this.seq : 0;
    const seq = ++this.seq;
    this.counters.fannedOut += 1;
    subs.deliver(event, seq, atMs, noticeSeq);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function typeOf(event: unknown): string {
  return event !== null && typeof event === 'object' && 'type' in event ? String(event.type).slice(0, 64) : typeof event;
}
