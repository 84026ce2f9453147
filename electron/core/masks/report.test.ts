// The data protection officer's report of every camera's privacy masks (R7; KRK §6.2-6.3, JON 8-9;
// docs/design/privacy-masks.md): a PDF in the asked language that names every camera, also one
// without masks, each mask in force with what it hides and why, since when and who set it, the
// reason, and the earlier versions; for those who answer for privacy (audit.read), audited, and
// refused to guards and reviewers. The PDF's text is read back with poppler's pdftotext, so what is
// checked is what a reader of the file gets, letters of the four languages included.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../../shared/i18n-languages';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { maskReportPdf, type ReportCamera } from './report-pdf';

let t: TestEngine;
let admin: Caller;
let auditor: Caller;
let guard: Caller;
let reviewer: Caller;
let cam: { north1: number; north2: number; south1: number };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-report-'));
const at: number[] = [];

const WINDOWS: [number, number][] = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.1, 0.5]];
const BALCONY: [number, number][] = [[0.55, 0.05], [0.9, 0.05], [0.9, 0.35], [0.7, 0.45], [0.55, 0.35]];
const DOOR: [number, number][] = [[0.6, 0.6], [0.75, 0.6], [0.68, 0.95]];
const LABEL = {
  windows: 'okna mieszkań naprzeciwko (ąęłńśźż), KRK §6.3',
  balcony: 'balkon lokatora, JON 9',
  door: 'įėjimas į namą (ėįšųūž)',
  stall: 'vchod do ordinace (čřůě), KRK §6.2',
};
const REASON = { first: 'kamera na rynku obejmuje okna mieszkań', second: 'nowy lokator z balkonem w kadrze', south: 'vstup do ordinace v záběru' };

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  cam = site.cam;
  auditor = await addUser(t, admin, { username: 'iod.ewa', displayName: 'Ewa Żółkiewska', role: 'auditor', groupIds: [] });
  guard = await addUser(t, admin, { username: 'guard.report', role: 'guard', groupIds: [site.north, site.south] });
  reviewer = await addUser(t, admin, { username: 'reviewer.report', role: 'reviewer', groupIds: [site.north, site.south] });
  at.push(t.clock.nowMs());
  await admin.must('masks.save', { cameraId: cam.north1, masks: [{ kind: 'permanent', points: WINDOWS, label: LABEL.windows }], reason: REASON.first });
  t.clock.advance(2 * 60_000); // (short of the idle lock)
  at.push(t.clock.nowMs());
  await admin.must('masks.save', {
    cameraId: cam.north1,
    masks: [
      { kind: 'permanent', points: WINDOWS, label: LABEL.windows },
      { kind: 'liftable', points: BALCONY, label: LABEL.balcony },
    ],
    reason: REASON.second,
  });
  t.clock.advance(60_000);
  at.push(t.clock.nowMs());
  await admin.must('masks.save', {
    cameraId: cam.south1,
    masks: [
      { kind: 'liftable', points: DOOR, label: LABEL.door },
      { kind: 'permanent', points: WINDOWS, label: LABEL.stall },
    ],
    reason: REASON.south,
  });
  await admin.must('cameras.update', {
    cameraId: cam.south1,
    settings: { name: 'South 1', site: 'Station', groupId: site.south, purpose: 'safety of travellers', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false, maskAtSource: true },
    source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
    username: null,
    password: null,
  });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Fetches the report once as its session would and answers the PDF's text, spaces folded (lines wrap). */
