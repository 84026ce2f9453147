// The desktop app's set-up as a seat (docs/design/site-engine.md "The desktop app as a seat"): the
// first-start choice, enrolment with a site engine and where its result is kept. The renderer asks;
// everything is checked here. Enrolment is trust on first use unless the person typed the
// administrator's fingerprint: then a different CA is refused before the code is sent. Otherwise
// the engine's answer waits in memory until the person has compared the fingerprint on screen, and
// only then is the credential written to the OS keychain and the site to the per-seat settings.
// The credential never leaves main. No Electron import: tested in plain Node against a real site
// engine and the real keychain.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { enrol as enrolSeat, forgetEnrolment, loadEnrolment, saveEnrolment, SeatRefusedError, WrongSiteError, type Enrolment } from '../core/seat-client';
import type { SecretStore } from '../core/secrets/secret-store';
import type { DesktopOutcome, DesktopRefusal, DesktopSite, LinkRefusal, PendingEnrolment } from '../../shared/transport';
import type { ConnectionSettings, SiteRecord } from './connection-settings';
import { BadAddressError, parseSiteOrigin } from './site-origin';

/** How long an enrolment waits for the person to compare the fingerprint. */
export const PENDING_TTL_MS = 10 * 60_000;

export const enrolRequest = z.strictObject({
  address: z.string().max(300),
  code: z.string().trim().min(1).max(64),
  fingerprint: z.string().max(200).optional(),
});
export const keepRequest = z.strictObject({ pendingId: z.string().max(64), fingerprint: z.string().max(200).optional() });
export const discardRequest = z.strictObject({ pendingId: z.string().max(64) });

const refuse = (refusal: DesktopRefusal, message: string) => ({ ok: false as const, refusal, message });

/** A fingerprint as a person may type or paste it (colons, spaces, dashes, upper case), or null. */
export function typedFingerprint(text: string): string | null {
  const f = text.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(f) ? f : null;
}

