// What a caller may see (docs/design/overview.md §6): the cameras of their groups, and whether they
// read every camera-tied record (records.readAll: supervisors, auditors). Footage always follows
// camera groups; records (holds, incidents, export requests) follow the cameras they are tied to.
export interface Visibility {
  username: string;
  cameraIds: ReadonlySet<number>;
  allRecords: boolean;
}

/** A record tied to these cameras is visible when the caller reads every record or sees one of them. */
export function seesRecordOf(v: Visibility, cameraIds: Iterable<number>): boolean {
  if (v.allRecords) return true;
  for (const id of cameraIds) if (v.cameraIds.has(id)) return true;
  return false;
}

/** The camera ids to filter a list by, or null when the caller reads every record. */
export function recordFilter(v: Visibility): ReadonlySet<number> | null {
  return v.allRecords ? null : v.cameraIds;
}

/**
 * An export request is visible to its requester, to whoever reads every record, and to anyone else
 * only when every camera of the request is visible to them (the rule export-records.ts `list`
 * writes as SQL; the pushed events use this one, docs/design/events.md).
 */
export function seesExportOf(v: Visibility, requestedBy: string, cameraIds: Iterable<number>): boolean {
  if (v.allRecords || requestedBy === v.username) return true;
  for (const id of cameraIds) if (!v.cameraIds.has(id)) return false;
  return true;
}
