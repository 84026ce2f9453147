// Offline verification of an evidence package (issue 6 §4, DESIGN §7): every file the manifest
// lists is present with its size and SHA-256, no unlisted video is present, and manifest.sig is an
// Ed25519 signature of manifest.json's exact bytes by public-key.pem. The fingerprint of that key
// is returned for comparison with the paper handover record: a package whose key was swapped
// together with a re-signed manifest verifies by itself, and only the fingerprint on paper exposes it.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './hash';
import { publicKeyFingerprint } from './signing-key';

export interface VerifyResult {
  ok: boolean;
  /** One plain sentence per problem, file name first. */
  problems: string[];
  /** Files whose hash matched. */
  verified: string[];
  fingerprint: string | null;
  manifestSha256: string | null;
  exportNumber: string | null;
}

interface ListedFile {
  name: string;
  sha256: string;
  bytes: number;
}

function listedFiles(manifest: unknown): ListedFile[] | null {
  if (manifest === null || typeof manifest !== 'object') return null;
  const files: unknown = Reflect.get(manifest, 'files');
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
  return name.length > 0 && !name.startsWith('/') && !name.includes('\\') && name.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function verifyPackage(dir: string): Promise<VerifyResult> {
  const problems: string[] = [];
  const verified: string[] = [];
  const manifestBytes = await readOrNull(path.join(dir, 'manifest.json'));
  const sig = await readOrNull(path.join(dir, 'manifest.sig'));
  const pem = await readOrNull(path.join(dir, 'public-key.pem'));
  let fingerprint: string | null = null;
  let key: KeyObject | null = null;
  if (pem === null) problems.push('public-key.pem: missing file');
  else {
    try {
      key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') {
        problems.push(`public-key.pem: not an Ed25519 key (${key.asymmetricKeyType ?? 'unknown'})`);
        key = null;
      } else fingerprint = publicKeyFingerprint(key);
    } catch {
      problems.push('public-key.pem: not a readable public key');
    }
  }
  if (sig === null) problems.push('manifest.sig: missing file');
  if (manifestBytes === null) {
    problems.push('manifest.json: missing file');
    return { ok: false, problems, verified, fingerprint, manifestSha256: null, exportNumber: null };
  }
  const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
  if (key && sig) {
    let good: boolean;
    try {
      good = verify(null, manifestBytes, key, sig);
    } catch {
      good = false;
    }
    if (!good) problems.push('manifest.sig: signature does not match the manifest (manifest.json was changed, or the signature is not of this manifest)');
  }
  let manifest: unknown = null;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    problems.push('manifest.json: not valid JSON');
  }
  const exportNumberValue: unknown = manifest !== null && typeof manifest === 'object' ? Reflect.get(manifest, 'export') : null;
  const exportNumber = typeof exportNumberValue === 'string' ? exportNumberValue : null;
  const files = manifest === null ? null : listedFiles(manifest);
  if (manifest !== null && files === null) problems.push('manifest.json: no valid list of files');
  const listed = new Set<string>();
  for (const f of files ?? []) {
    if (!safeName(f.name)) {
      problems.push(`${f.name}: listed with a name outside the package`);
      continue;
    }
    listed.add(f.name);
    let actual: { sha256: string; bytes: number };
    try {
      actual = await sha256File(path.join(dir, f.name));
    } catch (err) {
      problems.push(`${f.name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing file' : `unreadable (${(err as Error).message})`}`);
      continue;
    }
    if (actual.sha256 !== f.sha256.toLowerCase()) problems.push(`${f.name}: changed (SHA-256 differs${actual.bytes !== f.bytes ? `; ${actual.bytes} bytes instead of ${f.bytes}` : ''})`);
    else if (actual.bytes !== f.bytes) problems.push(`${f.name}: size differs from the manifest (${actual.bytes} bytes instead of ${f.bytes})`);
    else verified.push(f.name);
  }
  // Every video present must be listed: a file slipped in is not part of what was approved.
  let present: string[] = [];
  try {
    present = (await readdir(path.join(dir, 'video'), { recursive: true, withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of present.sort()) if (!listed.has(name)) problems.push(`${name}: not listed in the manifest (unexpected file)`);
  return { ok: problems.length === 0, problems, verified, fingerprint, manifestSha256, exportNumber };
}
