// `npm run engine:database -- --database postgres://OWNER@HOST/DB --role ROLE [--password-file FILE]`:
// prepares the site's PostgreSQL database for its engines (docs/design/scale.md "The engine's role"):
// migrates it as its owner and makes ROLE the engines' login, which cannot change or delete a
// record. Engines then run with --database postgres://ROLE@HOST/DB. Run again after each upgrade.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createJsonLogger } from '../logger';
import { isPostgresUrl, redactDatabaseUrl } from '../store/postgres';
import { prepareSiteDatabase } from '../store/postgres-setup';

const USAGE = 'usage: npm run engine:database -- --database postgres://OWNER@HOST/DB --role ROLE [--password-file FILE]\n';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { database: { type: 'string' }, role: { type: 'string' }, 'password-file': { type: 'string' } }, strict: true });
  if (!values.database || !isPostgresUrl(values.database) || !values.role) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  // The password from a private file, never from the command line (argv is public on the machine).
  const password = values['password-file'] ? fs.readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '') : undefined;
  const r = await prepareSiteDatabase({ ownerUrl: values.database, role: values.role, password, logger: createJsonLogger() });
  process.stdout.write(
    `Site database ${redactDatabaseUrl(values.database)} migrated; engines connect as ${r.role}.\n` +
      `${r.role} cannot change rows of: ${r.noUpdate.join(', ')}\n${r.role} cannot delete rows of: ${r.noDelete.join(', ')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`preparing the site database failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
