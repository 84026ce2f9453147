// The printed breach register (breaches.export; JON 21-23, BRN 36-38; docs/design/breaches.md "The
// printed register") through the real engine and dispatcher: for those who read the register
// (supervisors, the auditor), refused to guards and reviewers, audited; every record, also those
// beyond a screen's page, with category, discovery, the 72-hour clock as of printing, the
// notifications and the history, in each of the four languages; fetched once from the engine's
// media server. The files are read back as a reader gets them (an RFC 4180 split, pdftotext).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

const HOUR = 3_600_000;
let t: TestEngine;
let guard: Caller;
let reviewer: Caller;
let supervisor: Caller;
let auditor: Caller;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'breach-register-'));
const ref = { notified: '', missed: '', lowClosed: '' };

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  guard = await addUser(t, admin, { username: 'guard.reg', role: 'guard', groupIds: [site.north] });
  reviewer = await addUser(t, admin, { username: 'rev.reg', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.reg', role: 'supervisor', groupIds: [site.south] });
  auditor = await addUser(t, admin, { username: 'iod.ewa', displayName: 'Ewa Żółkiewska', role: 'auditor', groupIds: [] });
  const now = t.clock.nowMs();
  // Category 2, notified within the deadline.
  const a = await guard.must('breaches.report', { what: 'Pendrive z nagraniami zgubiony w tramwaju (ąęłńśźż)', discoveredAtMs: now - 2 * HOUR, cameraIds: [site.cam.north1], records: 'eksport EX-3' });
  await auditor.must('breaches.assess', { breachId: a.id, category: 2, reasoning: 'Nagrania rozpoznawalnych pasażerów opuściły obiekt' });
  await auditor.must('breaches.recordNotification', { breachId: a.id, to: 'authority', atMs: now - HOUR, channel: 'formularz UODO', reference: 'DKN.5130.7.2026' });
  // Unassessed, reported 80 hours after discovery: its clock is missed by 8 hours.
  const b = await guard.must('breaches.report', { what: 'Monitor stál čelem k veřejné chodbě (čřůě), įėjimas (ėįšųūž)', discoveredAtMs: now - 80 * HOUR });
  // Category 1, closed.
  const c = await guard.must('breaches.report', { what: '=HYPERLINK("http://evil") a formula in a report', discoveredAtMs: now - HOUR });
  await auditor.must('breaches.assess', { breachId: c.id, category: 1, reasoning: 'No personal data left the monitoring room' });
  await auditor.must('breaches.close', { breachId: c.id, reason: 'recorded only, measures explained to staff' });
  Object.assign(ref, { notified: a.reference, missed: b.reference, lowClosed: c.reference });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function fetchOnce(url: string): Promise<{ bytes: Buffer; type: string | null }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect((await fetch(url)).status).toBe(404); // offered once only
  return { bytes, type: res.headers.get('content-type') };
}

function pdfText(bytes: Buffer, name: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('breaches.export', () => {
  it('those who read the register print it; guards and reviewers are refused; each export is audited', async () => {
    for (const c of [guard, reviewer]) expect(await c.call('breaches.export', { format: 'pdf', language: 'en' })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
    const bySupervisor = await supervisor.must('breaches.export', { format: 'csv', language: 'en' });
    expect(bySupervisor.rows).toBe(3);
    await t.engine.audit.drain();
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'outcome']).where('action', '=', 'breaches.export').orderBy('seq').execute();
    expect(audited).toEqual([{ actor: 'guard.reg', outcome: 'denied' }, { actor: 'rev.reg', outcome: 'denied' }, { actor: 'sup.reg', outcome: 'allowed' }]);
  });

  it('PDF in Polish: every record with its category, discovery, clock as of printing, notifications and history; letters kept', async () => {
    const r = await auditor.must('breaches.export', { format: 'pdf', language: 'pl' });
    expect(r.fileName).toMatch(/^breach-register-pl-.*\.pdf$/);
    const { bytes, type } = await fetchOnce(r.downloadUrl);
    expect(type).toBe('application/pdf');
    const text = pdfText(bytes, 'register-pl.pdf');
    expect(text).toContain('Rejestr naruszeń ochrony danych osobowych');
    expect(text).toContain('Wygenerowano: 02.11.2026 09:00, Ewa Żółkiewska (iod.ewa)');
    for (const reference of Object.values(ref)) expect(text).toContain(reference);
    expect(text).toContain('Pendrive z nagraniami zgubiony w tramwaju (ąęłńśźż)');
    expect(text).toContain('Monitor stál čelem k veřejné chodbě (čřůě), įėjimas (ėįšųūž)');
    expect(text).toContain('2 · poważne: zawiadomić organ');
    expect(text).toContain('Organ: 02.11.2026 08:00, formularz UODO, numer DKN.5130.7.2026 (zapisał(a) iod.ewa)');
    // The clock as of printing: the unassessed record reported 80 h after discovery missed it by 8 h.
    expect(text).toContain('przekroczony o 8 godz. 0 min');
    expect(text).toContain('organ zawiadomiony');
    expect(text).toContain('zawiadomienie niepotrzebne');
    // The history follows the table, one line per change, worded.
    expect(text).toContain(`Historia ${ref.notified}`);
    expect(text).toMatch(/Oceniono: kategoria 2/);
    expect(text).toMatch(/Zapisano zawiadomienie: organ nadzorczy, wysłano 02\.11\.2026 08:00, droga: formularz UODO, numer DKN\.5130\.7\.2026/);
    expect(text).toContain('Zamknięto · recorded only, measures explained to staff');
  });

  it('CSV with the reader’s separator: one line per record, the history in its column, a formula cell defused', async () => {
    const r = await auditor.must('breaches.export', { format: 'csv', language: 'en', separator: ';' });
    expect(r.rows).toBe(3);
    const { bytes, type } = await fetchOnce(r.downloadUrl);
    expect(type).toBe('text/csv; charset=utf-8');
    const csv = bytes.toString('utf8');
    expect(csv.startsWith('\ufeffRef.;Status;What happened;Discovered and reported;Category and assessment;72-hour clock;Notifications;History\r\n')).toBe(true);
    expect(csv).toContain(`\r\n${ref.lowClosed};Closed 02/11/2026 09:00 by iod.ewa;"'=HYPERLINK(""http://evil"") a formula in a report";`);
    expect(csv).toContain("02/11/2026 09:00 · guard.reg · Reported: discovered 02/11/2026 07:00\n02/11/2026 09:00 · iod.ewa · Assessed: category 2");
    expect(csv).toContain('Authority to be notified by 05/11/2026 07:00');
  });

  it('each of the four languages, with nothing to print yet named as such', async () => {
    const title = { en: 'Register of personal data breaches', pl: 'Rejestr naruszeń ochrony danych osobowych', lt: 'Asmens duomenų saugumo pažeidimų registras', cs: 'Evidence porušení zabezpečení osobních údajů' } as const;
    for (const language of ['en', 'lt', 'cs'] as const) {
      const r = await auditor.must('breaches.export', { format: 'pdf', language });
      expect(pdfText((await fetchOnce(r.downloadUrl)).bytes, `register-${language}.pdf`)).toContain(title[language]);
    }
    const empty = await startTestEngine();
    try {
      const admin = await setUpAdmin(empty);
      const dpo = await addUser(empty, admin, { username: 'dpo.empty', role: 'auditor', groupIds: [] });
      const r = await dpo.must('breaches.export', { format: 'pdf', language: 'cs' });
      expect(r.rows).toBe(0);
      expect(pdfText((await fetchOnce(r.downloadUrl)).bytes, 'empty.pdf')).toContain('Žádné záznamy.');
    } finally {
      await empty.dispose();
    }
  });
});
