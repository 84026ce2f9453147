// A Node seat keeps its enrolment in the OS keychain (docs/design/site-engine.md "The seat
// credential"): a real round trip through the Secret Service (scripts/with-keyring.sh gives tests a
// throwaway keyring), one entry per engine address, forgotten on demand.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../secrets/secret-store';
import { forgetEnrolment, loadEnrolment, saveEnrolment } from './keychain';

describe('seat enrolment in the OS keychain', () => {
  it('saves, loads and forgets the enrolment of one engine address', async () => {
    const secrets = createKeytarSecretStore({ service: 'operator-console-test' });
    const address = `10.77.0.1:${10_000 + (randomBytes(2).readUInt16BE() % 50_000)}`;
    const e = { address, seatId: 7, name: 'Desk 7', room: 'Hall', credential: `7.${randomBytes(32).toString('base64url')}`, fingerprint: 'AB'.repeat(32) };
    await saveEnrolment(secrets, e);
    expect(await loadEnrolment(secrets, `https://${address}`)).toEqual({ ...e, address: `https://${address}`, fingerprint: 'ab'.repeat(32) });
    expect(await loadEnrolment(secrets, '10.77.0.1:1')).toBeNull();
    expect(await forgetEnrolment(secrets, address)).toBe(true);
    expect(await loadEnrolment(secrets, address)).toBeNull();
  });
});
