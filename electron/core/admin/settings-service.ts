// Security settings, set by administrators: idle lock (BRN 33.3) and lockout (JON 15.6).
import type { Kysely } from 'kysely';
import { securitySettings, type SecuritySettings } from '../../../shared/contract';
import type { Database } from '../store/schema';

export const DEFAULT_SECURITY: SecuritySettings = { idleLockMinutes: 10, lockoutThreshold: 5, lockoutMinutes: 15 };

export class SettingsService {
  private cached: SecuritySettings = DEFAULT_SECURITY;
  private constructor(private readonly db: Kysely<Database>) {}

  static async open(db: Kysely<Database>): Promise<SettingsService> {
    const s = new SettingsService(db);
    const row = await db.selectFrom('settings').select('value_json').where('key', '=', 'security').executeTakeFirst();
    if (row) {
      const parsed = securitySettings.safeParse(JSON.parse(row.value_json));
      if (parsed.success) s.cached = parsed.data;
    }
    return s;
  }

  get security(): SecuritySettings {
    return this.cached;
  }

  async updateSecurity(next: SecuritySettings): Promise<SecuritySettings> {
    const value_json = JSON.stringify(next);
    await this.db
      .insertInto('settings')
      .values({ key: 'security', value_json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value_json }))
      .execute();
    this.cached = next;
    return next;
  }
}
