// Production of an evidence package (docs/design/exports.md "Production", "The package", docs/design/overview.md §7): one MP4 per approved item, cut at
// keyframe groups from the recording files (copy) or re-encoded with the time, camera and case
// reference burned in, the camera's privacy masks filled and redaction boxes applied (burn_in; a
// camera with privacy masks is never copied, R7: a copy carries its unmasked picture); then
// manifest.json and its Ed25519 signature, README.txt, the public key, the handover record, and
// the signed addendum that lists those three (package-layout.ts). Production knows nothing of users
// or permissions: the request side (exports-service.ts) hands it an approved, resolved scope.
//
// Live view comes first: ffmpeg runs at nice 10 (under SCHED_IDLE where chrt exists) and, when
// re-encoding, on one thread.
// Invariant: the package folder exists only complete; on failure or cancellation it is removed.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ProducedFile, ProductionJob, ProductionProgress, ProductionResult, ScopeItem } from '../production-types';
import { BURN_IN_FONT, burnInGraph } from './burn-in';
import { manifestMasks, maskedCopyRefusal, maskOverlay, type MaskOverlay } from './mask-overlay';
import { canonicalJson } from './canonical-json';
import { sha256File } from './hash';
import { itemStream, readRange } from './feed';
import { handoverPdf } from './handover-pdf';
import { packageReadme } from './readme';
import { ADDENDUM_FILE, ADDENDUM_SIG_FILE, addendumBytes, HANDOVER_PDF_FILE, MANIFEST_FILE, MANIFEST_SIG_FILE, producedFile, PUBLIC_KEY_FILE, README_FILE, signatureBlock } from './package-layout';
import { planItem, type ItemPlan } from './scope-plan';
import { parseInit } from '../../media/fmp4';

/** Thrown when the signal aborts production; `name` is 'AbortError' like the platform's. */
export class ExportCancelledError extends Error {
  override readonly name = 'AbortError';
}

export const FFMPEG_NICE = 10;
/** util-linux chrt: with it, ffmpeg runs under SCHED_IDLE (it gets a core only when nothing else
 *  wants it), which protects live view better than nice alone on a saturated 2-core machine. */
const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((p) => existsSync(p)) ?? null;
const STDERR_KEEP = 4000;

/** ASCII file-name part for a camera: diacritics dropped (Łódź → lodz), others → '-'. */
export function cameraSlug(name: string, cameraId: number): string {
  const folded = name
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .replace(/[øØ]/g, 'o')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return folded || `camera-${cameraId}`;
}

