// How this PC reaches its engine, a per-seat setting (docs/design/overview.md §4 "Settings that are
// per seat"; docs/design/site-engine.md "The desktop app as a seat"): not chosen yet (first start),
// the engine inside the app ("embedded"), or a seat of a site engine ("site": its address and the
// pinned CA fingerprint). Kept in electron-store beside the window bounds; the seat credential is
// never here, only in the OS keychain (electron/core/seat-client/keychain.ts). No Electron import:
// the store is handed in, so this is tested in plain Node.
import { z } from 'zod';
import { parseSiteOrigin } from './site-origin';

/** The part of electron-store used here. */
export interface SettingsBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const KEY = 'connection';

const checkedOrigin = z.string().refine((a) => {
  try {
    return parseSiteOrigin(a).origin === a;
  } catch {
    return false;
  }
}, 'not a checked site engine origin');
/** The most nodes of a site remembered (a site has a handful; a list that grows past this is cut). */
export const MAX_SITE_NODES = 32;

const site = z.strictObject({
  address: checkedOrigin,
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  seatId: z.number().int().positive(),
  seatName: z.string().min(1).max(64),
  room: z.string().max(64),
});
export type SiteRecord = z.infer<typeof site>;

const stored = z.strictObject({
  /** null: the person has not chosen yet (or went back to the choice). */
  mode: z.enum(['embedded', 'site']).nullable(),
  /** The site engine this PC is (or last was) enrolled with; kept when going back to the choice. */
  site: site.nullable(),
  /** Why the site engine stopped accepting this seat (its credential was then removed from the
   *  keychain): told again at the next start instead of a bare "not enrolled". */
  refusal: z.strictObject({ reason: z.enum(['revoked', 'not-enrolled']), message: z.string().max(500) }).nullable().default(null),
  /** The site's other nodes the engine named (docs/design/scale.md "A seat's node dies"), kept across
   *  runs: an app started while the node it enrolled at is down can still move to another. An entry
   *  that is not a checked origin (a hand edit) is dropped, never used, and costs nothing else. */
  siteNodes: z
    .array(z.unknown())
    .catch([])
    .default([])
    .transform((list) => list.filter((o): o is string => checkedOrigin.safeParse(o).success).slice(-MAX_SITE_NODES)),
});
export type SeatRefusalRecord = NonNullable<z.infer<typeof stored>['refusal']>;
export type ConnectionChoice = { mode: 'embedded' } | { mode: 'site'; site: SiteRecord };

export class ConnectionSettings {
  constructor(private readonly store: SettingsBackend) {}

  private read(): z.infer<typeof stored> {
    const parsed = stored.safeParse(this.store.get(KEY));
    // Unreadable or hand-edited settings fall back to the first-start choice, never to a guess.
    return parsed.success ? parsed.data : { mode: null, site: null, refusal: null, siteNodes: [] };
  }

  private write(value: z.infer<typeof stored>): void {
    this.store.set(KEY, stored.parse(value));
  }

  /**
   * The mode chosen, or null at first start. A PC that ran the console before this setting existed
   * (its embedded database is there) keeps running it as before, and the choice is written down.
   */
  choice(embeddedDataExists: boolean): ConnectionChoice | null {
    const s = this.read();
    if (s.mode === 'site' && s.site) return { mode: 'site', site: s.site };
    if (s.mode === 'embedded') return { mode: 'embedded' };
    if (s.mode === null && this.store.get(KEY) === undefined && embeddedDataExists) {
      this.write({ mode: 'embedded', site: null, refusal: null, siteNodes: [] });
      return { mode: 'embedded' };
    }
    return null;
  }

  /** The site engine last enrolled with, whatever the mode now (offered again at the choice). */
  lastSite(): SiteRecord | null {
    return this.read().site;
  }

  chooseEmbedded(): void {
    this.write({ ...this.read(), mode: 'embedded' });
  }

  /** A new enrolment: the nodes of a site enrolled with before are forgotten. */
  chooseSite(record: SiteRecord): void {
    const before = this.read();
    const sameSite = before.site?.fingerprint === record.fingerprint;
    this.write({ mode: 'site', site: record, refusal: null, siteNodes: sameSite ? before.siteNodes : [] });
  }

  /** The other nodes of the site last enrolled with, as last named by its engine. */
  siteNodes(): string[] {
    return this.read().siteNodes;
  }

  /** Adds the nodes an engine of the site named (never removes: a node down now may be back). */
  rememberSiteNodes(origins: readonly string[]): void {
    const s = this.read();
    if (!s.site) return;
    const home = s.site.address;
    const next = [...new Set([...s.siteNodes, ...origins.filter((o) => checkedOrigin.safeParse(o).success && o !== home)])].slice(-MAX_SITE_NODES);
    if (next.length !== s.siteNodes.length || next.some((o, i) => o !== s.siteNodes[i])) this.write({ ...s, siteNodes: next });
  }

  /** Why the site engine refused this seat for good, if it did since the last enrolment. */
  refusal(): SeatRefusalRecord | null {
    return this.read().refusal;
  }

  /** Back to the first-start choice; the last site is kept so the person can reconnect without a new code. */
  clearChoice(): void {
    this.write({ ...this.read(), mode: null });
  }

  /** The engine said the credential is dead (revoked, unknown): remembered with the site, whose
   *  address is offered again for a new enrolment. */
  recordRefusal(refusal: SeatRefusalRecord): void {
    this.write({ ...this.read(), refusal: { reason: refusal.reason, message: refusal.message.slice(0, 500) } });
  }
}