/** What went wrong with an enrolment, in the set-up's words (the engine's own message kept as detail). */
export function enrolRefusal(err: unknown): { ok: false; refusal: DesktopRefusal; message: string } {
  if (err instanceof BadAddressError) return refuse('bad-address', err.message);
  if (err instanceof WrongSiteError) return refuse('wrong-certificate', err.message);
  if (err instanceof SeatRefusedError) {
    const r = err.reason;
    if (r === 'bad-code' || r === 'expired-code' || r === 'used-code' || r === 'too-many' || r === 'revoked' || r === 'wrong-name') return refuse(r, err.message);
    return refuse('failed', err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return refuse('wrong-name', message);
  if (/cannot reach|did not answer|no answer|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN/.test(message)) return refuse('unreachable', message);
  if (/not an enrolment|presented no certificate|named another certificate/.test(message)) return refuse('not-a-site-engine', message);
  return refuse('failed', message);
}

export interface DesktopSetupDeps {
  settings: ConnectionSettings;
  secrets: SecretStore;
  /** The seat's version as the engine records it (at most 64 characters). */
  version: string;
  nowMs(): number;
}

const siteView = (s: SiteRecord): DesktopSite => ({ address: s.address, fingerprint: s.fingerprint, seatName: s.seatName, room: s.room });

export type LoadedSite = { ok: true; enrolment: Enrolment; site: SiteRecord } | { ok: false; reason: LinkRefusal; message: string };

export class DesktopSetup {
  private pending: { id: string; enrolment: Enrolment; expiresAtMs: number } | null = null;

  constructor(private readonly d: DesktopSetupDeps) {}

  /** The site engine for the status screen (never the credential). */
  site(): DesktopSite | null {
    const s = this.d.settings.lastSite();
    return s ? siteView(s) : null;
  }

  /** Whether that site may still take this PC (no final refusal recorded since its enrolment). */
  siteEnrolled(): boolean {
    return this.d.settings.lastSite() !== null && this.d.settings.refusal() === null;
  }

  async enrol(request: unknown): Promise<DesktopOutcome<PendingEnrolment>> {
    const parsed = enrolRequest.safeParse(request);
    if (!parsed.success) return refuse('failed', 'The enrolment request is malformed.');
    const { code } = parsed.data;
    let expected: string | undefined;
    if (parsed.data.fingerprint !== undefined && parsed.data.fingerprint.trim() !== '') {
      const f = typedFingerprint(parsed.data.fingerprint);
      if (!f) return refuse('bad-fingerprint', 'A fingerprint is 64 hexadecimal characters (0-9, a-f); spaces and colons may separate them.');
      expected = f;
    }
    let enrolment: Enrolment;
    try {
      const origin = parseSiteOrigin(parsed.data.address).origin;
      enrolment = await enrolSeat(origin, code, expected, this.d.version);
      enrolment = { ...enrolment, address: parseSiteOrigin(enrolment.address).origin };
    } catch (err) {
      return enrolRefusal(err);
    }
    this.pending = { id: randomUUID(), enrolment, expiresAtMs: this.d.nowMs() + PENDING_TTL_MS };
    const view = { pendingId: this.pending.id, address: enrolment.address, fingerprint: enrolment.fingerprint, seatName: enrolment.name, room: enrolment.room };
    // Typed before enrolling and matched by the client before the code was sent: kept at once. If
    // the keychain refuses, it waits like a trust-on-first-use enrolment, to be kept again.
    const kept = expected ? (await this.keep({ pendingId: view.pendingId })).ok : false;
    return { ok: true, value: { ...view, kept } };
  }

  /** Keeps the pending enrolment: the credential into the keychain, then the site into the settings. */
  async keep(request: unknown): Promise<DesktopOutcome<SiteRecord>> {
    const parsed = keepRequest.safeParse(request);
    if (!parsed.success) return refuse('failed', 'The request is malformed.');
    const p = this.pending;
    if (!p || p.id !== parsed.data.pendingId || this.d.nowMs() > p.expiresAtMs) {
      if (p && this.d.nowMs() > p.expiresAtMs) this.pending = null;
      return refuse('no-pending', 'There is no enrolment waiting to be kept; enrol again with a new code.');
    }
    if (parsed.data.fingerprint !== undefined && parsed.data.fingerprint.trim() !== '') {
      const f = typedFingerprint(parsed.data.fingerprint);
      if (!f) return refuse('bad-fingerprint', 'A fingerprint is 64 hexadecimal characters (0-9, a-f); spaces and colons may separate them.');
      if (f !== p.enrolment.fingerprint) {
        this.pending = null;
        return refuse('fingerprint-mismatch', `The engine at ${p.enrolment.address} has the fingerprint ${p.enrolment.fingerprint}, not the one typed. Its credential was not kept.`);
      }
    }
    const e = p.enrolment;
    try {
      await saveEnrolment(this.d.secrets, e);
    } catch (err) {
      // The pending enrolment stays: the person may unlock the keychain and keep it again.
      return refuse('keychain', `The system keychain did not take the seat's credential: ${err instanceof Error ? err.message : String(err)}`);
    }
    const record: SiteRecord = { address: e.address, fingerprint: e.fingerprint, seatId: e.seatId, seatName: e.name, room: e.room };
    this.d.settings.chooseSite(record);
    this.pending = null;
    return { ok: true, value: record };
  }

  discard(request: unknown): DesktopOutcome<null> {
    const parsed = discardRequest.safeParse(request);
    if (!parsed.success) return refuse('failed', 'The request is malformed.');
    if (this.pending?.id === parsed.data.pendingId) this.pending = null;
    return { ok: true, value: null };
  }

  /** The enrolment for the site in the settings, read from the keychain (at start, or to reconnect). */
  async loadSite(): Promise<LoadedSite> {
    const site = this.d.settings.lastSite();
    if (!site) return { ok: false, reason: 'not-enrolled', message: 'This PC is not enrolled with a site engine.' };
    let e: Enrolment | null;
    try {
      e = await loadEnrolment(this.d.secrets, site.address);
    } catch (err) {
      return { ok: false, reason: 'keychain', message: `The system keychain could not be read: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!e || e.seatId !== site.seatId || e.fingerprint !== site.fingerprint) {
      const refusal = this.d.settings.refusal();
      if (refusal) return { ok: false, reason: refusal.reason, message: refusal.message };
      return { ok: false, reason: 'not-enrolled', message: `This PC keeps no enrolment for ${site.address} in the system keychain. Ask an administrator for a new enrolment code.` };
    }
    return { ok: true, enrolment: e, site };
  }

  /** The engine refused the credential for good: it is removed from the keychain and the reason kept. */
  async credentialDead(reason: LinkRefusal, message: string): Promise<void> {
    const site = this.d.settings.lastSite();
    if (reason !== 'revoked' && reason !== 'not-enrolled') return;
    this.d.settings.recordRefusal({ reason, message });
    if (site) await forgetEnrolment(this.d.secrets, site.address);
  }
}
