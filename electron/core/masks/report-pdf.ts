// The data protection officer's report of every camera's privacy masks (R7; KRK §6.2-6.3, JON 8-9;
// docs/design/privacy-masks.md "The data protection officer's report"): a title page with the rule
// it serves and a summary, then every camera, also those without masks (no masks is a finding too),
// with the masks in force drawn as outlines in a 16:9 frame (never a picture: the report shows what
// is hidden, not the scene), since when, who and why, and the earlier versions. A-4, in the
// requested language; DejaVu Sans is embedded as in the handover record, so Polish, Lithuanian and
// Czech letters render (pdf-lib's standard fonts only cover WinAnsi).
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type PDFPageDrawSVGOptions, type RGB } from 'pdf-lib';
import type { MaskVersionView } from '../../../shared/contract';
import { AREA_TYPES, type AreaType } from '../../../shared/cameras';
import type { Language } from '../../../shared/i18n-languages';
import { maskBounds, type MaskKind } from '../../../shared/privacy-masks';
import { PDF_FONT } from '../exports/production/handover-pdf';
import { REPORT_STRINGS, reportDateTime, type ReportStrings } from './report-strings';

export const PDF_FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface ReportCamera {
  name: string;
  site: string;
  group: string;
  purpose: string;
  areaType: string;
  enabled: boolean;
  /** Masking at the source (docs/design/privacy-masks.md): the engine burns the permanent masks in before recording. */
  maskAtSource: boolean;
  /** Every version, oldest first (the one in force last); empty when the camera never had masks. */
  versions: readonly MaskVersionView[];
}

export interface MaskReportInput {
  language: Language;
  /** The site's zone (IANA): every time in the report is local to it. */
  timeZone: string;
  generatedAtMs: number;
  generatedBy: string;
  /** How a version's author is named: "display name (user name)" when the account is known. */
  nameOf: (username: string) => string;
  cameras: readonly ReportCamera[];
}

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 50;
const WIDTH = A4.w - 2 * MARGIN;
const FOOTER_Y = 28;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.75, 0.75, 0.75);
/** The outline drawing: a 16:9 frame. */
const FRAME = { w: 176, h: 99 };

/** Widths of words at size 1 per font: measuring an embedded font runs its shaper, the costliest step of the layout. */
const widthCache = new WeakMap<PDFFont, Map<string, number>>();
function widthOf(font: PDFFont, s: string, size: number): number {
  let cache = widthCache.get(font);
  if (!cache) widthCache.set(font, (cache = new Map()));
  let w = cache.get(s);
  if (w === undefined) cache.set(s, (w = font.widthOfTextAtSize(s, 1)));
  return w * size;
}

/** Wraps text to a width at spaces, or anywhere inside a word longer than the width. A line is
 *  measured as the sum of its words and spaces (no kerning across a space in DejaVu Sans). */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  const space = widthOf(font, ' ', size);
  for (const para of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of para.split(' ')) {
      const wordWidth = widthOf(font, word, size);
      const candidateWidth = line === '' ? wordWidth : lineWidth + space + wordWidth;
      if (candidateWidth <= width) {
        line = line === '' ? word : `${line} ${word}`;
        lineWidth = candidateWidth;
        continue;
      }
      if (line !== '') out.push(line);
      let rest = word;
      while (rest.length > 1 && font.widthOfTextAtSize(rest, size) > width) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
      lineWidth = font.widthOfTextAtSize(rest, size);
    }
    out.push(line);
  }
  return out;
}

interface Column {
  header: string;
  width: number;
}

/** A flowing writer over A-4 pages: text that wraps and breaks pages, and simple tables. */
class Writer {
  page: PDFPage;
  y = A4.h - MARGIN;

  constructor(
    readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = pdf.addPage([A4.w, A4.h]);
  }

  newPage(): void {
    this.page = this.pdf.addPage([A4.w, A4.h]);
    this.y = A4.h - MARGIN;
  }

  /** Starts a new page unless `heightPt` still fits above the footer. */
  ensure(heightPt: number): boolean {
    if (this.y - heightPt >= MARGIN) return false;
    this.newPage();
    return true;
  }

