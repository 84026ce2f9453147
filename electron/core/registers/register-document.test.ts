// The one module every register prints through (register-document.ts). CSV: read back with an RFC
// 4180 reader, any cell text survives whole (separators, quotes, line breaks), a cell a spreadsheet
// would run as a formula is prefixed with an apostrophe, UTF-8 with a BOM, the reader's separator.
// PDF: read back with pdf-lib and poppler (pdftotext, pdffonts), so what is checked is what a reader
// of the file gets: A-4 landscape, pages grow with rows, the header row on every page, a row longer
// than a page continues on the next whole, "page n of m", Polish, Lithuanian and Czech letters kept
// with the fonts embedded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORTS_DIR } from '../audit/audit-trail';
import type { Session } from '../auth/sessions';
import { ManualClock } from '../clock';
import { offerRegisterFile, registerCsv, registerPdf, type RegisterDocument } from './register-document';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'register-doc-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LETTERS = { pl: 'Zażółć gęślą jaźń ĄĘŁŃŚŹŻ', lt: 'Įėjimas į namą ąčęėįšųūž', cs: 'Příliš žluťoučký kůň úpěl ďábelské ódy' };
const T0 = Date.UTC(2026, 10, 2, 8, 0); // 02.11.2026 09:00 in Warsaw

function doc(rows: number, extra: Partial<RegisterDocument> = {}): RegisterDocument {
  return {
    title: 'Rejestr naruszeń',
    subtitle: 'Obiekt Północ, JON 21-23',
    language: 'pl',
    timeZone: 'Europe/Warsaw',
    generatedAtMs: T0,
    generatedBy: 'Ewa Żółkiewska (iod.ewa)',
    columns: [
      { key: 'ref', title: 'Numer', weight: 0.6 },
      { key: 'what', title: 'Co się stało', weight: 3 },
      { key: 'who', title: 'Zgłosił' },
    ],
    rows: Array.from({ length: rows }, (_, i) => ({ ref: `BR-${i + 1}`, what: `${LETTERS.pl}; ${LETTERS.lt}; ${LETTERS.cs} (${i + 1})`, who: 'guard.br' })),
    ...extra,
  };
}

/** An RFC 4180 reader: what a spreadsheet does with the file. */
function readCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) cell += c;
    else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

async function readPdf(bytes: Buffer, name: string): Promise<{ pages: number; text: (page?: number) => string; fonts: string; file: string; size: { width: number; height: number } }> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  const loaded = await PDFDocument.load(bytes);
  const text = (page?: number) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  return { pages: loaded.getPageCount(), text, fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }), file, size: loaded.getPage(0).getSize() };
}

/** The header row's three titles (pdftotext may read a page's columns in any order). */
const hasHeader = (pageText: string) => ['Numer', 'Co się stało', 'Zgłosił'].every((title) => pageText.includes(title));

