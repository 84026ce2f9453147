// The audit chain (R4, docs/design/audit-chain.md): every entry's hash covers its canonical
// encoding and the previous entry's hash, so any edit, deletion, insertion or reordering breaks it.
// Pure: the SHA-256 function is passed in, so this runs in core, tools and tests alike.
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  seq: number;
  atMs: number;
  actor: string;
  action: string;
  target: string;
  outcome: 'allowed' | 'denied' | 'failed';
  /** Canonical JSON text (keys sorted), stored as written. */
  details: string;
  reason: string | null;
}

export interface ChainedAuditRecord extends AuditRecord {
  prevHash: string;
  hash: string;
}

export type Sha256Hex = (text: string) => string;

/** The exact bytes that are hashed: a JSON array in fixed field order, preceded by the previous hash. */
export function canonicalEncoding(record: AuditRecord, prevHash: string): string {
  return (
    prevHash +
    JSON.stringify([
      record.seq,
      record.atMs,
      record.actor,
      record.action,
      record.target,
      record.outcome,
      record.details,
      record.reason,
    ])
  );
}

export function chainHash(sha256: Sha256Hex, record: AuditRecord, prevHash: string): string {
  return sha256(canonicalEncoding(record, prevHash));
}

/** The project's canonical JSON (RFC 8785), used for entry details: equal details always hash alike. */
export { canonicalJson };

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Checks one entry against its predecessor. `previous` is null for the first entry of the log.
 * Returns a description of the first problem, or null.
 */
export function checkLink(
  sha256: Sha256Hex,
  previous: { seq: number; hash: string } | null,
  entry: ChainedAuditRecord,
): ChainProblem | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (entry.seq !== expectedSeq) {
    return {
      seq: entry.seq,
      problem:
        entry.seq > expectedSeq
          ? `entries ${expectedSeq}..${entry.seq - 1} are missing (deleted)`
          : `entry ${entry.seq} is out of order or duplicated (expected ${expectedSeq})`,
    };
  }
  if (entry.prevHash !== expectedPrev) {
    return { seq: entry.seq, problem: `entry ${entry.seq} does not link to entry ${expectedSeq - 1} (inserted or reordered)` };
  }
  if (chainHash(sha256, entry, entry.prevHash) !== entry.hash) {
    return { seq: entry.seq, problem: `entry ${entry.seq} was altered (its hash does not match its content)` };
  }
  return null;
}

/** Names the layout of a signed audit checkpoint (docs/design/audit-chain.md "Checkpoints"). */
export const AUDIT_CHECKPOINT_FORMAT = 'operator-console/audit-checkpoint/1';

/**
 * The exact text a checkpoint's Ed25519 signature covers: canonical JSON of the format, the head's
 * seq and hash, and the UTC time it was taken. Anyone can rebuild it from the checkpoint's fields.
 */
export function checkpointSignedText(c: { seq: number; hash: string; time: string }): string {
  return canonicalJson({ format: AUDIT_CHECKPOINT_FORMAT, seq: c.seq, hash: c.hash, time: c.time });
}
