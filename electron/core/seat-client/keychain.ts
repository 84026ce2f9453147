// Where a Node seat keeps its enrolment (docs/design/site-engine.md "The seat credential"): in the
// OS keychain through the SecretStore (keytar), one entry per site engine address, never in a file
// or the settings. The credential is the seat's only proof; it was shown once, at enrolment.
import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';
import type { Enrolment } from './enrol';
import { normaliseFingerprint, parseAddress } from './pinning';

const stored = z.strictObject({
  address: z.string(),
  seatId: z.number().int().positive(),
  name: z.string(),
  room: z.string(),
  credential: z.string().regex(/^\d{1,15}\.[A-Za-z0-9_-]{43}$/),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});

const account = (address: string) => `seat:${parseAddress(address).origin}`;

export async function saveEnrolment(secrets: SecretStore, e: Enrolment): Promise<void> {
  const value = stored.parse({ ...e, address: parseAddress(e.address).origin, fingerprint: normaliseFingerprint(e.fingerprint) });
  await secrets.set(account(e.address), JSON.stringify(value));
}

/** The enrolment kept for this site engine, or null (never enrolled, forgotten, or unreadable). */
export async function loadEnrolment(secrets: SecretStore, address: string): Promise<Enrolment | null> {
  const text = await secrets.get(account(address));
  if (text === null) return null;
  try {
    return stored.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

/** After a revocation or a re-enrolment elsewhere: true when there was one. */
export function forgetEnrolment(secrets: SecretStore, address: string): Promise<boolean> {
  return secrets.delete(account(address));
}
