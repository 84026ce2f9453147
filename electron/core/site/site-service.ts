// The site's settings that several features read: its country, whose working days and public
// holidays set legal deadlines (JON 20, BRN 16.4), and its signing key. Owns the 'site' settings row.
import type { Kysely } from 'kysely';
import { SITE_COUNTRIES, type SiteCountry, type SiteView } from '../../../shared/contract';
import { readSetting, writeSetting } from '../admin/settings-service';
import { COUNTRY_TIME_ZONE } from '../exports/deadlines';
import type { Database } from '../store/schema';
import type { SigningKeySource } from './site-key';

export class SiteService {
  private countryCache: SiteCountry | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    readonly signingKey: SigningKeySource,
  ) {}

  async country(): Promise<SiteCountry> {
    if (this.countryCache) return this.countryCache;
    const stored = (await readSetting(this.db, 'site')) as { country?: unknown } | undefined;
    this.countryCache = SITE_COUNTRIES.includes(stored?.country as SiteCountry) ? (stored?.country as SiteCountry) : 'PL';
    return this.countryCache;
  }

  /** The site's time zone (IANA), that of its country: the local times of reports and deadlines. */
  async timeZone(): Promise<string> {
    return COUNTRY_TIME_ZONE[await this.country()];
  }

  /** Changes the calendar of new requests; deadlines already computed keep the country they were computed with. */
  async setCountry(country: SiteCountry): Promise<void> {
    await writeSetting(this.db, 'site', { country });
    this.countryCache = country;
  }

  /** Another node of the site changed the settings: read again at next use. */
  forget(): void {
    this.countryCache = null;
  }

  async view(): Promise<SiteView> {
    const signer = await this.signingKey.existing();
    return { country: await this.country(), signingKeyFingerprint: signer?.fingerprint ?? null };
  }
}
