// export:verify passed a package with extra or edited files outside video/ (an unlisted copy of a
// video at the top level, an edited handover.pdf or README.txt), and a package re-signed with a
// forger's key verified as intact with a fingerprint nobody compared. Rule (docs/design/exports.md):
// every file of a package, at any depth, hidden ones included, is listed with its SHA-256 in the
// signed manifest or the signed addendum, or verification fails naming it; links are refused; and
// with --expect-fingerprint (from the paper handover record) a package signed by any other key fails.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFmp4 } from '../../testing/ffmpeg-fixtures';
import { noMasks, type ProductionJob, type Signer } from '../production-types';
import { canonicalJson } from './canonical-json';
import { addendumBytes, producedFile } from './package-layout';
import { produceExport } from './produce';
import { groupedFingerprint } from './readme';
import { ephemeralSigner } from './signing-key';
import { expectVerifiesIntact, verifyCli, writeRecording } from '../../testing/evidence-package';
import { normaliseFingerprint, verifyPackage } from './verify';

let tmp: string;
let copyDir: string;
/** The site's key (in memory here; production.test.ts covers the keychain). */
const signer = ephemeralSigner();
const forger = ephemeralSigner();
const T0 = Date.UTC(2026, 10, 28, 9, 15, 0);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-verify-'));
  fs.mkdirSync(path.join(tmp, 'rec'));
  const rec = writeRecording(path.join(tmp, 'rec'), T0, encodeFmp4(6, '320x180'));
  const job: ProductionJob = {
    exportId: 9,
    number: 'EXP-9',
    outDir: path.join(tmp, 'out', 'EXP-9'),
    mode: 'copy',
    caseReference: 'PR 1 Ds. 120/26',
    items: [{ cameraId: 1, cameraName: 'Brama', fromMs: T0 + 1000, toMs: T0 + 5000, files: [rec], masks: noMasks() }],
    redactions: [],
    manifest: { request: { reference: 'RSOW-9/26' } },
    handover: { producedBy: 'Zofia Wójcik', producedAtMs: T0 + 3_600_000, requestingBody: 'Policja', recipient: 'asp. Nowak', legalBasis: 'art. 217 k.p.k.', purpose: 'Theft', approvedBy: 'Tomáš Dvořák' },
    signer,
    ffmpegPath: 'ffmpeg',
  };
  copyDir = (await produceExport(job, () => {}, new AbortController().signal)).packageDir;
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('export:verify refuses anything not listed and any key but the site\'s', () => {
  it('an untouched package verifies: exit code 0 and the fingerprint printed', () => {
    expectVerifiesIntact(copyDir, signer.fingerprint);
  }, 60_000);

  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const rel = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');
  /** Paper style: upper case, colon-separated pairs. */
  const paperStyle = (fp: string) => fp.toUpperCase().replace(/(..)(?=.)/g, '$1:');

  /** A forger's edit of a video, with its new hash in the manifest, re-signed with their own key. */
  async function forgeManifest(dir: string, video: string, by: Signer): Promise<Buffer> {
    const b = fs.readFileSync(video);
    b[b.length >> 1] = b[b.length >> 1]! ^ 0x01;
    fs.writeFileSync(video, b);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string }[]; signature: { publicKeyFingerprintSha256: string } };
    m.files.find((f) => f.name === rel(dir, video))!.sha256 = sha(b);
    m.signature.publicKeyFingerprintSha256 = by.fingerprint;
    const bytes = canonicalJson(m);
    fs.writeFileSync(path.join(dir, 'manifest.json'), bytes);
    fs.writeFileSync(path.join(dir, 'manifest.sig'), await by.sign(bytes));
    fs.writeFileSync(path.join(dir, 'public-key.pem'), by.publicKeyPem);
    return bytes;
  }

  /** The same, with the addendum redone and signed too: a package consistent in itself. */
  async function forgeEverything(dir: string, video: string, by: Signer): Promise<void> {
    const manifestBytes = await forgeManifest(dir, video, by);
    const docs = ['README.txt', 'public-key.pem', 'handover.pdf'].map((n) => producedFile(n, fs.readFileSync(path.join(dir, n))));
    const addendum = addendumBytes({ number: 'EXP-9', manifestSha256: sha(manifestBytes), files: docs, fingerprint: by.fingerprint });
    fs.writeFileSync(path.join(dir, 'addendum.json'), addendum);
    fs.writeFileSync(path.join(dir, 'addendum.sig'), await by.sign(addendum));
  }

  function tamperedCopy(name: string): { dir: string; video: string } {
    const dir = path.join(tmp, 'tampered', name.replace(/\W+/g, '-'));
    fs.cpSync(copyDir, dir, { recursive: true });
    return { dir, video: path.join(dir, 'video', fs.readdirSync(path.join(dir, 'video'))[0]!) };
  }

  const tamperings: { name: string; tamper: (dir: string, video: string) => Promise<void> | void; message: RegExp; expectSiteKey?: boolean }[] = [
    { name: 'an unlisted copy of the video at the top level', tamper: (dir, video) => fs.copyFileSync(video, path.join(dir, 'copy.mp4')), message: /^copy\.mp4: not listed in the manifest/m },
    { name: 'an extra hidden file', tamper: (dir) => fs.writeFileSync(path.join(dir, '.statement.txt'), 'x'), message: /^\.statement\.txt: not listed in the manifest/m },
    { name: 'an extra hidden file in video/', tamper: (dir) => fs.writeFileSync(path.join(dir, 'video', '.thumbs.mp4'), 'x'), message: /video\/\.thumbs\.mp4: not listed in the manifest/ },
    {
      name: 'an extra file in a new subfolder',
      tamper: (dir) => {
        fs.mkdirSync(path.join(dir, 'extra', 'notes'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'extra', 'notes', 'statement.txt'), 'x');
      },
      message: /extra\/notes\/statement\.txt: not listed in the manifest/,
    },
    { name: 'an empty new folder', tamper: (dir) => fs.mkdirSync(path.join(dir, 'extra')), message: /extra\/: an empty folder that is not part of the package/ },
    { name: 'the handover record edited', tamper: (dir) => fs.appendFileSync(path.join(dir, 'handover.pdf'), '\n% received by someone else\n'), message: /handover\.pdf: changed \(SHA-256 differs/ },
    {
      name: 'the README edited to show another fingerprint',
      tamper: (dir) => {
        const f = path.join(dir, 'README.txt');
        fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replaceAll(signer.fingerprint, forger.fingerprint));
      },
      message: /README\.txt: changed \(SHA-256 differs\)/,
    },
    {
      name: 'a video replaced by a symbolic link to an identical copy',
      tamper: (dir, video) => {
        const outside = path.join(tmp, `outside-${randomBytes(3).toString('hex')}.mp4`);
        fs.copyFileSync(video, outside);
        fs.rmSync(video);
        fs.symlinkSync(outside, video);
      },
      message: /video\/01-[^:]+\.mp4: a symbolic link \(refused/,
    },
    { name: 'a symbolic link added', tamper: (dir) => fs.symlinkSync('/etc/hostname', path.join(dir, 'hostname')), message: /^hostname: a symbolic link \(refused/m },
    { name: 'a video edited and the manifest re-signed with another key', tamper: (dir, video) => forgeManifest(dir, video, forger).then(() => undefined), message: /public-key\.pem: changed \(SHA-256 differs/ },
    {
      name: 'a video edited and every signature redone with another key, checked against the paper fingerprint',
      tamper: (dir, video) => forgeEverything(dir, video, forger),
      expectSiteKey: true,
      message: /public-key\.pem: signed by another key: fingerprint [0-9a-f]{64} is not the expected/,
    },
    { name: 'the manifest signature removed', tamper: (dir) => fs.rmSync(path.join(dir, 'manifest.sig')), message: /manifest\.sig: missing file/ },
    { name: 'the addendum signature removed', tamper: (dir) => fs.rmSync(path.join(dir, 'addendum.sig')), message: /addendum\.sig: missing file/ },
    {
      name: 'the addendum removed',
      tamper: (dir) => {
        fs.rmSync(path.join(dir, 'addendum.json'));
        fs.rmSync(path.join(dir, 'addendum.sig'));
      },
      message: /addendum\.json: missing file/,
    },
  ];
  for (const t of tamperings) {
    it(`tampering is caught: ${t.name}`, async () => {
      const { dir, video } = tamperedCopy(t.name);
      await t.tamper(dir, video);
      const v = await verifyPackage(dir, { expectFingerprint: t.expectSiteKey ? signer.fingerprint : null });
      expect(v.ok).toBe(false);
      expect(v.problems.join('\n')).toMatch(t.message);
      const r = verifyCli(dir, t.expectSiteKey ? ['--expect-fingerprint', paperStyle(signer.fingerprint)] : []);
      expect(r.code, r.out).toBe(1);
      expect(r.out.split('\n').map((l) => l.replace(/^ {2}PROBLEM {2}/, '')).join('\n')).toMatch(t.message);
      expect(r.out).toContain('NOT VERIFIED');
    }, 60_000);
  }

  it('a package re-signed throughout with another key is intact but shows another fingerprint; only --expect-fingerprint refuses it', async () => {
    const { dir, video } = tamperedCopy('forged throughout, no fingerprint given');
    await forgeEverything(dir, video, forger);
    const r = verifyCli(dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(forger.fingerprint);
    expect(r.out).not.toContain(signer.fingerprint);
    expect(r.out).toContain('provenance not checked');
    expect(r.out).toContain('--expect-fingerprint');
  }, 60_000);

  it('the untouched package passes --expect-fingerprint with the fingerprint as printed on paper, in any case and grouping', () => {
    for (const fp of [paperStyle(signer.fingerprint), groupedFingerprint(signer.fingerprint).toUpperCase()]) {
      const r = verifyCli(copyDir, ['--expect-fingerprint', fp]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('RESULT: the package is intact and signed by the expected key');
    }
    expect(normaliseFingerprint(`SHA256:${paperStyle(signer.fingerprint)}`)).toBe(signer.fingerprint);
    expect(normaliseFingerprint(signer.fingerprint.slice(1))).toBeNull();
  }, 60_000);

  it('a fingerprint that is not one is a usage error', () => {
    const r = verifyCli(copyDir, ['--expect-fingerprint', 'not-a-fingerprint']);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('not a SHA-256 fingerprint');
  }, 60_000);
});
