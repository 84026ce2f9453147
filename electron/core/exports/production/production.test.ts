// Evidence packages from real footage (docs/design/exports.md "Production", "The package", docs/design/overview.md §7): copy and burn-in videos cover
// exactly the approved range, burn-in and redaction boxes are in the picture, the package verifies
// offline, and each kind of tampering is caught by `export:verify` with a plain message and a
// non-zero exit code. The site key lives in the real OS keychain (npm test runs in with-keyring.sh).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFmp4 } from '../../testing/ffmpeg-fixtures';
import { createKeytarSecretStore } from '../../secrets/secret-store';
import { noMasks, type ProductionJob, type ProductionProgress, type ScopeFile, type Signer } from '../production-types';
import { canonicalJson } from './canonical-json';
import { cameraSlug, produceExport } from './produce';
import { loadOrCreateSigner, SIGNING_KEY_ACCOUNT } from './signing-key';
import { expectVerifiesIntact, verifyCli, writeRecording } from '../../testing/evidence-package';
import { verifyPackage } from './verify';

const W = 640;
const H = 360;
let tmp: string;
let signer: Signer;
let files: ScopeFile[];
const T0 = Date.UTC(2026, 10, 28, 9, 15, 0);
const CAMERA = 'Peron 1 – Łódź Kaliska / Šiaulių g. / Řečkovice';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-prod-'));
  const rec = path.join(tmp, 'rec');
  fs.mkdirSync(rec);
  // File A: 20 s. File B: a new ingest session 10 s later (decode times restart at 0), 20 s.
  files = [writeRecording(rec, T0, encodeFmp4(20, `${W}x${H}`)), writeRecording(rec, T0 + 30_000, encodeFmp4(20, `${W}x${H}`))];
}, 120_000);

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await createKeytarSecretStore({ service: TEST_SERVICE }).delete(SIGNING_KEY_ACCOUNT);
});

const TEST_SERVICE = `operator-console-test-${randomBytes(4).toString('hex')}`;
const FROM = T0 + 3_500;
const TO = T0 + 36_500;

function job(over: Partial<ProductionJob>): ProductionJob {
  return {
    exportId: 7,
    number: 'EXP-7',
    outDir: path.join(tmp, 'out', `pkg-${randomBytes(3).toString('hex')}`),
    mode: 'copy',
    caseReference: 'PR 1 Ds. 118/26',
    items: [{ cameraId: 3, cameraName: CAMERA, fromMs: FROM, toMs: TO, files, masks: noMasks() }],
    redactions: [],
    manifest: { request: { bodyName: 'Komenda Miejska Policji w Łodzi', reference: 'RSOW-1/26' }, approval: { by: 'sup.nowak' } },
    handover: { producedBy: 'Zofia Wójcik', producedAtMs: T0 + 3_600_000, requestingBody: 'Komenda Miejska Policji w Łodzi', recipient: 'asp. Jūratė Žukauskienė', legalBasis: 'art. 217 k.p.k.', purpose: 'Theft at the ticket machine', approvedBy: 'Tomáš Dvořák' },
    signer,
    ffmpegPath: 'ffmpeg',
    ...over,
  };
}

function probe(file: string): { codec: string; durationS: number; width: number } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const j = JSON.parse(r.stdout) as { streams: { codec_name: string; width: number }[]; format: { duration: string } };
  return { codec: j.streams[0]!.codec_name, width: j.streams[0]!.width, durationS: Number(j.format.duration) };
}

/** One decoded frame at `atS`, as 8-bit luma. */
function frameAt(file: string, atS: number): Buffer {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-ss', String(atS), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { maxBuffer: 16 << 20 });
  expect(r.status, r.stderr.toString()).toBe(0);
  expect(r.stdout.length).toBe(W * H);
  return r.stdout;
}

function region(frame: Buffer, fx: number, fy: number, fw: number, fh: number): { mean: number; sd: number } {
  const vals: number[] = [];
  for (let y = Math.round(fy * H); y < Math.round((fy + fh) * H); y++) for (let x = Math.round(fx * W); x < Math.round((fx + fw) * W); x++) vals.push(frame[y * W + x]!);
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  return { mean, sd: Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length) };
}

