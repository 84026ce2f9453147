// The handover record (docs/design/exports.md "The package", "Handover", JON 20, KRK §5.3.5): one printable page (more if the list of
// files is long) saying what was produced, for whom, on what legal basis, with every file's
// SHA-256, the manifest's SHA-256 and the signing key's fingerprint, and lines for the signatures
// of who handed it over and who received it. The manifest is signed; this record is produced after
// it and carries its hash, so the signed addendum lists it (package-layout.ts). DejaVuSans is
// embedded so Polish, Lithuanian and Czech names render (pdf-lib's standard fonts only cover WinAnsi).
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ProducedFile, ProductionJob } from '../production-types';
import { groupedFingerprint } from './readme';

export const PDF_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const PDF_FONT_MONO = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 50;

/** Wraps text to a width, breaking at spaces, or anywhere for long unbroken runs (hashes). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') out.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let n = rest.length;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

export function formatLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const zone = new Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`.trim();
}

export async function handoverPdf(job: ProductionJob, files: readonly ProducedFile[], manifestSha256: string): Promise<Buffer> {
  let regular: Buffer;
  let mono: Buffer;
  try {
    [regular, mono] = await Promise.all([readFile(PDF_FONT), readFile(PDF_FONT_MONO)]);
  } catch {
    throw new Error(`the handover record needs the DejaVu fonts (${PDF_FONT}); install Debian's fonts-dejavu-core`);
  }
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`Evidence package ${job.number}: handover record`);
  pdf.setCreator('Operator Console');
  pdf.setCreationDate(new Date(job.handover.producedAtMs));
  pdf.setModificationDate(new Date(job.handover.producedAtMs));
  const font = await pdf.embedFont(regular, { subset: true });
  const fontMono = await pdf.embedFont(mono, { subset: true });
  const bold = font; // DejaVuSans-Bold would double the embedded size; titles use a larger size.

  let page: PDFPage = pdf.addPage([A4.w, A4.h]);
  let y = A4.h - MARGIN;
  const width = A4.w - 2 * MARGIN;
  const ensure = (h: number) => {
    if (y - h < MARGIN) {
      page = pdf.addPage([A4.w, A4.h]);
      y = A4.h - MARGIN;
    }
  };
  const text = (s: string, opts: { size?: number; f?: PDFFont; indent?: number; gap?: number } = {}) => {
    const size = opts.size ?? 10;
    const f = opts.f ?? font;
    const indent = opts.indent ?? 0;
    for (const line of wrap(s, f, size, width - indent)) {
      ensure(size * 1.35);
      page.drawText(line, { x: MARGIN + indent, y: y - size, size, font: f, color: rgb(0, 0, 0) });
      y -= size * 1.35;
    }
    y -= opts.gap ?? 0;
  };
  const field = (label: string, value: string) => {
    text(label, { size: 8, gap: 0 });
    text(value || '—', { size: 11, indent: 10, gap: 4 });
  };

  text('Evidence package: handover record', { size: 18, f: bold, gap: 4 });
  text(`${job.number}${job.caseReference ? ` · ${job.caseReference}` : ''}`, { size: 13, gap: 10 });
  field('Requesting body', job.handover.requestingBody);
  field('Recipient', job.handover.recipient);
  field('Legal basis', job.handover.legalBasis);
  field('Purpose', job.handover.purpose);
  field('Approved by', job.handover.approvedBy);
  field('Produced by, and when', `${job.handover.producedBy}, ${formatLocal(job.handover.producedAtMs)}`);
  field('Mode', job.mode === 'burn_in' ? 'Re-encoded H.264 with time, camera and case reference burned in' + (job.redactions.length > 0 ? `; ${job.redactions.length} redaction box(es) applied` : '') : 'Copied from the recording without re-encoding (H.264, no burn-in)');
  y -= 4;
  text('Footage', { size: 12, f: bold, gap: 2 });
  for (const item of job.items) text(`${item.cameraName}: ${formatLocal(item.fromMs)} – ${formatLocal(item.toMs)}`, { size: 10, indent: 10 });
  y -= 6;
  text('Files (SHA-256)', { size: 12, f: bold, gap: 2 });
  for (const f of files) {
    text(`${f.name} (${f.bytes.toLocaleString('en')} bytes)`, { size: 10, indent: 10 });
    text(f.sha256, { size: 9, f: fontMono, indent: 20, gap: 2 });
  }
  y -= 6;
  text('manifest.json SHA-256', { size: 12, f: bold, gap: 2 });
  text(manifestSha256, { size: 9, f: fontMono, indent: 10, gap: 6 });
  text('Signing key fingerprint (SHA-256 of the public key, DER)', { size: 12, f: bold, gap: 2 });
  text(job.signer.fingerprint, { size: 9, f: fontMono, indent: 10, gap: 1 });
  text(groupedFingerprint(job.signer.fingerprint), { size: 9, f: fontMono, indent: 10, gap: 4 });
  text(
    'This paper record is what ties the package to the site: anyone can re-sign a copy with another key, and the copy then checks as intact. ' +
      'The package comes from the site only if its public-key.pem has this fingerprint: `openssl pkey -pubin -in public-key.pem -outform DER | sha256sum`, ' +
      'or `npm run export:verify -- FOLDER --expect-fingerprint` followed by the fingerprint above (README.txt in the package).',
    { size: 8, gap: 14 },
  );

  ensure(140);
  for (const who of ['Handed over by', 'Received by']) {
    text(who, { size: 10, gap: 26 });
    page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + 250, y }, thickness: 0.6 });
    page.drawLine({ start: { x: MARGIN + 300, y }, end: { x: MARGIN + width, y }, thickness: 0.6 });
    y -= 10;
    text('Name and signature', { size: 7, gap: 0 });
    page.drawText('Date', { x: MARGIN + 300, y: y + 7 * 1.35 - 7, size: 7, font });
    y -= 14;
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