describe('registerCsv', () => {
  it('starts with a BOM, has the titles as its header row and one line per row in the columns’ order, a missing cell empty', () => {
    const csv = registerCsv(doc(2, { rows: [{ ref: 'BR-1', what: 'x', who: 'a' }, { ref: 'BR-2', who: 'b' }] }), ',');
    expect(csv.startsWith('\ufeffNumer,Co się stało,Zgłosił\r\n')).toBe(true);
    const rows = readCsv(csv.slice(1), ',');
    expect(rows.slice(0, 3)).toEqual([['Numer', 'Co się stało', 'Zgłosił'], ['BR-1', 'x', 'a'], ['BR-2', '', 'b']]);
  });

  it('the separator is the one asked for (";" where the decimal comma is used), and a cell holding it is quoted', () => {
    const csv = registerCsv(doc(1, { rows: [{ ref: 'a;b', what: 'c,d', who: 'e' }] }), ';');
    expect(csv.split('\r\n')[1]).toBe('"a;b";c,d;e');
    expect(readCsv(csv.slice(1), ';')[1]).toEqual(['a;b', 'c,d', 'e']);
  });

  it('a cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection), in rows, titles and notes', () => {
    const csv = registerCsv(doc(1, { columns: [{ key: 'a', title: '=TITLE()' }, { key: 'b', title: 'b' }], rows: [{ a: '=HYPERLINK("http://x")', b: '+1' }, { a: '-2', b: '@SUM(A1)' }], notes: ['=cmd|calc'] }), ',');
    const rows = readCsv(csv.slice(1), ',');
    expect(rows[0]).toEqual(["'=TITLE()", 'b']);
    expect(rows[1]).toEqual(['\'=HYPERLINK("http://x")', "'+1"]);
    expect(rows[2]).toEqual(["'-2", "'@SUM(A1)"]);
    expect(rows.at(-1)).toEqual(["'=cmd|calc"]);
  });

  it('any text of a cell comes back whole: quotes, separators and line breaks are quoted (RFC 4180)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 5 }), fc.constantFrom(',', ';') as fc.Arbitrary<',' | ';'>, (cells, sep) => {
        const csv = registerCsv(doc(0, { columns: [{ key: 'a', title: 'A' }, { key: 'b', title: 'B' }], rows: cells.map(([a, b]) => ({ a, b })) }), sep);
        const back = readCsv(csv.slice(1), sep).slice(1, cells.length + 1);
        const asWritten = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
        expect(back).toEqual(cells.map(([a, b]) => [asWritten(a), asWritten(b)]));
      }),
    );
  });

  it('after the table: what the file is, when and by whom (in the site’s time), then the notes, one per line', () => {
    const csv = registerCsv(doc(1, { notes: ['Historia BR-1', 'BR-1: zgłoszono; "przyjęto"'] }), ';');
    const rows = readCsv(csv.slice(1), ';');
    const tail = rows.slice(3).map((r) => r.join('|'));
    expect(tail).toEqual([
      '# Rejestr naruszeń',
      '# Obiekt Północ, JON 21-23',
      '# Wygenerowano: 02.11.2026 09:00, Ewa Żółkiewska (iod.ewa)',
      '# Czas lokalny obiektu (Europe/Warsaw).',
      'Historia BR-1',
      'BR-1: zgłoszono; "przyjęto"',
    ]);
  });
});

