// What the register of data-subject requests shows of the holds and export requests a request caused
// (docs/design/subject-requests.md "Links"), read through their owners' services: a hold's case
// reference and status; an export request's number, status, body type and, once produced, the
// redaction statement its producer made (JON 19: boxes covering every other person, or an attestation
// that nobody else is visible). The register is read whole by those who read every record.
import type { ExportsService } from '../exports/exports-service';
import type { HoldsService } from '../holds/holds-service';
import type { Visibility } from '../visibility';
import type { LinkedRecords } from './subject-requests-service';

/** Only those with records.readAll hold subjects.read: the links are read as such a reader would. */
const EVERY_RECORD: Visibility = { username: 'system', cameraIds: new Set(), allRecords: true };

export function linkedRecords(holds: Pick<HoldsService, 'get'>, exports: Pick<ExportsService, 'requests'>): LinkedRecords {
  return {
    async hold(holdId) {
      const h = await holds.get(holdId);
      return h && { label: h.caseReference, status: h.status };
    },
    async export(exportId) {
      const e = await exports.requests.get(exportId, EVERY_RECORD);
      if (!e) return undefined;
      const kind = e.history.filter((h) => h.action === 'data subject confirmed').at(-1)?.details.kind;
      return { label: e.number, status: e.status, bodyType: e.bodyType, redaction: kind === 'boxes_confirmed' || kind === 'attested' ? kind : null };
    },
  };
}
