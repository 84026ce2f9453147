// The desktop app's first start and its link to a site engine, as the page shows them
// (docs/design/site-engine.md "The desktop app as a seat"). Pure functions, tested in Node; main
// decides everything (renderer is untrusted), this only words and orders what main says.
import type { DesktopRefusal, LinkRefusal, LinkStatus } from '../../shared/transport';
import type { ConnectionState } from '../api/connection';

/** A fingerprint in groups of four, as a person compares it with the administrator's screen. */
export function fingerprintGroups(fingerprint: string): string[] {
  return fingerprint.toLowerCase().match(/.{1,4}/g) ?? [];
}

/** The newer of two link states of one window (a pushed change may overtake the status answer). */
export function newerLink(current: LinkStatus | null, next: LinkStatus): LinkStatus {
  return current && current.seq >= next.seq ? current : next;
}

/**
 * The link as the API client's connection tracker takes it (renderer/api/connection.ts), so the
 * console's reconnect handling and the wall's "no engine" state apply to the desktop seat. A final
 * refusal is a lost connection there: the tracker's `refused` is the browser seat's enrolment
 * screen, while the desktop gate shows its own refusal screen instead of the console.
 */
export function trackerUpdateOf(link: LinkStatus, nowMs: number): { state: ConnectionState; detail: { nextAttemptAtMs?: number | null; attempts?: number } } {
  switch (link.state) {
    case 'connecting':
    case 'connected':
    case 'reconnected':
      return { state: link.state, detail: {} };
    case 'lost':
      return { state: 'lost', detail: { nextAttemptAtMs: nowMs + link.retryInMs, attempts: link.attempt } };
    case 'refused':
      return { state: 'lost', detail: { nextAttemptAtMs: null, attempts: 0 } };
  }
}

/** Interface-string key of a set-up refusal (desktop.refusal.*). */
export function refusalKey(refusal: DesktopRefusal): string {
  return `desktop.refusal.${refusal}`;
}

/** Interface-string keys of a final link refusal: its title, what happened and what to do. */
export function linkRefusalKeys(reason: LinkRefusal): { title: string; body: string } {
  return { title: `desktop.refused.${reason}.title`, body: `desktop.refused.${reason}.body` };
}

/** What the first-start form sends: trimmed; an empty fingerprint is left out (trust on first use). */
export function enrolRequestOf(form: { address: string; code: string; fingerprint: string }): { address: string; code: string; fingerprint?: string } {
  const fingerprint = form.fingerprint.trim();
  return { address: form.address.trim(), code: form.code.trim(), ...(fingerprint ? { fingerprint } : {}) };
}

// Every refusal main can give, checked complete by the compiler (a Record over the union), so
// locales.test.ts can require a string for each.
const SET_UP_REFUSALS: Record<DesktopRefusal, true> = {
  'bad-address': true,
  'bad-fingerprint': true,
  'bad-code': true,
  'expired-code': true,
  'used-code': true,
  'too-many': true,
  revoked: true,
  'not-enrolled': true,
  'wrong-certificate': true,
  'wrong-name': true,
  unreachable: true,
  'not-a-site-engine': true,
  'fingerprint-mismatch': true,
  'no-pending': true,
  keychain: true,
  'engine-failed': true,
  failed: true,
};
const LINK_REFUSALS: Record<LinkRefusal, true> = { revoked: true, 'not-enrolled': true, 'wrong-certificate': true, 'wrong-name': true, keychain: true };
export const ALL_SET_UP_REFUSALS = Object.keys(SET_UP_REFUSALS) as DesktopRefusal[];
export const ALL_LINK_REFUSALS = Object.keys(LINK_REFUSALS) as LinkRefusal[];