async function reportText(caller: Caller, language: Language): Promise<{ text: string; file: string; pages: number }> {
  const r = await caller.must('masks.report', { language });
  expect(r.fileName).toMatch(new RegExp(`^privacy-masks-${language}-[\\dTZ-]+-[0-9a-f]{6}\\.pdf$`));
  expect(r.cameras).toBe(3);
  const res = await fetch(r.downloadUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect((await fetch(r.downloadUrl)).status).toBe(404); // once only
  const file = path.join(tmp, `report-${language}.pdf`);
  fs.writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  return { text, file, pages };
}

/** A day and minute in Warsaw in November (UTC+1), written out by hand: `02.11.2026 09:00` (pl), `02/11/2026 09:00` (en). */
function warsaw(ms: number, sep: '.' | '/'): string {
  const d = new Date(ms + 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}${sep}${p(d.getUTCMonth() + 1)}${sep}${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

describe('the data protection officer’s report of privacy masks', () => {
  it('in Polish: every camera, each mask in force with what and why, since when, who, the reason and the earlier version', async () => {
    const { text, pages } = await reportText(auditor, 'pl');
    for (const words of ['Maski prywatności wszystkich kamer', 'Raport dla inspektora ochrony danych', 'KRK §6.2-6.3, JON 8-9', 'Czemu służy ten raport', 'Wcześniejsze wersje', 'Uzasadnienie zmiany']) {
      expect(text).toContain(words);
    }
    for (const name of ['North 1', 'North 2', 'South 1']) expect(text).toContain(name);
    for (const label of Object.values(LABEL)) expect(text).toContain(label);
    for (const reason of Object.values(REASON)) expect(text).toContain(reason);
    expect(text).toContain(`Wygenerowano ${warsaw(t.clock.nowMs(), '.')}, Ewa Żółkiewska (iod.ewa)`);
    expect(text).toContain(`Wersja 2, obowiązuje od ${warsaw(at[1]!, '.')}, ustawił(a) Anna Nowak (admin.anna)`);
    expect(text).toContain(`Wersja 1, obowiązuje od ${warsaw(at[2]!, '.')}, ustawił(a) Anna Nowak (admin.anna)`);
    // The earlier version of North 1 in its history table: version, since, who, masks, reason.
    expect(text).toContain(`Wcześniejsze wersje Wersja Od Zmienił(a) Maski 1 ${warsaw(at[0]!, '.')} Anna Nowak (admin.anna) 1`);
    // No masks is a finding too.
    expect(text).toContain('Brak masek: kamera nigdy nie miała masek');
    expect(text).toContain('Kamery: 3; z maskami: 2; bez masek: 1. Obowiązujące maski: stałe 2, zdejmowalne 2.');
    for (const word of ['Stała', 'Zdejmowalna', 'Grupa kamer', 'Przestrzeń publiczna', 'safety of travellers']) expect(text).toContain(word);
    expect(text).toContain(`strona 1 z ${pages}`);
    // Masking at the source: South 1 has it, the North cameras do not.
    expect(text).toContain('Maskowanie u źródła tak: oba strumienie przekodowane');
    expect(text.match(/Maskowanie u źródła nie: maski nakładają stanowiska/g)).toHaveLength(2);
  });

  it('in English, Lithuanian and Czech, with the dates written as the interface writes them', async () => {
    const en = (await reportText(auditor, 'en')).text;
    expect(en).toContain('Privacy masks of every camera');
    expect(en).toContain(`Version 2, in force since ${warsaw(at[1]!, '/')}, set by Anna Nowak (admin.anna)`);
    expect(en).toContain('No masks: the camera has never had masks');
    expect(en).toContain('Public space');
    for (const label of Object.values(LABEL)) expect(en).toContain(label);
    const lt = (await reportText(auditor, 'lt')).text;
    expect(lt).toContain('Visų kamerų privatumo kaukės');
    expect(lt).toContain('Ankstesnės versijos');
    expect(lt).toContain('Viešoji erdvė');
    const cs = (await reportText(auditor, 'cs')).text;
    expect(cs).toContain('Masky soukromí všech kamer');
    expect(cs).toContain('Zpráva pro pověřence pro ochranu osobních údajů');
    expect(cs).toContain('Veřejné prostranství');
  });

  it('administrators may ask for it too, guards and reviewers may not; every call is in the audit log', async () => {
    expect((await admin.call('masks.report', { language: 'en' })).ok).toBe(true);
    for (const caller of [guard, reviewer]) {
      const r = await caller.call('masks.report', { language: 'pl' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('PermissionDenied');
    }
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'target', 'outcome']).where('action', '=', 'masks.report').orderBy('seq').execute();
    expect(audited.filter((a) => a.outcome === 'allowed').map((a) => a.actor)).toEqual(['iod.ewa', 'iod.ewa', 'iod.ewa', 'iod.ewa', 'admin.anna']);
    expect(audited.filter((a) => a.outcome === 'denied').map((a) => a.actor)).toEqual(['guard.report', 'reviewer.report']);
    expect(new Set(audited.map((a) => a.target))).toEqual(new Set(['privacy-masks']));
  });

  it('a label in a script the embedded font lacks, and a site of many cameras, still make a whole report', async () => {
    const cameras: ReportCamera[] = Array.from({ length: 200 }, (_, i) => ({
      name: `Kamera ${i + 1} – ${'długa nazwa '.repeat(i % 3)}`,
      site: 'Dworzec',
      group: `Grupa ${i % 7}`,
      purpose: 'bezpieczeństwo podróżnych',
      areaType: i % 2 ? 'public_space' : 'housing_entrance',
      enabled: true,
      maskAtSource: i % 5 === 0,
      versions: Array.from({ length: i % 4 }, (_, v) => ({
        version: v + 1,
        masks: Array.from({ length: (v + i) % 5 }, (_, m) => ({ kind: m % 2 ? ('liftable' as const) : ('permanent' as const), points: DOOR, label: m === 1 ? '窓 🏠 window' : `okno ${m}` })),
        reason: 'powód zmiany '.repeat(1 + (v % 20)),
        createdBy: 'admin.anna',
        createdAtMs: Date.UTC(2026, 0, 1) + v * 86_400_000,
      })),
    }));
    const started = performance.now();
    const pdf = await maskReportPdf({ language: 'pl', timeZone: 'Europe/Warsaw', generatedAtMs: Date.UTC(2026, 5, 1), generatedBy: 'iod.ewa', nameOf: (u) => u, cameras });
    const elapsedMs = performance.now() - started;
    const file = path.join(tmp, 'many.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Kamera 200');
    expect(text).toContain('window');
    console.info(`report of 200 cameras: ${Math.round(elapsedMs)} ms, ${Math.round(pdf.length / 1024)} KiB`);
    expect(elapsedMs).toBeLessThan(20_000);
  });
});
