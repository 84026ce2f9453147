// Every register the console prints (the breach register, data-subject requests, access reviews...)
// goes through this one module: a table of rows under a title, in the requested language, as a CSV a
// spreadsheet opens or a PDF to sign and file. The caller words and formats every cell (times with
// reportDateTime in the site's zone); this module only lays them out.
//
// CSV: the audit report's rules (electron/core/audit/csv.ts, docs/design/audit-chain.md "Export"):
// UTF-8 with a BOM, the reader's separator, RFC 4180 quoting, CRLF, cells a spreadsheet would run as
// formulas prefixed with an apostrophe. After the table, lines starting with `#` say what the file
// is, who made it and when, then the notes.
//
// PDF: A-4 landscape, DejaVu Sans embedded (pdf-lib's standard fonts cover WinAnsi only, so Polish,
// Lithuanian and Czech letters would be lost), cells wrap, the header row is repeated on every page
// the table reaches, a row taller than a page continues on the next, "page n of m" in the footer.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { CsvSeparator } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n-languages';
import { fail, ok, type Result } from '../../../shared/result';
import { REPORTS_DIR } from '../audit/audit-trail';
import { csvCell } from '../audit/csv';
import type { Session } from '../auth/sessions';
import type { Clock } from '../clock';
import { PDF_FONT } from '../exports/production/handover-pdf';
import { PDF_FONT_BOLD, wrap } from '../masks/report-pdf';
import { REPORT_STRINGS, reportDateTime } from '../masks/report-strings';
import type { Downloads } from '../media/downloads';

export interface RegisterColumn {
  key: string;
  title: string;
  /** relative width in the PDF, default 1 */
  weight?: number;
}

export interface RegisterDocument {
  /** already in the requested language */
  title: string;
  /** site, period, the clauses the register serves */
  subtitle: string;
  language: Language;
  /** the site's zone; times are formatted by the caller (reportDateTime) */
  timeZone: string;
  generatedAtMs: number;
  /** "Display Name (username)" */
  generatedBy: string;
  columns: readonly RegisterColumn[];
  rows: readonly Readonly<Record<string, string>>[];
  /** Free paragraphs after the table (e.g. "History": one line per change). */
  notes?: readonly string[];
}

/** The few words this module adds itself, in the four interface languages. */
const WORDS: Readonly<Record<Language, { generated: string; timeZone: (zone: string) => string; empty: string; page: (n: number, m: number) => string }>> = {
  en: { generated: 'Generated', timeZone: (z) => `Times are the site's local time (${z}).`, empty: 'No records.', page: (n, m) => `page ${n} of ${m}` },
  pl: { generated: 'Wygenerowano', timeZone: (z) => `Czas lokalny obiektu (${z}).`, empty: 'Brak wpisów.', page: (n, m) => `strona ${n} z ${m}` },
  lt: { generated: 'Sugeneruota', timeZone: (z) => `Laikas nurodytas objekto vietos laiku (${z}).`, empty: 'Įrašų nėra.', page: (n, m) => `${n} psl. iš ${m}` },
  cs: { generated: 'Vytvořeno', timeZone: (z) => `Časy jsou místním časem objektu (${z}).`, empty: 'Žádné záznamy.', page: (n, m) => `strana ${n} z ${m}` },
};

const generatedLine = (doc: RegisterDocument): string =>
  `${WORDS[doc.language].generated}: ${reportDateTime(doc.generatedAtMs, REPORT_STRINGS[doc.language], doc.timeZone)}, ${doc.generatedBy}`;

/** The register as CSV text: BOM, header row, one line per row, then `#` lines (what, who, when) and the notes. */
export function registerCsv(doc: RegisterDocument, separator: CsvSeparator): string {
  const line = (cells: readonly string[]) => cells.map((c) => csvCell(c, separator)).join(separator) + '\r\n';
  let out = '\ufeff' + line(doc.columns.map((c) => c.title));
  for (const row of doc.rows) out += line(doc.columns.map((c) => row[c.key] ?? ''));
  out += '\r\n' + line([`# ${doc.title}`]) + line([`# ${doc.subtitle}`]) + line([`# ${generatedLine(doc)}`]) + line([`# ${WORDS[doc.language].timeZone(doc.timeZone)}`]);
  for (const note of doc.notes ?? []) out += line([note]);
  return out;
}

