// Security settings, set by administrators: idle lock (BRN 33.3), lockout, password age and reuse
// (JON 15.6) and the limits of lifting privacy masks (R7).
import type { Kysely } from 'kysely';
import { securitySettings, type SecuritySettings } from '../../../shared/contract';
import { trimHistory } from '../auth/password-age';
import type { Database } from '../store/schema';

// Password age and reuse (JON 15.6 sets no figures): 90 days and 5 earlier passwords, the usual
// figures of public bodies' security policies (docs/design/sign-in-and-sessions.md).
export const DEFAULT_SECURITY: SecuritySettings = {
  idleLockMinutes: 10,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  maskLiftMinutes: 5,
  maskLiftSecondPerson: false,
  passwordMaxAgeDays: 90,
  passwordHistory: 5,
  accessApprovers: 'supervisor_or_auditor',
  // BRN art. 34(1)(ii) sets no figure: twice a year (docs/design/access-review.md).
  accessReviewMonths: 6,
};

/** The settings table holds one JSON value per key; these two are the only statements on it. */
export async function readSetting(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as unknown) : undefined;
}

export async function writeSetting(db: Kysely<Database>, key: string, value: unknown): Promise<void> {
  const value_json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value_json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json }))
    .execute();
}

export class SettingsService {
  private cached: SecuritySettings = DEFAULT_SECURITY;
  private constructor(private readonly db: Kysely<Database>) {}

  static async open(db: Kysely<Database>): Promise<SettingsService> {
    const s = new SettingsService(db);
    await s.reload();
    return s;
  }

  /** Reads the settings again (at start, and when another node of the site changed them). */
  async reload(): Promise<void> {
    const parsed = securitySettings.safeParse(await readSetting(this.db, 'security'));
    this.cached = parsed.success ? parsed.data : DEFAULT_SECURITY;
  }

  get security(): SecuritySettings {
    return this.cached;
  }

  async updateSecurity(next: SecuritySettings): Promise<SecuritySettings> {
    await this.db.transaction().execute(async (trx) => {
      await writeSetting(trx, 'security', next);
      // Fewer earlier passwords to refuse: the hashes no longer needed go now (JON 15.6).
      await trimHistory(trx, next.passwordHistory);
    });
    this.cached = next;
    return next;
  }
}