  text(s: string, o: { size?: number; bold?: boolean; colour?: RGB; x?: number; width?: number; gap?: number } = {}): void {
    const size = o.size ?? 10;
    const font = o.bold ? this.bold : this.font;
    const x = o.x ?? MARGIN;
    for (const line of wrap(s, font, size, o.width ?? MARGIN + WIDTH - x)) {
      this.ensure(size * 1.35);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: o.colour ?? INK });
      this.y -= size * 1.35;
    }
    this.y -= o.gap ?? 0;
  }

  /** A label in small grey letters and its value under it. */
  field(label: string, value: string, x = MARGIN, width = WIDTH): void {
    this.text(label, { size: 7.5, colour: GREY, x, width });
    this.text(value || '—', { size: 10, x, width, gap: 4 });
  }

  rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + WIDTH, y: this.y }, thickness: 0.5, color: RULE });
  }

  /** A table whose cells wrap; the header is repeated on every page the table reaches. */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], size = 8.5): void {
    const line = size * 1.3;
    const header = () => {
      let x = MARGIN;
      const heights = columns.map((c) => wrap(c.header, this.bold, size, c.width - 6).length);
      const h = Math.max(...heights) * line + 4;
      for (const c of columns) {
        wrap(c.header, this.bold, size, c.width - 6).forEach((l, i) => this.page.drawText(l, { x, y: this.y - size - i * line, size, font: this.bold, color: INK }));
        x += c.width;
      }
      this.y -= h;
      this.rule();
      this.y -= 3;
    };
    this.ensure(line * 3);
    header();
    for (const row of rows) {
      const cells = row.map((cell, i) => wrap(cell, this.font, size, columns[i]!.width - 6));
      const h = Math.max(...cells.map((c) => c.length)) * line + 3;
      if (this.ensure(h)) header();
      let x = MARGIN;
      cells.forEach((lines, i) => {
        lines.forEach((l, j) => this.page.drawText(l, { x, y: this.y - size - j * line, size, font: this.font, color: INK }));
        x += columns[i]!.width;
      });
      this.y -= h;
    }
  }
}

/** Permanent masks solid, liftable ones light with a dashed edge, as the editor tells them apart. */
const MASK_STYLE: Record<MaskKind, PDFPageDrawSVGOptions> = {
  permanent: { color: INK, opacity: 0.85, borderColor: INK, borderWidth: 0.6 },
  liftable: { color: rgb(0.55, 0.55, 0.55), opacity: 0.4, borderColor: rgb(0.2, 0.2, 0.2), borderWidth: 0.8, borderDashArray: [3, 2] },
};

/** The outlines of a version's masks in a 16:9 frame whose top-left corner is (x, top), numbered as listed. */
function drawMasks(page: PDFPage, font: PDFFont, masks: MaskVersionView['masks'], x: number, top: number): void {
  page.drawRectangle({ x, y: top - FRAME.h, width: FRAME.w, height: FRAME.h, color: rgb(0.96, 0.96, 0.96), borderColor: GREY, borderWidth: 0.8 });
  masks.forEach((m, i) => {
    const path = m.points.map(([px, py], j) => `${j === 0 ? 'M' : 'L'} ${(px * FRAME.w).toFixed(2)} ${(py * FRAME.h).toFixed(2)}`).join(' ') + ' Z';
    page.drawSvgPath(path, { x, y: top, ...MASK_STYLE[m.kind] });
    // The number in the middle of the outline's bounds, as the list names it.
    const b = maskBounds(m.points);
    const label = String(i + 1);
    const size = 7;
    const cx = x + (b.x + b.w / 2) * FRAME.w;
    const cy = top - (b.y + b.h / 2) * FRAME.h;
    page.drawCircle({ x: cx, y: cy, size: 5.5, color: rgb(1, 1, 1), opacity: 0.9, borderColor: INK, borderWidth: 0.4 });
    page.drawText(label, { x: cx - font.widthOfTextAtSize(label, size) / 2, y: cy - size * 0.36, size, font, color: INK });
  });
}

