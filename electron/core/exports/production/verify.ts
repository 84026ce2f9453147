// Offline verification of an evidence package (docs/design/exports.md "Verification"; docs/design/overview.md §7).
// A package is intact when:
// - manifest.sig and addendum.sig are Ed25519 signatures of the exact bytes of manifest.json and
//   addendum.json by public-key.pem, and the addendum names this manifest's hash;
// - every file either list names is present, a regular file, with its size and SHA-256;
// - nothing else is in the folder, at any depth, hidden files included, besides the two lists and
//   their signatures; symbolic links and special files are refused, never followed.
// Provenance is a separate question: a forger who re-signs a package with their own key makes it
// intact again. Only the fingerprint on the paper handover record ties a package to the site, so
// the caller passes it (`expectFingerprint`) and a package signed by any other key fails.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './hash';
import { ADDENDUM_FILE, ADDENDUM_SIG_FILE, MANIFEST_FILE, MANIFEST_SIG_FILE, PUBLIC_KEY_FILE, SIGNED_LIST_FILES } from './package-layout';
import { publicKeyFingerprint } from './signing-key';

export interface VerifyOptions {
  /** The fingerprint from the paper handover record, normalised (normaliseFingerprint). */
  expectFingerprint?: string | null;
}

export interface VerifyResult {
  ok: boolean;
  /** One plain sentence per problem, file name first. */
  problems: string[];
  /** Files whose hash matched. */
  verified: string[];
  fingerprint: string | null;
  /** Whether the key is the expected one; null when no fingerprint was expected. */
  fingerprintMatches: boolean | null;
  manifestSha256: string | null;
  addendumSha256: string | null;
  exportNumber: string | null;
}

interface ListedFile {
  name: string;
  sha256: string;
  bytes: number;
}

/**
 * A SHA-256 fingerprint as people copy it from paper or other tools: any case, with or without
 * colons, spaces, dashes or dots between the digits, optionally prefixed "SHA256:" (or
 * "SHA256 Fingerprint="). Returns 64 lowercase hex digits, or null when it is not one.
 */
export function normaliseFingerprint(input: string): string | null {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^sha-?256(\s*fingerprint)?\s*[:=]?\s*/, '')
    .replace(/[\s:._-]/g, '');
  return /^[0-9a-f]{64}$/.test(s) ? s : null;
}

function listedFiles(doc: unknown): ListedFile[] | null {
  if (doc === null || typeof doc !== 'object') return null;
  const files: unknown = Reflect.get(doc, 'files');
  if (!Array.isArray(files)) return null;
  const out: ListedFile[] = [];
  for (const f of files as unknown[]) {
    if (f === null || typeof f !== 'object') return null;
    const name: unknown = Reflect.get(f, 'name');
    const sha256: unknown = Reflect.get(f, 'sha256');
    const bytes: unknown = Reflect.get(f, 'bytes');
    if (typeof name !== 'string' || typeof sha256 !== 'string' || typeof bytes !== 'number') return null;
    out.push({ name, sha256, bytes });
  }
  return out;
}

/** A listed name must stay inside the package: relative, forward slashes, no '..'. */
function safeName(name: string): boolean {
  return name.length > 0 && !name.startsWith('/') && !name.includes('\\') && !name.includes('\0') && name.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

interface Tree {
  /** Regular files, relative with forward slashes. */
  files: Set<string>;
  /** Folders with nothing in them (a folder with anything in it shows through its contents). */
  emptyDirs: string[];
  problems: string[];
}

/** Everything under dir, without following any symbolic link. */
async function walk(dir: string): Promise<Tree> {
  const tree: Tree = { files: new Set(), emptyDirs: [], problems: [] };
  const visit = async (rel: string) => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    if (rel !== '' && entries.length === 0) tree.emptyDirs.push(rel);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isSymbolicLink()) tree.problems.push(`${name}: a symbolic link (refused: a package holds only regular files)`);
      else if (e.isDirectory()) await visit(name);
      else if (e.isFile()) tree.files.add(name);
      else tree.problems.push(`${name}: not a regular file (refused)`);
    }
  };
  await visit('');
  return tree;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Reads a top-level file only if the walk found it as a regular file (never through a link). */
async function readListed(dir: string, tree: Tree, name: string, problems: string[]): Promise<Buffer | null> {
  if (!tree.files.has(name)) {
    if (!tree.problems.some((p) => p.startsWith(`${name}: `))) problems.push(`${name}: missing file`);
    return null;
  }
  return readFile(path.join(dir, name));
}

function signatureOk(data: Buffer, sig: Buffer, key: KeyObject): boolean {
  try {
    return verify(null, data, key, sig);
  } catch {
    return false;
  }
}

function parseJson(name: string, bytes: Buffer, problems: string[]): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    problems.push(`${name}: not valid JSON`);
    return null;
  }
}

const field = (doc: unknown, ...keys: string[]): unknown => {
  let v: unknown = doc;
  for (const k of keys) v = v !== null && typeof v === 'object' ? Reflect.get(v, k) : undefined;
  return v;
};

