// JON 19 data-subject packages through the real engine (docs/design/exports.md "Data-subject
// packages"): a person's copy of their footage is produced only when the producer confirms that
// redaction boxes cover everybody else, or attests with a reason that nobody else is visible; the
// statement is kept in the history, the audit entry and the manifest. Other bodies are unaffected.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportView, RequestOf } from '../../../shared/contract';
import { addUser, northSouthSite, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { standIn, standInProducer as producer, standInSigningKey as signingKey } from '../testing/export-stand-ins';

let t: TestEngine;
let reviewer: Caller;
let supervisor: Caller;
let camera = 0;
let recordedFrom = 0;
const REASON = 'Only the requester stands at the counter in the whole range; checked frame by frame';

beforeAll(async () => {
  t = await startTestEngine(undefined, { exports: { producer, signingKey } });
  const admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  camera = site.cam.north1;
  reviewer = await addUser(t, admin, { username: 'rev.ds', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.ds', role: 'supervisor', groupIds: [site.north] });
  recordedFrom = await recordFootage(t, [camera], 10);
  t.clock.advance(60_000);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

async function approved(bodyType: 'data_subject' | 'police'): Promise<ExportView> {
  const e = await reviewer.must('exports.create', {
    bodyType,
    bodyName: bodyType === 'data_subject' ? 'Anna Wiśniewska' : 'Komenda Rejonowa Policji',
    bodyReference: 'DS-12/26',
    receivedAtMs: t.clock.nowMs() - 60_000,
    purpose: 'Copy of her own recorded footage at the ticket office',
    legalBasis: 'Art. 15(3) GDPR',
    urgent: false,
    recipient: 'Anna Wiśniewska',
    incidentId: null,
    items: [{ cameraId: camera, fromMs: recordedFrom + 1_000, toMs: recordedFrom + 8_000 }],
  });
  await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Identity of the person checked' });
  return e;
}

const box = () => ({ cameraId: camera, label: 'Passer-by', keyframes: [{ atMs: recordedFrom + 2_000, x: 0.1, y: 0.1, w: 0.2, h: 0.4 }] });
type Produce = RequestOf<'exports.produce'>;

async function refusal(request: Produce): Promise<string> {
  const r = await reviewer.call('exports.produce', request);
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  expect(r.error.kind).toBe('FailedPrecondition');
  // Refused before anything is claimed: no attempt, no hold, still approved.
  const after = await reviewer.must('exports.get', { exportId: request.exportId });
  expect(after.status).toBe('approved');
  expect(after.attempts).toEqual([]);
  return r.error.message;
}

async function produced(request: Produce): Promise<{ view: ExportView; manifest: Record<string, unknown> }> {
  standIn.behaviour = 'ok';
  await reviewer.must('exports.produce', request);
  await t.engine.exports.idle();
  const view = await reviewer.must('exports.get', { exportId: request.exportId });
  expect(view.status).toBe('produced');
  const manifest = JSON.parse(fs.readFileSync(path.join(view.production!.packagePath!, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  return { view, manifest };
}

const auditReason = async (exportId: number) =>
  (await t.engine.store.db.selectFrom('audit_log').select('reason').where('action', '=', 'exports.produce').where('target', '=', `export#${exportId}`).where('outcome', '=', 'allowed').orderBy('seq', 'desc').executeTakeFirstOrThrow()).reason;

describe('JON 19 data-subject packages', () => {
  it('without redaction boxes or an attestation it is refused, in words naming what to do (burn-in and copy alike)', async () => {
    const e = await approved('data_subject');
    for (const mode of ['burn_in', 'copy'] as const) {
      expect(await refusal({ exportId: e.id, mode, redactions: [] })).toBe(
        'A data subject’s package (JON 19) cannot be produced while people other than the data subject may be visible: cover them with redaction boxes (burn-in) and confirm it, or attest with a reason that nobody else is visible.',
      );
    }
    // Confirming boxes that are not there is no confirmation.
    expect(await refusal({ exportId: e.id, mode: 'burn_in', redactions: [], redactionsCoverOthers: true })).toMatch(/^You confirmed that redaction boxes cover every other person, but the package has none/);
  });

  it('with boxes but without the confirmation it is refused; with the confirmation it is produced and recorded', async () => {
    const e = await approved('data_subject');
    expect(await refusal({ exportId: e.id, mode: 'burn_in', redactions: [box()] })).toMatch(/confirm that the redaction boxes cover every person other than the data subject/);
    expect(await refusal({ exportId: e.id, mode: 'burn_in', redactions: [box()], redactionsCoverOthers: false })).toMatch(/confirm that the redaction boxes cover/);
    const { view, manifest } = await produced({ exportId: e.id, mode: 'burn_in', redactions: [box()], redactionsCoverOthers: true });
    expect(manifest.dataSubject).toEqual({ basis: 'boxes_confirmed', by: 'rev.ds', reason: null, redactionBoxes: 1 });
    expect(view.history.map((h) => h.action)).toEqual(['requested', 'approved', 'production started', 'data subject confirmed', 'hold placed', 'produced']);
    expect(view.history.find((h) => h.action === 'data subject confirmed')).toMatchObject({ actor: 'rev.ds', note: '', details: { kind: 'boxes_confirmed', redactions: 1 } });
    expect(await auditReason(e.id)).toBe('redaction boxes cover every other person');
  });

  it('with an attestation and its reason it is produced; the manifest, the history and the audit entry carry the reason', async () => {
    const e = await approved('data_subject');
    const { view, manifest } = await produced({ exportId: e.id, mode: 'burn_in', redactions: [], attestation: { reason: REASON } });
    expect(manifest.dataSubject).toEqual({ basis: 'attested', by: 'rev.ds', reason: REASON, redactionBoxes: 0 });
    expect(view.history.find((h) => h.action === 'data subject confirmed')).toMatchObject({ actor: 'rev.ds', note: REASON, details: { kind: 'attested', redactions: 0 } });
    expect(await auditReason(e.id)).toBe(`nobody else visible: ${REASON}`);
  });

  it('an attestation reason shorter than 10 or longer than 500 characters is refused by the contract', async () => {
    const e = await approved('data_subject');
    for (const reason of ['alone', 'x'.repeat(501), '          ']) {
      const r = await reviewer.call('exports.produce', { exportId: e.id, mode: 'burn_in', redactions: [], attestation: { reason } });
      expect(!r.ok && r.error.kind).toBe('InvalidArgument');
    }
  });

  it('copy mode: allowed with an attestation (nobody else to cover), refused with boxes (a copy cannot carry them)', async () => {
    const e = await approved('data_subject');
    expect(await refusal({ exportId: e.id, mode: 'copy', redactions: [box()], redactionsCoverOthers: true })).toBe('A copy cannot carry redaction boxes: produce the package with burn-in, or remove the boxes.');
    const { manifest } = await produced({ exportId: e.id, mode: 'copy', redactions: [], attestation: { reason: REASON } });
    expect(manifest.dataSubject).toMatchObject({ basis: 'attested', reason: REASON });
  });

  it('a police export is unaffected: produced without either, its manifest has no dataSubject, its history no confirmation; the statement is refused there', async () => {
    const e = await approved('police');
    expect(await refusal({ exportId: e.id, mode: 'copy', redactions: [], attestation: { reason: REASON } })).toMatch(/applies only to a data subject’s request/);
    const { view, manifest } = await produced({ exportId: e.id, mode: 'copy', redactions: [] });
    expect('dataSubject' in manifest).toBe(false);
    expect(view.history.map((h) => h.action)).toEqual(['requested', 'approved', 'production started', 'hold placed', 'produced']);
    expect(await auditReason(e.id)).toBe('');
  });
});