function areaName(s: ReportStrings, areaType: string): string {
  return areaType in AREA_TYPES ? s.area[areaType as AreaType] : areaType;
}

function titlePage(w: Writer, s: ReportStrings, input: MaskReportInput, at: (ms: number) => string): void {
  const sites = [...new Set(input.cameras.map((c) => c.site).filter((x) => x !== ''))].sort((a, b) => a.localeCompare(b, s.locale));
  w.text(s.title, { size: 20, bold: true, gap: 2 });
  w.text(s.subtitle, { size: 13, colour: GREY, gap: 14 });
  w.field(s.sites, sites.join(', '));
  w.field(s.generated, `${at(input.generatedAtMs)}, ${input.nameOf(input.generatedBy)}`);
  w.text(s.timeZone(input.timeZone), { size: 8.5, colour: GREY, gap: 12 });

  w.text(s.ruleHeading, { size: 12, bold: true, gap: 3 });
  w.text(s.rule, { size: 9.5, gap: 10 });
  w.text(s.kindsHeading, { size: 12, bold: true, gap: 4 });
  for (const kind of ['permanent', 'liftable'] as const) {
    w.ensure(30);
    const top = w.y;
    w.page.drawSvgPath('M 0 0 L 28 0 L 28 16 L 0 16 Z', { x: MARGIN, y: top, ...MASK_STYLE[kind] });
    w.text(`${s.kind[kind]}: ${s.kindHint[kind]}`, { size: 9.5, x: MARGIN + 38 });
    w.y = Math.min(w.y, top - 18) - 6;
  }
  w.text(s.versionsRule, { size: 9.5, gap: 12 });

  const current = input.cameras.map((c) => c.versions.at(-1)?.masks ?? []);
  const all = current.flat();
  w.text(s.summaryHeading, { size: 12, bold: true, gap: 3 });
  w.text(
    s.summary({
      cameras: input.cameras.length,
      masked: current.filter((m) => m.length > 0).length,
      unmasked: current.filter((m) => m.length === 0).length,
      permanent: all.filter((m) => m.kind === 'permanent').length,
      liftable: all.filter((m) => m.kind === 'liftable').length,
    }),
    { size: 9.5, gap: 6 },
  );
  const c = s.columns;
  w.table(
    [
      { header: c.camera, width: 150 },
      { header: c.group, width: 105 },
      { header: c.masks, width: 45 },
      { header: c.version, width: 45 },
      { header: c.atSource, width: 60 },
      { header: c.since, width: WIDTH - 405 },
    ],
    input.cameras.map((cam) => {
      const v = cam.versions.at(-1);
      return [cam.name, cam.group, String(v?.masks.length ?? 0), v ? String(v.version) : '—', cam.maskAtSource ? s.atSource.yes : s.atSource.no, v ? at(v.createdAtMs) : '—'];
    }),
  );
}

