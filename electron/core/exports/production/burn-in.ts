// The burn-in filter graph (docs/design/exports.md "Production"): the camera's privacy masks, then
// redaction boxes, then the wall-clock time of every frame, the camera name and the case reference,
// then an exact trim to the requested range.
//
// Privacy masks (R7; KRK §6.2-6.3, JON 8-9; docs/design/exports.md "Privacy masks in packages"):
// every mask in force while the footage was recorded and every current one is filled, before
// anything else is drawn, from a picture the engine rasterized (mask-overlay.ts: ffmpeg 5.1 has no
// polygon fill) given to ffmpeg as a second input and laid over every frame. The picture is first
// brought to the size the masks were rasterized for and to limited-range 4:2:0, so a full-range
// camera's black is black too.
//
// Time zone: the clock shows the local time of the engine's machine (its TZ, else /etc/localtime)
// with the zone's abbreviation (e.g. "2026-03-29 03:00:00 CEST"), computed per frame, so a
// daylight-saving change inside the range is shown as it happened. The manifest records the zone.
//
// Redaction boxes are filled black (not blurred: a blur can sometimes be partly undone). A box
// follows its keyframes linearly and holds its first and last position before and after them,
// so a box never uncovers early or late; boxes are moved by sendcmd commands, one per frame
// interval while a box moves.
import type { RedactionBox } from '../../../../shared/contract/exports';
import { outMsOfWall, wallMsOfOut, type ItemPlan } from './scope-plan';

export const BURN_IN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

/** A value inside '...' in a filter graph: nothing in it can be escaped, so a quote is refused. */
function quoted(v: string): string {
  if (v.includes("'")) throw new Error(`cannot quote ${JSON.stringify(v)} in a filter graph`);
  return `'${v}'`;
}

/** The mask overlay (mask-overlay.ts): ffmpeg's input number `input`, laid at x, y of the picture,
 *  which is pictureWidth x pictureHeight (the size the masks were rasterized for). */
export interface MaskLayer {
  input: number;
  x: number;
  y: number;
  pictureWidth: number;
  pictureHeight: number;
}

export interface BurnInGraph {
  /** -filter_complex_script text: input [0:v] (and the mask layer's input), output [v]. */
  graph: string;
  /** sendcmd file (may be empty). */
  commands: string;
  /** What the text file (camera name, case reference) must contain. */
  labelText: string;
  /** Output length after the trim, ms. */
  outputMs: number;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function boxAt(box: RedactionBox, wallMs: number): Rect {
  const k = box.keyframes;
  if (wallMs <= k[0]!.atMs) return k[0]!;
  for (let i = 1; i < k.length; i++) {
    const a = k[i - 1]!;
    const b = k[i]!;
    if (wallMs <= b.atMs) {
      const f = b.atMs === a.atMs ? 1 : (wallMs - a.atMs) / (b.atMs - a.atMs);
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
    }
  }
  return k.at(-1)!;
}

/** drawbox arguments for a box in fractions of the picture, clamped inside it. */
function rectArgs(r: Rect): { x: string; y: string; w: string; h: string } {
  const x = Math.min(Math.max(r.x, 0), 1);
  const y = Math.min(Math.max(r.y, 0), 1);
  const w = Math.min(r.w, 1 - x);
  const h = Math.min(r.h, 1 - y);
  // Round outwards to whole pixels: floor the corner, ceil the size (+1 covers the rounding).
  return { x: `floor(iw*${x.toFixed(5)})`, y: `floor(ih*${y.toFixed(5)})`, w: `ceil(iw*${w.toFixed(5)})+1`, h: `ceil(ih*${h.toFixed(5)})+1` };
}

export function burnInGraph(opts: {
  plan: ItemPlan;
  fromMs: number;
  toMs: number;
  redactions: readonly RedactionBox[];
  labelFile: string;
  commandsFile: string;
  cameraName: string;
  caseReference: string;
  height: number;
  frameMs: number;
  /** The camera's privacy masks, or null when it has none. */
  masks: MaskLayer | null;
}): BurnInGraph {
  const { plan } = opts;
  const startS = outMsOfWall(plan, opts.fromMs) / 1000;
  const endS = outMsOfWall(plan, opts.toMs) / 1000;
  const filters: string[] = [];
  const commands: string[] = [];
  opts.redactions.forEach((box, i) => {
    const name = `drawbox@r${i}`;
    const at0 = rectArgs(boxAt(box, wallMsOfOut(plan, 0)));
    filters.push(`${name}=x=${at0.x}:y=${at0.y}:w=${at0.w}:h=${at0.h}:color=black:t=fill`);
    // One command per frame interval while the box moves (or the clock jumps across a gap).
    let last = JSON.stringify(at0);
    for (let t = 0; t < plan.totalOutMs; t += opts.frameMs) {
      const r = rectArgs(boxAt(box, wallMsOfOut(plan, t)));
      const key = JSON.stringify(r);
      if (key === last) continue;
      last = key;
      commands.push(`${(t / 1000).toFixed(3)} ${name} x ${r.x}, ${name} y ${r.y}, ${name} w ${r.w}, ${name} h ${r.h};`);
    }
  });
  const fontSize = Math.max(12, Math.round(opts.height / 26));
  const pad = Math.round(fontSize / 2);
  const common = `fontfile=${quoted(BURN_IN_FONT)}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=${Math.round(fontSize / 4)}`;
  opts.plan.runs.forEach((r, i) => {
    const last = i === opts.plan.runs.length - 1;
    // %{pts:localtime:OFFSET:FORMAT}: OFFSET (s, fractions allowed) is added to the frame time.
    const epochS = (r.epochMs / 1000).toFixed(3);
    filters.push(`drawtext=${common}:x=${pad}:y=${pad}:text='%{pts\\:localtime\\:${epochS}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S %Z}':enable='gte(t,${(r.outStartMs / 1000).toFixed(3)})*lt(t,${last ? '1e9' : (r.outEndMs / 1000).toFixed(3)})'`);
  });
  // Names are user text: from a file, with expansion off, so no character is special.
  filters.push(`drawtext=${common}:x=${pad}:y=h-th-${pad}:expansion=none:textfile=${quoted(opts.labelFile)}`);
  filters.push(`trim=start=${startS.toFixed(3)}:end=${endS.toFixed(3)}`, 'setpts=PTS-STARTPTS');
  const chain = commands.length > 0 ? [`sendcmd=f=${quoted(opts.commandsFile)}`, ...filters] : filters;
  return {
    graph: `${maskPrefix(opts.masks)}${chain.join(',')}[v]\n`,
    commands: commands.join('\n') + '\n',
    labelText: `${opts.cameraName}\n${opts.caseReference}`,
    outputMs: Math.max(0, (endS - startS) * 1000),
  };
}

/**
 * The start of the graph: [0:v] itself, or [0:v] with the masks laid over it. The overlay is one
 * picture (a single frame): overlay repeats it over every frame to the end (eof_action=repeat).
 */
function maskPrefix(m: MaskLayer | null): string {
  if (!m) return '[0:v]';
  for (const v of [m.input, m.x, m.y, m.pictureWidth, m.pictureHeight]) if (!Number.isInteger(v) || v < 0) throw new Error(`mask layer: ${v} is not a pixel position`);
  return (
    `[0:v]scale=w=${m.pictureWidth}:h=${m.pictureHeight},format=yuv420p[base];` +
    `[${m.input}:v]format=yuva420p[mask];` +
    `[base][mask]overlay=x=${m.x}:y=${m.y}:format=yuv420:eof_action=repeat[masked];[masked]`
  );
}