const PAGE = { w: 841.89, h: 595.28 };
const MARGIN = 36;
const WIDTH = PAGE.w - 2 * MARGIN;
const BOTTOM = 48;
const FOOTER_Y = 24;
const PAD = 3;
const SIZE = 8;
const LINE = SIZE * 1.3;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.75, 0.75, 0.75);
const HEADER_FILL = rgb(0.92, 0.92, 0.92);

/** Text as one font can draw it: line breaks as `\n`, tabs as spaces, no other control characters. */
function drawable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '');
}

class Pages {
  page!: PDFPage;
  y = 0;
  constructor(
    private readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.next();
  }

  next(): void {
    this.page = this.pdf.addPage([PAGE.w, PAGE.h]);
    this.y = PAGE.h - MARGIN;
  }

  /** Starts a new page unless `heightPt` fits above the footer; true when it started one. */
  ensure(heightPt: number): boolean {
    if (this.y - heightPt >= BOTTOM) return false;
    this.next();
    return true;
  }

  paragraph(s: string, o: { size?: number; bold?: boolean; grey?: boolean; gap?: number } = {}): void {
    const size = o.size ?? 9;
    const font = o.bold ? this.bold : this.font;
    for (const l of wrap(drawable(s), font, size, WIDTH)) {
      this.ensure(size * 1.35);
      this.page.drawText(l, { x: MARGIN, y: this.y - size, size, font, color: o.grey ? GREY : INK });
      this.y -= size * 1.35;
    }
    this.y -= o.gap ?? 0;
  }
}

