// `npm run engine:seat-code -- --data-dir DIR --name NAME --room ROOM`: asks the site engine running
// on DIR, through its local socket (local-admin.ts), for a seat's one-time enrolment code. For the
// first seat (before any administrator exists) and when no administrator's seat is left.
import { parseArgs } from 'node:util';
import { requestSeatCode } from './local-admin';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, name: { type: 'string' }, room: { type: 'string' } }, strict: true });
if (!values['data-dir'] || !values.name || !values.room) {
  process.stderr.write('usage: npm run engine:seat-code -- --data-dir DIR --name NAME --room ROOM\n');
  process.exit(2);
}
requestSeatCode(values['data-dir'], values.name, values.room)
  .then((c) => {
    process.stdout.write(
      `Seat ${JSON.stringify(c.name)} (id ${c.seatId}): enrolment code ${c.code}\n` +
        `valid until ${new Date(c.codeExpiresAtMs).toISOString()} (15 minutes, once)\n` +
        `site fingerprint: ${c.fingerprint}\n`,
    );
  })
  .catch((err: unknown) => {
    process.stderr.write(`no code: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
