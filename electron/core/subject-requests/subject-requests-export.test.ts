// A requester's copy never skips redaction (JON 19; docs/design/subject-requests.md "Links"): the
// export request a copy request links must be a data subject's, which the export path produces only
// with every other person covered by redaction boxes or an attestation that nobody else is visible.
// Through the real engine with recorded footage and the export stand-in producer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_BODY_TYPES, type ExportBodyType } from '../../../shared/contract';
import { standIn, standInProducer as producer, standInSigningKey as signingKey } from '../testing/export-stand-ins';
import { addUser, northSouthSite, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let reviewer: Caller;
let supervisor: Caller;
let dpo: Caller;
let camera = 0;
let recordedFrom = 0;

beforeAll(async () => {
  t = await startTestEngine(undefined, { exports: { producer, signingKey } });
  const admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  camera = site.cam.north1;
  reviewer = await addUser(t, admin, { username: 'rev.dsx', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.dsx', role: 'supervisor', groupIds: [site.north] });
  dpo = await addUser(t, admin, { username: 'dpo.dsx', role: 'auditor', groupIds: [] });
  recordedFrom = await recordFootage(t, [camera], 10);
  t.clock.advance(60_000);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

async function approvedExport(bodyType: ExportBodyType): Promise<number> {
  const e = await reviewer.must('exports.create', {
    bodyType,
    bodyName: bodyType === 'data_subject' ? 'Anna Wiśniewska' : 'Komenda Rejonowa Policji',
    bodyReference: 'DSR-copy',
    receivedAtMs: t.clock.nowMs() - 60_000,
    purpose: 'Copy of her own recorded footage at the ticket office',
    legalBasis: 'Art. 15(3) GDPR',
    urgent: false,
    recipient: 'Anna Wiśniewska',
    incidentId: null,
    items: [{ cameraId: camera, fromMs: recordedFrom + 1_000, toMs: recordedFrom + 8_000 }],
  });
  await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Identity of the person checked' });
  return e.id;
}

const copyRequest = async (kind: 'copy' | 'information' = 'copy') => {
  const r = await dpo.must('subjects.record', { kind, receivedAtMs: t.clock.nowMs() - 60_000, channel: 'in_person', requesterName: 'Anna Wiśniewska', requesterContact: '+48 600 000 000', identity: { method: 'id_document', checkedBy: 'Front desk' } });
  await dpo.must('subjects.decide', { requestId: r.id, outcome: 'granted' });
  return r.id;
};

describe('a request’s export can never skip redaction (JON 19)', () => {
  it('an export request of any body but a data subject is refused as the copy of a request', async () => {
    const requestId = await copyRequest();
    for (const bodyType of EXPORT_BODY_TYPES.filter((b) => b !== 'data_subject')) {
      const exportId = await approvedExport(bodyType);
      expect(await dpo.call('subjects.link', { requestId, exportId }), bodyType).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', issues: ['exportId: notDataSubject'] } });
    }
    expect((await dpo.must('subjects.get', { requestId })).links).toEqual([]);
  });

  it('an export request is linked only to a request for a copy', async () => {
    const requestId = await copyRequest('information');
    expect(await dpo.call('subjects.link', { requestId, exportId: await approvedExport('data_subject') })).toMatchObject({ ok: false, error: { issues: ['exportId: notCopy'] } });
  });

  it('the linked data subject’s export is produced only with the redaction statement, which the register then shows', async () => {
    const requestId = await copyRequest();
    const exportId = await approvedExport('data_subject');
    const linked = await dpo.must('subjects.link', { requestId, exportId });
    expect(linked.links).toEqual([expect.objectContaining({ kind: 'export', targetId: exportId, label: `EXP-${exportId}`, status: 'approved', redaction: null })]);
    // The export path refuses the package without boxes confirmed or an attestation, as for any data subject.
    const refused = await reviewer.call('exports.produce', { exportId, mode: 'burn_in', redactions: [] });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', message: expect.stringContaining('JON 19') } });
    expect((await dpo.must('subjects.get', { requestId })).links[0]).toMatchObject({ status: 'approved', redaction: null });

    standIn.behaviour = 'ok';
    const box = { cameraId: camera, label: 'Passer-by', keyframes: [{ atMs: recordedFrom + 2_000, x: 0.1, y: 0.1, w: 0.2, h: 0.4 }] };
    await reviewer.must('exports.produce', { exportId, mode: 'burn_in', redactions: [box], redactionsCoverOthers: true });
    await t.engine.exports.idle();
    expect((await dpo.must('subjects.get', { requestId })).links[0]).toMatchObject({ status: 'produced', redaction: 'boxes_confirmed' });
  });
});