/** The table: the header on every page it reaches; a row is split between pages only when it is taller than what is left of a fresh page. */
async function table(p: Pages, doc: RegisterDocument): Promise<void> {
  const total = doc.columns.reduce((s, c) => s + Math.max(c.weight ?? 1, 0.1), 0);
  const widths = doc.columns.map((c) => (Math.max(c.weight ?? 1, 0.1) / total) * WIDTH);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const headerLines = doc.columns.map((c, i) => wrap(drawable(c.title), p.bold, SIZE, widths[i]! - 2 * PAD));
  const headerHeight = Math.max(1, ...headerLines.map((l) => l.length)) * LINE + 2 * PAD;
  const header = () => {
    p.page.drawRectangle({ x: MARGIN, y: p.y - headerHeight, width: WIDTH, height: headerHeight, color: HEADER_FILL });
    headerLines.forEach((lines, i) => lines.forEach((l, j) => p.page.drawText(l, { x: xs[i]! + PAD, y: p.y - PAD - SIZE - j * LINE, size: SIZE, font: p.bold, color: INK })));
    p.y -= headerHeight;
  };
  p.ensure(headerHeight + LINE * 3);
  header();
  if (doc.rows.length === 0) {
    p.y -= PAD;
    p.paragraph(WORDS[doc.language].empty, { size: SIZE, grey: true });
    return;
  }
  const fullPage = PAGE.h - MARGIN - BOTTOM - headerHeight;
  for (const [n, row] of doc.rows.entries()) {
    let cells = doc.columns.map((c, i) => wrap(drawable(row[c.key] ?? ''), p.font, SIZE, widths[i]! - 2 * PAD));
    const height = (lines: number) => lines * LINE + 2 * PAD;
    const rowLines = () => Math.max(1, ...cells.map((c) => c.length));
    // A row that fits a fresh page is kept whole; a longer one starts where it is and continues.
    if (height(rowLines()) <= fullPage ? p.ensure(height(rowLines())) : p.ensure(height(3))) header();
    for (;;) {
      const fit = Math.max(1, Math.floor((p.y - BOTTOM - 2 * PAD) / LINE));
      const take = Math.min(fit, rowLines());
      cells.forEach((lines, i) => lines.slice(0, take).forEach((l, j) => p.page.drawText(l, { x: xs[i]! + PAD, y: p.y - PAD - SIZE - j * LINE, size: SIZE, font: p.font, color: INK })));
      p.y -= height(take);
      cells = cells.map((lines) => lines.slice(take));
      if (cells.every((c) => c.length === 0)) break;
      p.next();
      header();
    }
    p.page.drawLine({ start: { x: MARGIN, y: p.y }, end: { x: MARGIN + WIDTH, y: p.y }, thickness: 0.4, color: RULE });
    // The engine's thread serves live views and commands meanwhile: it is never held for a whole register.
    if (n % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The register as PDF bytes. Throws when the fonts are missing (the caller says so in words). */
export async function registerPdf(doc: RegisterDocument): Promise<Buffer> {
  let regular: Buffer;
  let boldBytes: Buffer;
  try {
    [regular, boldBytes] = await Promise.all([readFile(PDF_FONT), readFile(PDF_FONT_BOLD)]);
  } catch {
    throw new Error(`the register needs the DejaVu fonts (${PDF_FONT}, ${PDF_FONT_BOLD}); install Debian's fonts-dejavu-core`);
  }
  if (doc.columns.length === 0) throw new Error('a register needs at least one column');
  const words = WORDS[doc.language];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(drawable(doc.title));
  pdf.setSubject(drawable(doc.subtitle));
  pdf.setLanguage(REPORT_STRINGS[doc.language].locale);
  pdf.setCreator('Operator Console');
  pdf.setProducer('Operator Console');
  pdf.setCreationDate(new Date(doc.generatedAtMs));
  pdf.setModificationDate(new Date(doc.generatedAtMs));
  const p = new Pages(pdf, await pdf.embedFont(regular, { subset: true }), await pdf.embedFont(boldBytes, { subset: true }));

  p.paragraph(doc.title, { size: 16, bold: true, gap: 2 });
  p.paragraph(doc.subtitle, { size: 10, grey: true, gap: 4 });
  p.paragraph(generatedLine(doc), { size: 9 });
  p.paragraph(words.timeZone(doc.timeZone), { size: 8, grey: true, gap: 10 });
  await table(p, doc);
  if (doc.notes?.length) {
    p.y -= 14;
    for (const note of doc.notes) p.paragraph(note, { size: 8.5, gap: 2 });
  }

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    // The title, when, who and the page; a title too long for one line leaves the page number alone.
    const full = drawable(`${doc.title} · ${generatedLine(doc)} · ${words.page(i + 1, pages.length)}`);
    const footer = wrap(full, p.font, 7, WIDTH).length === 1 ? full : words.page(i + 1, pages.length);
    page.drawText(footer, { x: MARGIN, y: FOOTER_Y, size: 7, font: p.font, color: GREY });
  });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** Writes the file into <dataDir>/reports and offers it once to the session (as masks/report-handler.ts does). */
export async function offerRegisterFile(
  d: { downloads: Pick<Downloads, 'offer'>; dataDir: string; clock: Clock },
  session: Session,
  baseName: string,
  ext: 'pdf' | 'csv',
  content: Buffer | string,
): Promise<Result<{ fileName: string; downloadUrl: string; expiresAtMs: number }>> {
  if (!/^[a-z0-9][a-z0-9-]{0,60}$/.test(baseName)) return fail('Internal', `"${baseName}" is not a register file name.`);
  const stamp = new Date(d.clock.nowMs()).toISOString().replace(/[:.]/g, '-');
  const fileName = `${baseName}-${stamp}-${randomBytes(3).toString('hex')}.${ext}`;
  const file = path.join(d.dataDir, REPORTS_DIR, fileName);
  // Whole or not at all: the file is offered only once it is written.
  try {
    await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // A name taken already (EEXIST) is another file's: it is left alone.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(file, { force: true });
    return fail('Unavailable', `The register could not be saved on the engine machine: ${(err as Error).message}.`);
  }
  const contentType = ext === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8';
  const { url, expiresAtMs } = d.downloads.offer(file, fileName, { connectionId: session.connectionId, sessionId: session.id }, contentType);
  return ok({ fileName, downloadUrl: url, expiresAtMs });
}

/**
 * A register written in the asked format and offered once to the session (every register's export
 * command ends here): the PDF or the CSV in the reader's separator (`,` when none is given), or why it
 * could not be written; the answer counts the register's rows.
 */
export async function writeRegisterFile(
  d: { downloads: Pick<Downloads, 'offer'>; dataDir: string; clock: Clock },
  session: Session,
  doc: RegisterDocument,
  r: { format: 'pdf' | 'csv'; separator?: CsvSeparator },
  baseName: string,
): Promise<Result<{ fileName: string; downloadUrl: string; expiresAtMs: number; rows: number }>> {
  let content: Buffer | string;
  try {
    content = r.format === 'pdf' ? await registerPdf(doc) : registerCsv(doc, r.separator ?? ',');
  } catch (err) {
    return fail('Unavailable', `${doc.title}: the file could not be written: ${(err as Error).message}.`);
  }
  const offered = await offerRegisterFile(d, session, baseName, r.format, content);
  return offered.ok ? ok({ ...offered.value, rows: doc.rows.length }) : offered;
}