/** Fraction of the region's pixels whose luma differs by more than 40 between two frames. */
function differing(a: Buffer, b: Buffer, fx: number, fy: number, fw: number, fh: number): number {
  let n = 0;
  let d = 0;
  for (let y = Math.round(fy * H); y < Math.round((fy + fh) * H); y++) {
    for (let x = Math.round(fx * W); x < Math.round((fx + fw) * W); x++) {
      n++;
      if (Math.abs(a[y * W + x]! - b[y * W + x]!) > 40) d++;
    }
  }
  return d / n;
}

describe('site signing key in the OS keychain', () => {
  it('is created once and is the same key next time', async () => {
    const secrets = createKeytarSecretStore({ service: TEST_SERVICE });
    expect(await secrets.get(SIGNING_KEY_ACCOUNT)).toBeNull();
    signer = await loadOrCreateSigner(secrets);
    const stored = await secrets.get(SIGNING_KEY_ACCOUNT);
    expect(stored).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = await loadOrCreateSigner(createKeytarSecretStore({ service: TEST_SERVICE }));
    expect(again.fingerprint).toBe(signer.fingerprint);
    expect(again.publicKeyPem).toBe(signer.publicKeyPem);
    expect(await secrets.get(SIGNING_KEY_ACCOUNT)).toBe(stored);
    // The fingerprint is what openssl prints for the public key's DER.
    const pem = path.join(tmp, 'pub.pem');
    fs.writeFileSync(pem, signer.publicKeyPem);
    const der = spawnSync('openssl', ['pkey', '-pubin', '-in', pem, '-outform', 'DER']);
    expect(spawnSync('sha256sum', { input: der.stdout, encoding: 'utf8' }).stdout.split(' ')[0]).toBe(signer.fingerprint);
  });
});

