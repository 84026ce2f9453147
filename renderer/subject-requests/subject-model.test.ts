// The register screen's own decisions (subject-model.ts): the deadline's flag, the queue's counts,
// which steps are offered, and a fee typed in any interface language's form.
import { describe, expect, it } from 'vitest';
import type { SubjectRequestView } from '../../shared/contract';
import { deadlineFlag, feeMinorFromInput, flagCounts, formatFee, nextSteps } from './subject-model';

const request = (over: Partial<SubjectRequestView> = {}, deadline: Partial<SubjectRequestView['deadline']> = {}): SubjectRequestView => ({
  id: 1,
  reference: 'DSR-1',
  kind: 'copy',
  status: 'open',
  country: 'PL',
  receivedAtMs: 0,
  channel: 'letter',
  requesterName: 'Anna',
  requesterContact: 'a@b.c',
  footage: '',
  recordedBy: 'dpo',
  recordedAtMs: 0,
  identity: null,
  deadline: { phase: 'answer', dueMs: 1, state: 'ok', originalDueMs: 1, decidedLate: false, answeredLate: false, extendable: true, ...deadline },
  extension: null,
  decision: null,
  answer: null,
  links: [],
  viewings: [],
  history: [],
  ...over,
});

describe('the queue', () => {
  it('flags overdue red and near amber, and counts them', () => {
    const rows = [request({}, { state: 'overdue' }), request({}, { state: 'near' }), request({}, { state: 'near' }), request({}, { state: 'done' })];
    expect(rows.map(deadlineFlag)).toEqual(['red-6', 'orange-5', 'orange-5', null]);
    expect(flagCounts(rows)).toEqual({ overdue: 1, near: 2 });
  });
});

describe('next steps', () => {
  const decision = { outcome: 'granted' as const, reason: '', fee: null, remediesTold: false, by: 'dpo', atMs: 1 };
  it('offers nothing to a reader who does not keep the register', () => {
    expect(Object.values(nextSteps(request(), false)).some(Boolean)).toBe(false);
  });
  it('follows the record: identity and decision first, then the answer; an export only for a copy; a viewing once granted', () => {
    expect(nextSteps(request(), true)).toMatchObject({ identity: true, extend: true, decide: true, answer: false, linkExport: true, viewing: false });
    expect(nextSteps(request({ kind: 'erasure' }), true).linkExport).toBe(false);
    const decided = nextSteps(request({ status: 'decided', decision, identity: { method: 'id_document', checkedBy: 'x', note: '', recordedBy: 'dpo', atMs: 1 } }, { extendable: false }), true);
    expect(decided).toMatchObject({ identity: false, extend: false, decide: false, answer: true, viewing: true });
    expect(nextSteps(request({ status: 'answered', decision: { ...decision, outcome: 'refused' } }), true)).toMatchObject({ answer: false, decide: false, viewing: false, link: true });
  });
});

describe('a fee as typed', () => {
  it('reads dots, commas and grouping spaces; refuses zero, three decimals and words', () => {
    expect(['50', '50.5', '50,50', '1 200,00', '0,01'].map(feeMinorFromInput)).toEqual([5000, 5050, 5050, 120000, 1]);
    expect(['0', '0,00', '1,234', 'ten', '', '-5', '1.2.3'].map(feeMinorFromInput)).toEqual([null, null, null, null, null, null, null]);
  });
  it('is shown in the language’s currency form', () => {
    expect(formatFee(5000, 'PLN', 'pl-PL').replace(/\s/g, ' ')).toBe('50,00 zł');
    expect(formatFee(1000, 'EUR', 'en-GB')).toBe('€10.00');
  });
});