describe('registerPdf', () => {
  it('is a PDF pdf-lib reads, A-4 landscape, with DejaVu Sans embedded and Polish, Lithuanian and Czech letters as written', async () => {
    const r = await readPdf(await registerPdf(doc(3)), 'letters.pdf');
    expect(r.pages).toBe(1);
    expect(Math.round(r.size.width)).toBe(842);
    expect(Math.round(r.size.height)).toBe(595);
    const text = r.text();
    for (const s of Object.values(LETTERS)) expect(text).toContain(s);
    expect(text).toContain('Rejestr naruszeń');
    expect(text).toContain('Wygenerowano: 02.11.2026 09:00, Ewa Żółkiewska (iod.ewa)');
    expect(text).toContain('strona 1 z 1');
    // Every font is embedded with its Unicode map (pdffonts' "emb" and "uni" columns): a reader
    // without DejaVu sees, copies and searches the same letters.
    const fontLines = r.fonts.split('\n').filter((l) => /DejaVu/.test(l));
    expect(fontLines.map((l) => l.split(/\s+/)[0]!.replace(/-\d+$/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const l of fontLines) expect(l).toMatch(/Identity-H\s+yes\s+(yes|no)\s+yes\s/);
  });

  it('pages grow with rows and every page starts the table with the header row; "page n of m" on each', async () => {
    const small = await readPdf(await registerPdf(doc(5)), 'small.pdf');
    const large = await readPdf(await registerPdf(doc(120)), 'large.pdf');
    expect(large.pages).toBeGreaterThan(small.pages);
    expect(large.pages).toBeGreaterThanOrEqual(3);
    for (let page = 1; page <= large.pages; page++) {
      const text = large.text(page);
      expect(hasHeader(text)).toBe(true);
      expect(text).toContain(`strona ${page} z ${large.pages}`);
    }
    // No row is lost at a page break.
    const all = large.text();
    for (const i of [1, 37, 60, 119, 120]) expect(all).toContain(`(${i})`);
  });

  it('a cell longer than a page continues on the next page, under the header again, and nothing of it is lost', async () => {
    const words = Array.from({ length: 2500 }, (_, i) => `słowo${i}`).join(' ');
    const r = await readPdf(await registerPdf(doc(1, { rows: [{ ref: 'BR-1', what: words, who: 'x' }, { ref: 'BR-2', what: 'po', who: 'y' }] })), 'long.pdf');
    expect(r.pages).toBeGreaterThanOrEqual(2);
    const all = r.text();
    for (const i of [0, 1, 999, 1500, 2499]) expect(all).toContain(`słowo${i} `);
    for (let page = 1; page <= r.pages; page++) expect(hasHeader(r.text(page))).toBe(true);
    expect(all).toContain('BR-2');
  });

  it('an empty register says so; the notes follow the table; control characters in a cell are not drawn and do not break the file', async () => {
    const empty = await readPdf(await registerPdf(doc(0, { notes: ['Historia: brak'] })), 'empty.pdf');
    expect(empty.text()).toContain('Brak wpisów.');
    expect(empty.text()).toContain('Historia: brak');
    const odd = await readPdf(await registerPdf(doc(1, { rows: [{ ref: 'BR-1\u0000\u0007', what: 'a\r\nb\tc\u2028d', who: '' }] })), 'odd.pdf');
    expect(odd.text()).toContain('BR-1');
    expect(odd.text()).toMatch(/a b c ?d/);
  });

  it('words in each of the four languages', async () => {
    const expected = { en: 'page 1 of 1', pl: 'strona 1 z 1', lt: '1 psl. iš 1', cs: 'strana 1 z 1' } as const;
    for (const language of ['en', 'pl', 'lt', 'cs'] as const) {
      const r = await readPdf(await registerPdf(doc(1, { language })), `lang-${language}.pdf`);
      expect(r.text()).toContain(expected[language]);
    }
  });
});

describe('offerRegisterFile', () => {
  const session = { id: 'sess-1', connectionId: 'conn-1' } as Session;
  const clock = new ManualClock(T0);

  it('writes the file (0600) into <dataDir>/reports and offers it once to the session that asked', async () => {
    fs.mkdirSync(path.join(tmp, REPORTS_DIR), { recursive: true });
    const offered: unknown[] = [];
    const downloads = { offer: (file: string, fileName: string, owner: unknown, type?: string) => (offered.push({ file, fileName, owner, type }), { url: `http://media/download/${fileName}`, expiresAtMs: T0 + 300_000 }) };
    const r = await offerRegisterFile({ downloads, dataDir: tmp, clock }, session, 'breach-register', 'csv', 'a,b\r\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.fileName).toMatch(/^breach-register-2026-11-02T08-00-00-000Z-[0-9a-f]{6}\.csv$/);
    expect(r.value.expiresAtMs).toBe(T0 + 300_000);
    const file = path.join(tmp, REPORTS_DIR, r.value.fileName);
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\r\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(offered).toEqual([{ file, fileName: r.value.fileName, owner: { connectionId: 'conn-1', sessionId: 'sess-1' }, type: 'text/csv; charset=utf-8' }]);
    const pdf = await offerRegisterFile({ downloads, dataDir: tmp, clock }, session, 'breach-register', 'pdf', Buffer.from('%PDF'));
    expect(pdf.ok && (offered[1] as { type: string }).type).toBe('application/pdf');
  });

  it('a file that cannot be written is refused in words and nothing is offered; a base name that is not a plain name is refused', async () => {
    const offered: unknown[] = [];
    const downloads = { offer: () => (offered.push(1), { url: '', expiresAtMs: 0 }) };
    const r = await offerRegisterFile({ downloads, dataDir: path.join(tmp, 'no-such-dir'), clock }, session, 'breach-register', 'csv', 'x');
    expect(r).toMatchObject({ ok: false, error: { kind: 'Unavailable', message: expect.stringMatching(/could not be saved/) } });
    const bad = await offerRegisterFile({ downloads, dataDir: tmp, clock }, session, '../escape', 'csv', 'x');
    expect(bad.ok).toBe(false);
    expect(offered).toEqual([]);
  });
});
