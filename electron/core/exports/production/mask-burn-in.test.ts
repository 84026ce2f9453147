// R7 privacy masks in evidence packages (KRK §6.2-6.3, JON 8-9; docs/design/exports.md "Privacy
// masks in packages"): a burn-in video of a masked camera is filled inside every mask in every
// frame (permanent: black, liftable: grey), the rest of the picture is the same as without masks,
// the manifest names the masks, and production itself refuses to copy a masked camera.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterizeMasks, type MaskShape } from '../../../../shared/privacy-masks';
import { writeRecording } from '../../testing/evidence-package';
import { encodeFmp4 } from '../../testing/ffmpeg-fixtures';
import { decodeEveryFrame, interior, wellOutside, worstFillDeviation, worstMeanDifference, type DecodedVideo } from '../../testing/mask-pixels';
import { noMasks, type ItemMasks, type ProductionJob, type ScopeFile } from '../production-types';
import { MASK_FILL_RGB, maskFill } from './mask-overlay';
import { produceExport } from './produce';
import { ephemeralSigner } from './signing-key';

// 180 rows: not a multiple of the 8-pixel fill blocks, so the last row of blocks is partial.
const W = 320;
const H = 180;
const T0 = Date.UTC(2026, 10, 28, 9, 15, 0);
const FROM = T0 + 500;
const TO = T0 + 3_500;
/** Away from the burned-in clock (top left) and names (bottom left). */
const PERMANENT: MaskShape = { kind: 'permanent', points: [[0.08, 0.3], [0.42, 0.22], [0.38, 0.72], [0.12, 0.62]] };
const LIFTABLE: MaskShape = { kind: 'liftable', points: [[0.6, 0.3], [0.93, 0.41], [0.7, 0.7]] };
/** H.264 at the production's CRF 23 keeps a flat fill within this of its colour (measured: 0 to 12). */
const FILL_TOLERANCE = 16;
const signer = ephemeralSigner();
let tmp: string;
let files: ScopeFile[];
/** The same picture from a camera that sends full-range (JPEG) luma, as many do. */
let fullRangeFiles: ScopeFile[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-masks-'));
  fs.mkdirSync(path.join(tmp, 'rec'));
  files = [writeRecording(path.join(tmp, 'rec'), T0, encodeFmp4(4, `${W}x${H}`))];
  fs.mkdirSync(path.join(tmp, 'rec-full'));
  fullRangeFiles = [writeRecording(path.join(tmp, 'rec-full'), T0, encodeFmp4(4, `${W}x${H}`, ['-pix_fmt', 'yuvj420p']))];
}, 60_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function job(mode: ProductionJob['mode'], masks: ItemMasks, name: string, footage = files): ProductionJob {
  return {
    exportId: 11,
    number: 'EXP-11',
    outDir: path.join(tmp, 'out', name),
    mode,
    caseReference: 'PR 1 Ds. 7/26',
    items: [{ cameraId: 4, cameraName: 'Brama północna', fromMs: FROM, toMs: TO, files: footage, masks }],
    redactions: [],
    manifest: { request: { reference: 'RSOW-11/26' } },
    handover: { producedBy: 'Zofia Wójcik', producedAtMs: T0 + 3_600_000, requestingBody: 'Policja', recipient: 'asp. Nowak', legalBasis: 'art. 217 k.p.k.', purpose: 'Theft', approvedBy: 'Tomáš Dvořák' },
    signer,
    ffmpegPath: 'ffmpeg',
  };
}

async function produced(j: ProductionJob): Promise<{ video: DecodedVideo; manifest: { items: { privacyMasks: unknown }[] } }> {
  const r = await produceExport(j, () => {}, new AbortController().signal);
  const video = decodeEveryFrame(path.join(r.packageDir, r.files[0]!.name));
  return { video, manifest: JSON.parse(fs.readFileSync(path.join(r.packageDir, 'manifest.json'), 'utf8')) as { items: { privacyMasks: unknown }[] } };
}

