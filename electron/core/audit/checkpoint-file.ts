// A signed audit checkpoint as a file an auditor can copy off the machine (docs/design/audit-chain.md
// "Checkpoints"): the log's head (seq, hash) at a time, signed with the site's Ed25519 key, with the
// public key and its fingerprint. Whoever keeps one can later prove that the log still holds exactly
// what it held then (`npm run audit:verify -- --checkpoint FILE`), even if the database and its
// anchor were rewritten together.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_CHECKPOINT_FORMAT, checkpointSignedText } from '../../../shared/audit-chain';
import { publicKeyFingerprint } from '../exports/production/signing-key';

export const CHECKPOINTS_DIR = 'audit-checkpoints';

export interface AuditCheckpointRecord {
  format: typeof AUDIT_CHECKPOINT_FORMAT;
  /** The head entry the checkpoint covers, and its hash. */
  seq: number;
  hash: string;
  /** When it was taken, UTC ISO 8601. */
  time: string;
  /** Exactly what was signed (checkpointSignedText of the fields above). */
  signedText: string;
  /** Ed25519 signature of signedText's UTF-8 bytes, base64. */
  signature: string;
  publicKeyPem: string;
  /** SHA-256 of the public key's SPKI DER, hex (as printed on export handover records). */
  fingerprint: string;
}

export function checkpointFileName(seq: number): string {
  return `${seq}.json`;
}

/** Parses a checkpoint file's text; throws with a sentence naming what is wrong. */
export function parseCheckpoint(text: string): AuditCheckpointRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('the checkpoint file is not JSON');
  }
  const r = v as Partial<Record<keyof AuditCheckpointRecord, unknown>> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    r.format !== AUDIT_CHECKPOINT_FORMAT ||
    !Number.isSafeInteger(r.seq) ||
    (r.seq as number) < 1 ||
    typeof r.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(r.hash) ||
    typeof r.time !== 'string' ||
    typeof r.signedText !== 'string' ||
    typeof r.signature !== 'string' ||
    typeof r.publicKeyPem !== 'string' ||
    typeof r.fingerprint !== 'string'
  ) {
    throw new Error(`the file is not an audit checkpoint (${AUDIT_CHECKPOINT_FORMAT})`);
  }
  return r as AuditCheckpointRecord;
}

/** A fingerprint as people type it: any case, with or without colons or spaces. */
export function normaliseFingerprint(fp: string): string {
  return fp.toLowerCase().replace(/[\s:]/g, '');
}

/**
 * Checks the checkpoint itself (not the log): the signed text is what its fields say, the
 * fingerprint is its key's, the signature is valid for that key, and, when given, the key is the
 * expected one. Returns the problem, or null.
 */
export function checkCheckpointSignature(cp: AuditCheckpointRecord, expectFingerprint?: string): string | null {
  if (cp.signedText !== checkpointSignedText(cp)) return `checkpoint seq ${cp.seq}: its signed text does not match its seq, hash and time (the file was edited)`;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: cp.publicKeyPem, format: 'pem' });
  } catch {
    return `checkpoint seq ${cp.seq}: its public key is not readable`;
  }
  if (key.asymmetricKeyType !== 'ed25519') return `checkpoint seq ${cp.seq}: its key is not an Ed25519 key`;
  const fingerprint = publicKeyFingerprint(key);
  if (normaliseFingerprint(cp.fingerprint) !== fingerprint) return `checkpoint seq ${cp.seq}: the fingerprint in the file is not its key's (${fingerprint})`;
  if (expectFingerprint !== undefined && normaliseFingerprint(expectFingerprint) !== fingerprint) {
    return `checkpoint seq ${cp.seq}: signed by key ${fingerprint}, not the expected ${normaliseFingerprint(expectFingerprint)}`;
  }
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(cp.signedText, 'utf8'), key, Buffer.from(cp.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? null : `checkpoint seq ${cp.seq}: the signature is not valid for its key`;
}

/** The checkpoint with the highest seq in a data directory, or null when there is none. */
export function latestCheckpoint(dataDir: string): { file: string; record: AuditCheckpointRecord } | null {
  const dir = path.join(dataDir, CHECKPOINTS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const seqs = names.map((n) => /^(\d{1,15})\.json$/.exec(n)?.[1]).filter((s): s is string => s !== undefined).map(Number).sort((a, b) => b - a);
  for (const seq of seqs) {
    const file = path.join(dir, checkpointFileName(seq));
    try {
      return { file, record: parseCheckpoint(fs.readFileSync(file, 'utf8')) };
    } catch {
      // a damaged file is skipped; verification with it names the problem
    }
  }
  return null;
}