export async function verifyPackage(dir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: string[] = [];
  const verified: string[] = [];
  const tree = await walk(dir);
  problems.push(...tree.problems);

  // The key.
  let fingerprint: string | null = null;
  let key: KeyObject | null = null;
  const pem = await readListed(dir, tree, PUBLIC_KEY_FILE, problems);
  if (pem !== null) {
    try {
      key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') {
        problems.push(`${PUBLIC_KEY_FILE}: not an Ed25519 key (${key.asymmetricKeyType ?? 'unknown'})`);
        key = null;
      } else fingerprint = publicKeyFingerprint(key);
    } catch {
      problems.push(`${PUBLIC_KEY_FILE}: not a readable public key`);
    }
  }

  // Each signed list: its signature, its JSON, the key it names.
  const signedList = async (file: string, sigFile: string, what: string) => {
    const bytes = await readListed(dir, tree, file, problems);
    const sig = await readListed(dir, tree, sigFile, problems);
    if (bytes === null) return { bytes, doc: null };
    if (key && sig && !signatureOk(bytes, sig, key)) {
      problems.push(`${sigFile}: signature does not match ${what} (${file} was changed, or the signature is not of this ${file}, or not by ${PUBLIC_KEY_FILE})`);
    }
    const doc = parseJson(file, bytes, problems);
    const named = field(doc, 'signature', 'publicKeyFingerprintSha256');
    if (fingerprint && typeof named === 'string' && named.toLowerCase() !== fingerprint) {
      problems.push(`${file}: names the signing key ${named}, but ${PUBLIC_KEY_FILE} is ${fingerprint} (the key was swapped)`);
    }
    return { bytes, doc };
  };
  const manifest = await signedList(MANIFEST_FILE, MANIFEST_SIG_FILE, 'the manifest');
  const addendum = await signedList(ADDENDUM_FILE, ADDENDUM_SIG_FILE, 'the addendum');
  const manifestSha256 = manifest.bytes ? sha256(manifest.bytes) : null;
  const addendumSha256 = addendum.bytes ? sha256(addendum.bytes) : null;
  const exportValue = field(manifest.doc, 'export');
  const exportNumber = typeof exportValue === 'string' ? exportValue : null;

  // The addendum belongs to this manifest.
  if (addendum.doc !== null && manifestSha256 !== null) {
    const named = field(addendum.doc, 'manifest', 'sha256');
    if (named !== manifestSha256) problems.push(`${ADDENDUM_FILE}: made for another ${MANIFEST_FILE} (it names SHA-256 ${typeof named === 'string' ? named : '(none)'}, this one is ${manifestSha256})`);
    if (field(addendum.doc, 'export') !== exportNumber) problems.push(`${ADDENDUM_FILE}: made for another package (${String(field(addendum.doc, 'export'))}, not ${exportNumber ?? '(unknown)'})`);
  }

  // Every listed file: present, regular, same size and hash.
  const listed = new Map<string, string>();
  for (const [list, doc] of [[MANIFEST_FILE, manifest.doc], [ADDENDUM_FILE, addendum.doc]] as const) {
    if (doc === null) continue;
    const files = listedFiles(doc);
    if (files === null) {
      problems.push(`${list}: no valid list of files`);
      continue;
    }
    for (const f of files) {
      if (!safeName(f.name)) {
        problems.push(`${f.name}: listed in ${list} with a name outside the package`);
        continue;
      }
      if (SIGNED_LIST_FILES.includes(f.name)) {
        problems.push(`${f.name}: listed in ${list}, but a signed list or signature cannot be listed`);
        continue;
      }
      const before = listed.get(f.name);
      if (before !== undefined) {
        problems.push(`${f.name}: listed twice (${before} and ${list})`);
        continue;
      }
      listed.set(f.name, list);
      if (!tree.files.has(f.name)) {
        // A link or special file is reported by the walk; anything else is simply not there.
        if (!tree.problems.some((p) => p.startsWith(`${f.name}: `))) problems.push(`${f.name}: missing file`);
        continue;
      }
      let actual: { sha256: string; bytes: number };
      try {
        actual = await sha256File(path.join(dir, f.name));
      } catch (err) {
        problems.push(`${f.name}: unreadable (${(err as Error).message})`);
        continue;
      }
      if (actual.sha256 !== f.sha256.toLowerCase()) problems.push(`${f.name}: changed (SHA-256 differs${actual.bytes !== f.bytes ? `; ${actual.bytes} bytes instead of ${f.bytes}` : ''})`);
      else if (actual.bytes !== f.bytes) problems.push(`${f.name}: size differs from the manifest (${actual.bytes} bytes instead of ${f.bytes})`);
      else verified.push(f.name);
    }
  }

  // Nothing unlisted: a file slipped in is not part of what was approved and handed over.
  for (const name of [...tree.files].sort()) {
    if (!listed.has(name) && !SIGNED_LIST_FILES.includes(name)) problems.push(`${name}: not listed in the manifest or the addendum (unexpected file)`);
  }
  for (const name of tree.emptyDirs) problems.push(`${name}/: an empty folder that is not part of the package`);

  // Provenance: the key must be the site's, as on the paper record.
  let fingerprintMatches: boolean | null = null;
  if (opts.expectFingerprint) {
    fingerprintMatches = fingerprint === opts.expectFingerprint;
    if (!fingerprintMatches) {
      problems.push(`${PUBLIC_KEY_FILE}: signed by another key: fingerprint ${fingerprint ?? '(none)'} is not the expected ${opts.expectFingerprint} (the package was re-signed, or is not from this site)`);
    }
  }
  return { ok: problems.length === 0, problems, verified, fingerprint, fingerprintMatches, manifestSha256, addendumSha256, exportNumber };
}