describe('evidence package', () => {
  let copyDir: string;
  let burnDir: string;

  it('copy mode: H.264 cut at keyframe groups around the range, across a gap and a decode-time restart', async () => {
    const progress: ProductionProgress[] = [];
    const j = job({});
    const r = await produceExport(j, (p) => progress.push(p), new AbortController().signal);
    copyDir = r.packageDir;
    expect(r.files.map((f) => f.name)).toEqual([`video/01-${cameraSlug(CAMERA, 3)}-20261128T091503Z.mp4`]);
    expect(r.files[0]!.name).toBe('video/01-peron-1-lodz-kaliska-siauliu-g-reckovice-20261128T091503Z.mp4');
    const p = probe(path.join(copyDir, r.files[0]!.name));
    expect(p.codec).toBe('h264');
    // Recorded within the range: 20 - 3.5 + 6.5 = 23 s (the 10 s gap is not in the video).
    expect(Math.abs(p.durationS - 23)).toBeLessThanOrEqual(2);
    expect(p.durationS).toBeGreaterThanOrEqual(23);
    expect(progress.at(-1)!.doneMs).toBe(progress.at(-1)!.totalMs);
    expect(fs.readdirSync(copyDir).sort()).toEqual(['README.txt', 'addendum.json', 'addendum.sig', 'handover.pdf', 'manifest.json', 'manifest.sig', 'public-key.pem', 'video']);
    // Private like the data directory, whatever the umask ffmpeg ran with.
    for (const e of fs.readdirSync(copyDir, { recursive: true, withFileTypes: true })) {
      expect((fs.statSync(path.join(e.parentPath, e.name)).mode & 0o777).toString(8), e.name).toBe(e.isDirectory() ? '700' : '600');
    }
    // The signed addendum covers everything the manifest does not, and names the manifest.
    const addendum = JSON.parse(fs.readFileSync(path.join(copyDir, 'addendum.json'), 'utf8')) as { manifest: { sha256: string }; files: { name: string }[] };
    expect(addendum.manifest.sha256).toBe(r.manifestSha256);
    expect(addendum.files.map((f) => f.name).sort()).toEqual(['README.txt', 'handover.pdf', 'public-key.pem']);
    expect(r.signingKeyFingerprint).toBe(signer.fingerprint);
    expect(r.addendumSha256).toMatch(/^[0-9a-f]{64}$/);

    const manifestBytes = fs.readFileSync(path.join(copyDir, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as Record<string, unknown> & { files: unknown[]; tools: { ffmpeg: string }; items: { gaps: unknown[] }[] };
    expect(canonicalJson(manifest).equals(manifestBytes)).toBe(true);
    expect(manifest.files).toEqual(r.files);
    expect(manifest.request).toEqual({ bodyName: 'Komenda Miejska Policji w Łodzi', reference: 'RSOW-1/26' });
    expect(manifest.tools.ffmpeg).toMatch(/^ffmpeg version /);
    expect(manifest.items[0]!.gaps).toEqual([{ fromMs: T0 + 20_000, toMs: T0 + 30_000 }]);

    // The README's OpenSSL command verifies the signature as written.
    const readme = fs.readFileSync(path.join(copyDir, 'README.txt'), 'utf8');
    for (const list of ['manifest', 'addendum']) {
      const args = ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', `${list}.json`, '-sigfile', `${list}.sig`];
      const ossl = spawnSync('openssl', args, { cwd: copyDir, encoding: 'utf8' });
      expect(ossl.stdout).toContain('Signature Verified Successfully');
      expect(readme).toContain(`openssl ${args.join(' ')}`);
    }
    // The README carries the fingerprint and the OpenSSL command that prints it.
    expect(readme).toContain(signer.fingerprint);
    const fpCommand = 'openssl pkey -pubin -in public-key.pem -outform DER | sha256sum';
    expect(readme).toContain(fpCommand);
    expect(spawnSync('sh', ['-c', fpCommand], { cwd: copyDir, encoding: 'utf8' }).stdout.split(' ')[0]).toBe(signer.fingerprint);
    expect(readme).toContain('--expect-fingerprint');

    // The handover record: Polish, Lithuanian and Czech names render; hashes and fingerprint on it.
    const pdfBytes = fs.readFileSync(path.join(copyDir, 'handover.pdf'));
    expect((await PDFDocument.load(pdfBytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    const text = spawnSync('pdftotext', ['-layout', path.join(copyDir, 'handover.pdf'), '-'], { encoding: 'utf8' }).stdout;
    for (const s of ['EXP-7', 'Łódź Kaliska', 'Šiaulių', 'Řečkovice', 'Jūratė Žukauskienė', 'Tomáš Dvořák', 'Zofia Wójcik', r.manifestSha256, signer.fingerprint, r.files[0]!.sha256, 'Handed over by', 'Received by']) {
      expect(text.replace(/\s+/g, ' '), s).toContain(s);
    }
  }, 120_000);

  it('burn-in mode: the exact range, the clock and names burned in, redaction boxes filled and following their keyframes', async () => {
    const r = await produceExport(
      job({
        mode: 'burn_in',
        redactions: [
          { cameraId: 3, label: 'bystander', keyframes: [{ atMs: FROM, x: 0.55, y: 0.3, w: 0.2, h: 0.25 }] },
          { cameraId: 3, label: 'walking', keyframes: [{ atMs: FROM, x: 0.05, y: 0.35, w: 0.1, h: 0.2 }, { atMs: FROM + 10_000, x: 0.25, y: 0.35, w: 0.1, h: 0.2 }] },
          { cameraId: 99, label: 'other camera', keyframes: [{ atMs: FROM, x: 0, y: 0, w: 1, h: 1 }] },
        ],
      }),
      () => {},
      new AbortController().signal,
    );
    burnDir = r.packageDir;
    const video = path.join(burnDir, r.files[0]!.name);
    const p = probe(video);
    expect(p.codec).toBe('h264');
    expect(Math.abs(p.durationS - 23)).toBeLessThanOrEqual(0.2);

    // The same instant (wall clock FROM + 2 s) in both: copy starts at the keyframe 0.5 s earlier.
    const copyVideo = path.join(copyDir, 'video', fs.readdirSync(path.join(copyDir, 'video'))[0]!);
    const copyFrame = frameAt(copyVideo, 2.5);
    const burnFrame = frameAt(video, 2.0);
    // The clock's box in the top-left corner and the names at the bottom-left: the picture differs.
    expect(differing(burnFrame, copyFrame, 0, 0, 0.3, 0.06)).toBeGreaterThan(0.2);
    expect(differing(burnFrame, copyFrame, 0, 0.92, 0.3, 0.08)).toBeGreaterThan(0.2);
    // Elsewhere (away from the boxes and text) the two agree: the same frame was picked.
    expect(differing(burnFrame, copyFrame, 0.4, 0.75, 0.5, 0.1)).toBeLessThan(0.05);
    // The static box is uniformly black; under it the copy has a picture.
    const inside = region(burnFrame, 0.56, 0.31, 0.18, 0.23);
    expect(inside.sd).toBeLessThan(3);
    expect(inside.mean).toBeLessThan(25);
    expect(region(copyFrame, 0.56, 0.31, 0.18, 0.23).sd).toBeGreaterThan(10);
    // The moving box: at FROM + 5 s it is halfway (x = 0.15); at FROM + 10 s at x = 0.25 and stays.
    const mid = frameAt(video, 5.0);
    expect(region(mid, 0.16, 0.36, 0.08, 0.18).sd).toBeLessThan(3);
    const late = frameAt(video, 15.0);
    expect(region(late, 0.26, 0.36, 0.08, 0.18).sd).toBeLessThan(3);
    expect(region(late, 0.06, 0.36, 0.08, 0.18).sd).toBeGreaterThan(3);
    expect((await verifyPackage(burnDir)).ok).toBe(true);
  }, 180_000);

  it('an untouched package verifies: exit code 0 and the fingerprint printed', () => {
    expectVerifiesIntact(copyDir, signer.fingerprint);
  }, 60_000);

  const tamperings: { name: string; tamper: (dir: string, video: string) => Promise<void> | void; message: RegExp }[] = [
    {
      name: 'one byte of a video changed',
      tamper: (_dir, video) => {
        const b = fs.readFileSync(video);
        const i = Math.floor(b.length / 2);
        b[i] = b[i]! ^ 0x01;
        fs.writeFileSync(video, b);
      },
      message: /video\/01-[^:]+\.mp4: changed \(SHA-256 differs\)/,
    },
    {
      name: 'one byte of the manifest changed',
      tamper: (dir) => {
        const f = path.join(dir, 'manifest.json');
        fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"EXP-7"', '"EXP-8"'));
      },
      message: /manifest\.sig: signature does not match the manifest/,
    },
    { name: 'a video deleted', tamper: (_dir, video) => fs.rmSync(video), message: /video\/01-[^:]+\.mp4: missing file/ },
    {
      name: 'the signature swapped for one of another manifest',
      tamper: async (dir) => fs.writeFileSync(path.join(dir, 'manifest.sig'), await signer.sign(Buffer.from('{"export":"EXP-6"}\n'))),
      message: /manifest\.sig: signature does not match the manifest/,
    },
    { name: 'an extra file in video/', tamper: (dir) => fs.writeFileSync(path.join(dir, 'video', '02-extra.mp4'), 'x'), message: /video\/02-extra\.mp4: not listed in the manifest/ },
  ];
  for (const t of tamperings) {
    it(`tampering is caught: ${t.name}`, async () => {
      const dir = path.join(tmp, 'tampered', t.name.replace(/\W+/g, '-'));
      fs.cpSync(copyDir, dir, { recursive: true });
      const video = path.join(dir, 'video', fs.readdirSync(path.join(dir, 'video'))[0]!);
      await t.tamper(dir, video);
      const v = await verifyPackage(dir);
      expect(v.ok).toBe(false);
      expect(v.problems.join('\n')).toMatch(t.message);
      const r = verifyCli(dir);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(t.message);
      expect(r.out).toContain('NOT VERIFIED');
    }, 60_000);
  }

  it('usage errors exit with 2', () => {
    expect(verifyCli(path.join(tmp, 'no-such-package')).code).toBe(2);
  }, 60_000);

  it('cancelling mid-way stops ffmpeg and removes the partial package', async () => {
    const ac = new AbortController();
    const j = job({ mode: 'burn_in' });
    let sawProgress = false;
    const run = produceExport(
      j,
      (p) => {
        if (p.doneMs > 0 && !sawProgress) {
          sawProgress = true;
          ac.abort();
        }
      },
      ac.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError', message: expect.stringContaining('cancelled') as unknown });
    expect(sawProgress).toBe(true);
    expect(fs.existsSync(j.outDir)).toBe(false);
  }, 120_000);

  it('refuses to write over an existing folder', async () => {
    const outDir = path.join(tmp, 'exists');
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'keep'), 'x');
    await expect(produceExport(job({ outDir }), () => {}, new AbortController().signal)).rejects.toThrow(/exists already/);
    expect(fs.existsSync(path.join(outDir, 'keep'))).toBe(true);
  });
});