function cameraSection(w: Writer, s: ReportStrings, input: MaskReportInput, cam: ReportCamera, at: (ms: number) => string): void {
  // The name, the fields, the version in force and the drawing stay together on one page.
  if (!w.ensure(cam.versions.at(-1)?.masks.length ? 330 : 180) && w.y < A4.h - MARGIN - 1) {
    w.y -= 6;
    w.rule();
    w.y -= 14;
  }
  w.text(cam.name, { size: 14, bold: true, gap: 4 });
  const half = WIDTH / 2;
  const rowTop = w.y;
  w.field(s.field.group, cam.group, MARGIN, half - 10);
  const leftEnd = w.y;
  w.y = rowTop;
  w.field(s.field.site, cam.site, MARGIN + half, half);
  w.y = Math.min(w.y, leftEnd);
  const row2 = w.y;
  w.field(s.field.area, areaName(s, cam.areaType), MARGIN, half - 10);
  const left2 = w.y;
  w.y = row2;
  w.field(s.field.recording, cam.enabled ? s.recording.on : s.recording.off, MARGIN + half, half);
  w.y = Math.min(w.y, left2);
  w.field(s.field.atSource, cam.maskAtSource ? s.atSource.on : s.atSource.off);
  w.field(s.field.purpose, cam.purpose);
  w.y -= 2;

  const current = cam.versions.at(-1);
  if (!current) {
    w.text(s.neverMasked, { size: 10, bold: true, gap: 8 });
    return;
  }
  w.text(s.inForce(current.version, at(current.createdAtMs), input.nameOf(current.createdBy)), { size: 10, bold: true, gap: 2 });
  w.text(`${s.reason}: ${current.reason}`, { size: 9.5, gap: 6 });
  if (current.masks.length === 0) {
    w.text(s.noMasksNow, { size: 10, gap: 6 });
  } else {
    w.ensure(FRAME.h + 34);
    w.text(s.masksCount(current.masks.length), { size: 9.5, gap: 4 });
    const top = w.y;
    const drawnOn = w.page;
    drawMasks(w.page, w.font, current.masks, MARGIN, top);
    w.page.drawText(s.drawing, { x: MARGIN, y: top - FRAME.h - 10, size: 6.5, font: w.font, color: GREY, maxWidth: FRAME.w });
    const listX = MARGIN + FRAME.w + 16;
    current.masks.forEach((m, i) => {
      w.text(`${i + 1}. ${s.kind[m.kind]} (${s.corners(m.points.length)})`, { size: 8, colour: GREY, x: listX });
      w.text(m.label, { size: 9.5, x: listX + 10, gap: 3 });
    });
    // Below both the list and the drawing (a list that moved to a new page starts there).
    if (w.page === drawnOn) w.y = Math.min(w.y, top - FRAME.h - 16);
    w.y -= 4;
  }

  const earlier = cam.versions.slice(0, -1);
  w.text(s.earlier, { size: 10, bold: true, gap: 3 });
  if (earlier.length === 0) {
    w.text(s.noEarlier, { size: 9, gap: 6 });
    return;
  }
  const c = s.columns;
  w.table(
    [
      { header: c.version, width: 45 },
      { header: c.since, width: 90 },
      { header: c.by, width: 120 },
      { header: c.masks, width: 50 },
      { header: c.reason, width: WIDTH - 305 },
    ],
    [...earlier].reverse().map((v) => [String(v.version), at(v.createdAtMs), input.nameOf(v.createdBy), String(v.masks.length), v.reason]),
  );
  w.y -= 6;
}

/** The report as PDF bytes. Throws when the fonts are missing (the handler says so in words). */
export async function maskReportPdf(input: MaskReportInput): Promise<Buffer> {
  let regular: Buffer;
  let boldBytes: Buffer;
  try {
    [regular, boldBytes] = await Promise.all([readFile(PDF_FONT), readFile(PDF_FONT_BOLD)]);
  } catch {
    throw new Error(`the report needs the DejaVu fonts (${PDF_FONT}, ${PDF_FONT_BOLD}); install Debian's fonts-dejavu-core`);
  }
  const s = REPORT_STRINGS[input.language];
  const at = (ms: number) => reportDateTime(ms, s, input.timeZone);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(s.title);
  pdf.setSubject(s.subtitle);
  pdf.setLanguage(s.locale);
  pdf.setCreator('Operator Console');
  pdf.setProducer('Operator Console');
  pdf.setCreationDate(new Date(input.generatedAtMs));
  pdf.setModificationDate(new Date(input.generatedAtMs));
  const w = new Writer(pdf, await pdf.embedFont(regular, { subset: true }), await pdf.embedFont(boldBytes, { subset: true }));

  titlePage(w, s, input, at);
  w.newPage();
  for (const cam of input.cameras) {
    cameraSection(w, s, input, cam, at);
    // The engine's thread serves live views and commands meanwhile: it is never held for a whole site.
    await new Promise((resolve) => setImmediate(resolve));
  }

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    const footer = s.footer(at(input.generatedAtMs), i + 1, pages.length);
    page.drawText(footer, { x: MARGIN, y: FOOTER_Y, size: 7.5, font: w.font, color: GREY });
  });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