/** 2026-11-28T10:15:00.000Z → 20261128T101500Z */
export function isoCompact(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function videoName(index: number, item: Pick<ScopeItem, 'cameraName' | 'cameraId' | 'fromMs'>): string {
  return `video/${String(index + 1).padStart(2, '0')}-${cameraSlug(item.cameraName, item.cameraId)}-${isoCompact(item.fromMs)}.mp4`;
}

export function systemTimeZone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

async function ffmpegVersion(ffmpegPath: string): Promise<string> {
  const { stdout } = await promisify(execFile)(ffmpegPath, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
  return stdout.split('\n')[0]?.trim() ?? 'unknown';
}

interface RunOpts {
  job: ProductionJob;
  args: string[];
  input: AsyncIterable<Buffer>;
  signal: AbortSignal;
  onOutTimeMs: (ms: number) => void;
}

/** Runs ffmpeg niced, feeding stdin, reading `-progress pipe:1`; rejects with its stderr tail. */
async function runFfmpeg({ job, args, input, signal, onOutTimeMs }: RunOpts): Promise<void> {
  signal.throwIfAborted();
  const ffArgs = ['-hide_banner', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', ...args];
  // chrt execs ffmpeg in its own process: the pid, the signals and the exit code are ffmpeg's.
  const child: ChildProcess = CHRT ? spawn(CHRT, ['--idle', '0', job.ffmpegPath, ...ffArgs], { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(job.ffmpegPath, ffArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    if (child.pid !== undefined) os.setPriority(child.pid, FFMPEG_NICE);
  } catch {
    // Not permitted (or the process is gone already): it runs at normal priority.
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (m) onOutTimeMs(Number(m[1]) / 1000);
    }
  });
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve({ code, sig }));
  });
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  try {
    const fed = pipeline(Readable.from(input), child.stdin!).then(
      () => null,
      (err: unknown) => err,
    );
    const [feedErr, { code, sig }] = await Promise.all([fed, exited]);
    signal.throwIfAborted();
    if (code !== 0) throw new Error(`ffmpeg failed (${code ?? sig}): ${stderr.trim() || 'no message'}`);
    // ffmpeg succeeded but we could not give it everything: the index promised bytes we lack.
    if (feedErr && (feedErr as NodeJS.ErrnoException).code !== 'EPIPE') throw feedErr instanceof Error ? feedErr : new Error(String(feedErr));
    if (feedErr) throw new Error(`ffmpeg stopped reading the footage early: ${stderr.trim() || 'no message'}`);
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}

interface ItemOutput {
  name: string;
  plan: ItemPlan;
  outputMs: number;
  detail: Record<string, unknown>;
}

/** Produces the evidence package of an approved job. See the file comment. */
export async function produceExport(job: ProductionJob, onProgress: (p: ProductionProgress) => void, signal: AbortSignal): Promise<ProductionResult> {
  signal.throwIfAborted();
  if (job.items.length === 0) throw new Error(`${job.number}: nothing to produce (no items)`);
  // The request side refuses this already (export-production.ts); this is the last line before a byte is copied.
  const masked = job.mode === 'copy' ? job.items.filter((i) => i.masks.shapes.length > 0) : [];
  if (masked.length > 0) throw new Error(`${job.number}: ${maskedCopyRefusal([...new Set(masked.map((i) => i.cameraName))])}`);
  if (job.mode === 'burn_in') {
    try {
      await access(BURN_IN_FONT);
    } catch {
      throw new Error(`burn-in needs the font ${BURN_IN_FONT}: install Debian's fonts-dejavu-core`);
    }
  }
  const plans = job.items.map((item) => {
    const plan = planItem(item);
    if (plan.files.length === 0) throw new Error(`${job.number}: no recording of ${item.cameraName} between ${new Date(item.fromMs).toISOString()} and ${new Date(item.toMs).toISOString()}`);
    return plan;
  });
  await mkdir(path.dirname(job.outDir), { recursive: true, mode: 0o700 });
  try {
    await mkdir(job.outDir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${job.outDir} exists already; a package is never written over another`, { cause: err });
    throw err;
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'export-'));
  try {
    return await produceInto(job, plans, work, onProgress, signal);
  } catch (err) {
    await rm(job.outDir, { recursive: true, force: true });
    if (signal.aborted) throw new ExportCancelledError(`${job.number}: production cancelled; the partial package was removed`, { cause: err });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function produceInto(job: ProductionJob, plans: ItemPlan[], work: string, onProgress: (p: ProductionProgress) => void, signal: AbortSignal): Promise<ProductionResult> {
  const versionP = ffmpegVersion(job.ffmpegPath);
  await mkdir(path.join(job.outDir, 'video'), { mode: 0o700 });
  const timeZone = systemTimeZone();

  // Expected output length of every item, for progress.
  const outputs: ItemOutput[] = [];
  const graphs: (ReturnType<typeof burnInGraph> | null)[] = [];
  const overlays: (MaskOverlay | null)[] = [];
  for (const [i, item] of job.items.entries()) {
    const plan = plans[i]!;
    const name = videoName(i, item);
    let graph: ReturnType<typeof burnInGraph> | null = null;
    let overlay: MaskOverlay | null = null;
    if (job.mode === 'burn_in') {
      const init = parseInit(await readRange(plan.files[0]!.file.path, 0, plan.files[0]!.file.initBytes));
      // Rasterized for the picture's size in the recording's sample description; the graph brings
      // the decoded picture to that size, so the masks land where they were drawn.
      overlay = maskOverlay(item.masks.shapes, init.width, init.height);
      if (item.masks.shapes.length > 0 && !overlay) throw new Error(`${job.number}: the privacy masks of ${item.cameraName} cover no pixel of its ${init.width}x${init.height} picture`);
      const g0 = plan.files[0]!.gops;
      const frameMs = Math.max(10, Math.min(200, (g0[0]?.durationMs ?? 1000) / 25));
      graph = burnInGraph({
        plan,
        fromMs: item.fromMs,
        toMs: item.toMs,
        redactions: job.redactions.filter((r) => r.cameraId === item.cameraId),
        labelFile: path.join(work, `label-${i}.txt`),
        commandsFile: path.join(work, `commands-${i}.txt`),
        cameraName: item.cameraName,
        caseReference: job.caseReference,
        height: init.height,
        frameMs,
        masks: overlay && { input: 1, x: overlay.x, y: overlay.y, pictureWidth: init.width, pictureHeight: init.height },
      });
    }
    graphs.push(graph);
    overlays.push(overlay);
    const outputMs = graph ? graph.outputMs : plan.totalOutMs;
    outputs.push({
      name,
      plan,
      outputMs,
      detail: {
        file: name,
        cameraId: item.cameraId,
        cameraName: item.cameraName,
        fromMs: item.fromMs,
        toMs: item.toMs,
        // What the video actually covers: whole keyframe groups in copy mode, the range in burn-in.
        coveredFromMs: graph ? Math.max(item.fromMs, plan.coveredFromMs) : plan.coveredFromMs,
        coveredToMs: graph ? Math.min(item.toMs, plan.coveredToMs) : plan.coveredToMs,
        gaps: plan.gaps,
        recordingFiles: plan.files.length,
        privacyMasks: manifestMasks(item.masks, overlay !== null),
      },
    });
  }
  const totalMs = outputs.reduce((s, o) => s + o.outputMs, 0);
  let doneBeforeMs = 0;
  const t0 = performance.now();
  const report = (doneMs: number) => {
    const elapsed = performance.now() - t0;
    const d = Math.min(totalMs, Math.max(0, doneMs));
    onProgress({ doneMs: d, totalMs, etaMs: d > 0 && elapsed > 0 ? Math.round(((totalMs - d) * elapsed) / d) : null });
  };
  report(0);

  const files: ProducedFile[] = [];
  for (const [i, item] of job.items.entries()) {
    const out = outputs[i]!;
    const graph = graphs[i]!;
    const target = path.join(job.outDir, out.name);
    const common = ['-f', 'mp4', '-i', 'pipe:0'];
    let args: string[];
    if (graph) {
      const script = path.join(work, `graph-${i}.txt`);
      await writeFile(script, graph.graph);
      await writeFile(path.join(work, `commands-${i}.txt`), graph.commands);
      await writeFile(path.join(work, `label-${i}.txt`), graph.labelText);
      const overlay = overlays[i];
      const maskInput: string[] = [];
      if (overlay) {
        const file = path.join(work, `mask-${i}.rgba`);
        await writeFile(file, overlay.rgba);
        maskInput.push('-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${overlay.width}x${overlay.height}`, '-i', file);
      }
      args = [
        '-threads', '1', ...common, ...maskInput,
        '-filter_complex_threads', '1', '-filter_complex_script', script, '-map', '[v]',
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-threads', '1',
        '-metadata', `title=${job.number} ${item.cameraName}`, '-movflags', '+faststart', '-f', 'mp4', target,
      ];
    } else {
      args = [...common, '-map', '0:v:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', target];
    }
    await runFfmpeg({ job, args, input: itemStream(out.plan.files, signal), signal, onOutTimeMs: (ms) => report(doneBeforeMs + Math.min(ms, out.outputMs)) });
    doneBeforeMs += out.outputMs;
    report(doneBeforeMs);
    // ffmpeg creates the file with the process umask; the package is private like the data dir.
    await chmod(target, 0o600);
    const { sha256, bytes } = await sha256File(target);
    files.push({ name: out.name, sha256, bytes });
  }
  signal.throwIfAborted();

  const manifest = {
    ...job.manifest,
    export: job.number,
    mode: job.mode,
    caseReference: job.caseReference,
    items: outputs.map((o) => o.detail),
    redactions: job.redactions,
    timeZone,
    files,
    producedAtMs: job.handover.producedAtMs,
    tools: { ffmpeg: await versionP },
    auditCheckpoint: job.auditCheckpoint ?? null,
    signature: signatureBlock(MANIFEST_SIG_FILE, job.signer.fingerprint),
    addendum: { file: ADDENDUM_FILE, signature: ADDENDUM_SIG_FILE },
  };
  const manifestBytes = canonicalJson(manifest);
  const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
  const put = (name: string, data: Buffer | string) => writeFile(path.join(job.outDir, name), data, { mode: 0o600 });
  await put(MANIFEST_FILE, manifestBytes);
  await put(MANIFEST_SIG_FILE, await job.signer.sign(manifestBytes));
  // The rest, then the addendum that lists it (package-layout.ts): the handover record carries the
  // manifest's hash, so only a second signed list can cover it.
  const documents: [string, Buffer | string][] = [
    [README_FILE, packageReadme({ number: job.number, fingerprint: job.signer.fingerprint, files, timeZone, mode: job.mode })],
    [PUBLIC_KEY_FILE, job.signer.publicKeyPem],
    [HANDOVER_PDF_FILE, await handoverPdf(job, files, manifestSha256)],
  ];
  for (const [name, data] of documents) await put(name, data);
  const addendum = addendumBytes({ number: job.number, manifestSha256, files: documents.map(([name, data]) => producedFile(name, data)), fingerprint: job.signer.fingerprint });
  await put(ADDENDUM_FILE, addendum);
  await put(ADDENDUM_SIG_FILE, await job.signer.sign(addendum));
  signal.throwIfAborted();
  return {
    packageDir: job.outDir,
    files,
    manifestSha256,
    addendumSha256: createHash('sha256').update(addendum).digest('hex'),
    signingKeyFingerprint: job.signer.fingerprint,
  };
}