describe('R7 privacy masks are burned into exported video', () => {
  it('every frame: black inside the permanent mask, grey inside the liftable one, the rest as without masks; the manifest names them', async () => {
    const masks: ItemMasks = { shapes: [PERMANENT, LIFTABLE], versions: [3] };
    const [masked, plain] = await Promise.all([produced(job('burn_in', masks, 'masked')), produced(job('burn_in', noMasks(), 'plain'))]);
    const v = masked.video;
    expect([v.width, v.height]).toEqual([W, H]);
    // The exact range at 25 fps, and the same frames in both.
    expect(Math.abs(v.frames.length - (TO - FROM) / 40)).toBeLessThanOrEqual(1);
    expect(v.frames.length).toBe(plain.video.frames.length);

    // Every pixel the mask covers (rasterized as the renderer does), not only the inner ones.
    const permanentPixels = [...rasterizeMasks([PERMANENT], W, H).entries()].filter(([, c]) => c).map(([i]) => i);
    const liftablePixels = [...rasterizeMasks([LIFTABLE], W, H).entries()].filter(([, c]) => c).map(([i]) => i);
    expect(permanentPixels.length).toBeGreaterThan(3000);
    const black = worstFillDeviation(v, permanentPixels, MASK_FILL_RGB.permanent);
    expect(black.deviation, JSON.stringify(black)).toBeLessThanOrEqual(FILL_TOLERANCE);
    const grey = worstFillDeviation(v, liftablePixels, MASK_FILL_RGB.liftable);
    expect(grey.deviation, JSON.stringify(grey)).toBeLessThanOrEqual(FILL_TOLERANCE);
    // Without masks the same pixels are the test pattern, far from the fill.
    expect(worstFillDeviation(plain.video, interior(rasterizeMasks([PERMANENT], W, H), W, H), MASK_FILL_RGB.permanent).deviation).toBeGreaterThan(100);

    // Two fill blocks away from the fill, the picture is the unmasked production's, within what
    // the encoder's different choices around the fill change.
    const outside = wellOutside(maskFill([PERMANENT, LIFTABLE], W, H), W, H, 16);
    expect(outside.length).toBeGreaterThan(W * H * 0.3);
    const diff = worstMeanDifference(v, plain.video, outside);
    expect(diff.meanAbs, JSON.stringify(diff)).toBeLessThan(2);

    expect(masked.manifest.items[0]!.privacyMasks).toEqual({
      versions: [3],
      permanent: 1,
      liftable: 1,
      shapes: [PERMANENT, LIFTABLE],
      fill: { permanentRgb: [0, 0, 0], liftableRgb: [64, 64, 64], blockPx: 8 },
    });
    expect(plain.manifest.items[0]!.privacyMasks).toEqual({ versions: [], permanent: 0, liftable: 0, shapes: [], fill: null });
  }, 120_000);

  it('a full-range camera: its masks are black too, not the limited-range black shown as dark grey', async () => {
    const { video } = await produced(job('burn_in', { shapes: [PERMANENT], versions: [1] }, 'full-range', fullRangeFiles));
    const pixels = [...rasterizeMasks([PERMANENT], W, H).entries()].filter(([, c]) => c).map(([i]) => i);
    const black = worstFillDeviation(video, pixels, MASK_FILL_RGB.permanent);
    expect(black.deviation, JSON.stringify(black)).toBeLessThanOrEqual(FILL_TOLERANCE);
  }, 60_000);

  it('a masked camera is never copied: production refuses copy mode and writes nothing', async () => {
    const j = job('copy', { shapes: [LIFTABLE], versions: [1] }, 'copy');
    await expect(produceExport(j, () => {}, new AbortController().signal)).rejects.toThrow(/Camera "Brama północna" has privacy masks \(R7\).*burn-in/);
    expect(fs.existsSync(j.outDir)).toBe(false);
  });
});
