// The seam between export requests (exports-service: who, why, approval, history) and production
// (production/: ffmpeg, the evidence package, its signature and handover record). Requests hand a
// fully resolved, approved scope to production; production knows nothing of users or permissions.
import type { RedactionBox } from '../../../shared/contract/exports';
import type { MaskShape } from '../../../shared/privacy-masks';
import type { AuditCheckpointRecord } from '../audit/checkpoint-file';

/** One recording file of the index, as the VOD playlist sees it. */
export interface ScopeFile {
  /** Absolute path of the fragmented MP4. */
  path: string;
  startMs: number;
  endMs: number;
  initBytes: number;
  /** Packed keyframe index (recording/gop-index.ts). */
  gops: Buffer;
}

/** One camera and range of the approved request, with the files that hold it. */
export interface ScopeItem {
  cameraId: number;
  cameraName: string;
  fromMs: number;
  toMs: number;
  files: ScopeFile[];
  /** The camera's privacy masks for this range (R7; docs/design/exports.md "Privacy masks in packages"). */
  masks: ItemMasks;
}

/** The privacy masks footage of one item must be shown with, resolved when production starts. */
export interface ItemMasks {
  /** Every mask of a version in force during the range, and every current one (shared/privacy-masks.ts masksShownFor). */
  shapes: MaskShape[];
  /** Numbers of those versions, oldest first (the current one last); empty when the camera never had masks. */
  versions: number[];
}

/** The masks of an item of a camera that never had any. */
export function noMasks(): ItemMasks {
  return { shapes: [], versions: [] };
}

export interface Signer {
  /** Ed25519 signature of the bytes, with the site's key (kept in the OS keychain). */
  sign(data: Buffer): Promise<Buffer>;
  /** The public key, PEM (SPKI). */
  publicKeyPem: string;
  /** SHA-256 of the public key's DER, hex: printed on the handover record. */
  fingerprint: string;
}

export interface ProductionJob {
  exportId: number;
  /** EXP-n */
  number: string;
  /** The package folder to create (must not exist yet). */
  outDir: string;
  mode: 'copy' | 'burn_in';
  /** Burned into every frame with the wall-clock time and the camera name (burn_in mode). */
  caseReference: string;
  items: ScopeItem[];
  redactions: RedactionBox[];
  /** Everything about the request for manifest.json (request, approval, reason, legal basis,
   *  recipient, producer, times); production adds the files and their hashes. */
  manifest: Record<string, unknown>;
  /** Lines of the handover record (PDF) besides the files and hashes. */
  handover: { producedBy: string; producedAtMs: number; requestingBody: string; recipient: string; legalBasis: string; purpose: string; approvedBy: string };
  signer: Signer;
  ffmpegPath: string;
  /** The audit log's latest signed checkpoint, written into the manifest (docs/design/audit-chain.md). */
  auditCheckpoint?: AuditCheckpointRecord | null;
}

export interface ProductionProgress {
  /** Media milliseconds done and in all. */
  doneMs: number;
  totalMs: number;
  /** Estimated milliseconds left, from the rate so far; null at the start. */
  etaMs: number | null;
}

export interface ProducedFile {
  /** Path relative to the package folder, with forward slashes. */
  name: string;
  sha256: string;
  bytes: number;
}

export interface ProductionResult {
  packageDir: string;
  /** The videos, as listed in manifest.json. */
  files: ProducedFile[];
  manifestSha256: string;
  /** SHA-256 of addendum.json, the signed list of the package's other files (README.txt,
   *  public-key.pem, handover.pdf; docs/design/exports.md). With the manifest's hash it fixes every
   *  byte of the package. Optional only so that stand-in producers of tests need not write one; the
   *  real producer always sets it. */
  addendumSha256?: string;
  /** Fingerprint of the key that signed both (SHA-256 of its SPKI DER, hex), as on the paper record. */
  signingKeyFingerprint?: string;
}
