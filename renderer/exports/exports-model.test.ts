import { describe, expect, it } from 'vitest';
import type { ExportView, SessionView } from '../../shared/contract';
import { newItemRow } from '../holds/hold-form-model';
import { toLocalDateTimeInput } from '../kit/format-time';
import {
  canDecide,
  concernsExport,
  EXPORT_EVENTS,
  listChanges,
  canExtend,
  canHandOver,
  canProduce,
  createIssueKey,
  deadlineWording,
  etaParts,
  incidentRange,
  initialRows,
  legalBasisExampleKey,
  progressPercent,
  requestProblems,
  toCreateRequest,
  weekdaysBetween,
  type RequestForm,
} from './exports-model';

const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime();
const NOW = at(2026, 3, 11, 10); // a Wednesday

function form(patch: Partial<RequestForm> = {}): RequestForm {
  return {
    bodyType: 'police',
    bodyName: 'Komenda Miejska Policji w Krakowie',
    bodyReference: 'RSD-123/26',
    received: toLocalDateTimeInput(NOW - 3_600_000),
    purpose: 'Assault at the tram stop on 10 March',
    legalBasis: 'Art. 217 §1 k.p.k.',
    urgent: true,
    recipient: 'asp. Jan Nowak',
    rows: [{ ...newItemRow(NOW), cameraId: '3' }],
    ...patch,
  };
}

const session = (username: string, permissions: SessionView['permissions']): Pick<SessionView, 'user' | 'permissions'> => ({
  user: { id: 1, username, displayName: username.toUpperCase(), role: 'supervisor', language: 'en' },
  permissions,
});
const SUPERVISOR: SessionView['permissions'] = ['exports.read', 'exports.request', 'exports.approve'];
const REVIEWER: SessionView['permissions'] = ['exports.read', 'exports.request'];

describe('export request form', () => {
  it('a complete form becomes the exports.create request, trimmed', () => {
    const request = toCreateRequest(form({ bodyName: '  KMP Kraków ' }), 7, NOW);
    expect(request).toMatchObject({ bodyType: 'police', bodyName: 'KMP Kraków', urgent: true, incidentId: 7 });
    expect(request?.items).toEqual([{ cameraId: 3, fromMs: expect.any(Number), toMs: expect.any(Number) }]);
    expect(request?.receivedAtMs).toBe(Math.floor((NOW - 3_600_000) / 60_000) * 60_000);
  });

  it('says what is missing, field by field', () => {
    expect(requestProblems(form(), NOW)).toEqual([]);
    expect(requestProblems(form({ bodyName: ' ', purpose: 'too short', legalBasis: '', recipient: '', rows: [] }), NOW)).toEqual([
      'bodyName',
      'purpose',
      'legalBasis',
      'recipient',
      'items',
    ]);
    expect(requestProblems(form({ received: toLocalDateTimeInput(NOW + 3_600_000) }), NOW)).toEqual(['received']);
    expect(requestProblems(form({ rows: [{ ...newItemRow(NOW), cameraId: null }] }), NOW)).toEqual(['items']);
    expect(toCreateRequest(form({ purpose: '' }), null, NOW)).toBeNull();
  });

  it('refuses more than 16 ranges and a range over 24 hours', () => {
    const rows = Array.from({ length: 17 }, () => ({ ...newItemRow(NOW), cameraId: '1' }));
    expect(requestProblems(form({ rows }), NOW)).toEqual(['itemCount']);
    const long = { ...newItemRow(NOW), cameraId: '1', from: toLocalDateTimeInput(NOW - 25 * 3_600_000) };
    expect(requestProblems(form({ rows: [long] }), NOW)).toEqual(['itemLength']);
  });

  it('prefilled ranges go to the second and stop at now; a range into the future is refused before sending', () => {
    const rows = initialRows([{ cameraId: 4, fromMs: NOW - 600_500, toMs: NOW + 60_000 }, { cameraId: 5, fromMs: NOW + 1000, toMs: NOW + 5000 }], NOW + 400);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cameraId: '4', from: toLocalDateTimeInput(NOW - 601_000) + ':59', to: toLocalDateTimeInput(NOW) + ':00' });
    const future = { ...newItemRow(NOW), cameraId: '1', to: toLocalDateTimeInput(NOW + 120_000) };
    expect(requestProblems(form({ rows: [future] }), NOW)).toEqual(['itemFuture']);
    expect(createIssueKey({ kind: 'InvalidArgument', issues: ['items: future'] })).toBe('exports.problems.itemFuture');
    expect(createIssueKey({ kind: 'NotFound' })).toBeNull();
  });

  it('urgency only for police, prosecutor and court', () => {
    expect(toCreateRequest(form({ bodyType: 'data_subject', urgent: true }), null, NOW)?.urgent).toBe(false);
    expect(toCreateRequest(form({ bodyType: 'court', urgent: true }), null, NOW)?.urgent).toBe(true);
  });

  it('legal-basis examples follow the body type and, for authorities, the country', () => {
    expect(legalBasisExampleKey('police', 'PL')).toBe('exports.basisExample.PL.police');
    expect(legalBasisExampleKey('court', 'CZ')).toBe('exports.basisExample.CZ.court');
    expect(legalBasisExampleKey('data_subject', 'LT')).toBe('exports.basisExample.data_subject');
  });

  it('an incident range is kept; a live mark covers 2 minutes before to 3 after', () => {
    expect(incidentRange({ startMs: 1000, endMs: 5000 })).toEqual({ fromMs: 1000, toMs: 5000 });
    expect(incidentRange({ startMs: 600_000, endMs: null })).toEqual({ fromMs: 480_000, toMs: 780_000 });
  });
});

describe('deadlines', () => {
  it('counts Monday to Friday, across a weekend and backwards', () => {
    expect(weekdaysBetween(NOW, at(2026, 3, 11, 23))).toBe(0);
    expect(weekdaysBetween(NOW, at(2026, 3, 12))).toBe(1);
    expect(weekdaysBetween(NOW, at(2026, 3, 16))).toBe(3); // Thu, Fri, Mon
    expect(weekdaysBetween(at(2026, 3, 13), at(2026, 3, 15))).toBe(0); // Fri -> Sun
    expect(weekdaysBetween(NOW, at(2026, 3, 9))).toBe(-2);
    // Across the change to summer time (29 March 2026 in Europe).
    expect(weekdaysBetween(at(2026, 3, 27), at(2026, 3, 31))).toBe(2);
  });

  it('words the deadline: left, due today, overdue, done', () => {
    expect(deadlineWording({ deadlineMs: at(2026, 3, 18), deadlineState: 'ok' }, NOW)).toEqual({ key: 'left', days: 5 });
    expect(deadlineWording({ deadlineMs: at(2026, 3, 11, 23), deadlineState: 'near' }, NOW)).toEqual({ key: 'today' });
    expect(deadlineWording({ deadlineMs: at(2026, 3, 9), deadlineState: 'overdue' }, NOW)).toEqual({ key: 'overdue', days: 2 });
    expect(deadlineWording({ deadlineMs: at(2026, 3, 9), deadlineState: 'done' }, NOW)).toEqual({ key: 'done' });
  });
});

describe('who may do what', () => {
  const view = (patch: Partial<ExportView> = {}) =>
    ({ status: 'pending', requestedBy: 'ewa.sup', bodyType: 'police', deadlineExtension: null, ...patch }) as Pick<ExportView, 'status' | 'requestedBy' | 'bodyType' | 'deadlineExtension'>;

  it('a supervisor never decides their own request (R6)', () => {
    expect(canDecide(view(), session('ewa.sup', SUPERVISOR))).toBe(false);
    expect(canDecide(view({ requestedBy: 'EWA.SUP' }), session('ewa.sup', SUPERVISOR))).toBe(false);
    expect(canDecide(view(), session('piotr.sup', SUPERVISOR))).toBe(true);
    expect(canDecide(view(), session('ola.review', REVIEWER))).toBe(false);
    expect(canDecide(view({ status: 'approved' }), session('piotr.sup', SUPERVISOR))).toBe(false);
  });

  it('only a pending data subject request is extended, once', () => {
    expect(canExtend(view({ bodyType: 'data_subject' }), session('x', SUPERVISOR))).toBe(true);
    expect(canExtend(view(), session('x', SUPERVISOR))).toBe(false);
    expect(canExtend(view({ bodyType: 'data_subject', deadlineExtension: { untilMs: 1, reason: 'r', by: 'b' } }), session('x', SUPERVISOR))).toBe(false);
    expect(canExtend(view({ bodyType: 'data_subject' }), session('x', REVIEWER))).toBe(false);
  });

  it('production after approval (or a failure), handover after production', () => {
    expect(canProduce({ status: 'pending' }, session('x', REVIEWER))).toBe(false);
    expect(canProduce({ status: 'approved' }, session('x', REVIEWER))).toBe(true);
    expect(canProduce({ status: 'failed' }, session('x', REVIEWER))).toBe(true);
    expect(canProduce({ status: 'approved' }, session('x', ['exports.read']))).toBe(false);
    expect(canHandOver({ status: 'produced' }, session('x', REVIEWER))).toBe(true);
    expect(canHandOver({ status: 'handed_over' }, session('x', REVIEWER))).toBe(false);
  });
});

describe('production progress', () => {
  it('percent is whole and bounded; time left in minutes and seconds', () => {
    expect(progressPercent(0.456)).toBe(45);
    expect(progressPercent(1.2)).toBe(100);
    expect(progressPercent(Number.NaN)).toBe(0);
    expect(etaParts(null)).toBeNull();
    expect(etaParts(83_200)).toEqual({ minutes: 1, seconds: 24 });
    expect(etaParts(0)).toEqual({ minutes: 0, seconds: 0 });
  });
});

describe('export events and the lists (every list read is audited)', () => {
  const production = (state: 'producing' | 'produced' | 'failed' | 'cancelled', progress: number) => ({ type: 'export.production' as const, seq: 1, atMs: 0, exportId: 4, state, progress });

  it('a production\'s progress does not reload the list; its start and end do', () => {
    expect(listChanges(production('producing', 0))).toBe(true);
    expect(listChanges(production('producing', 0.4))).toBe(false);
    expect(listChanges(production('produced', 1))).toBe(true);
    expect(listChanges(production('failed', 0.2))).toBe(true);
    expect(listChanges({ type: 'export.created', seq: 2, atMs: 0, exportId: 5 })).toBe(true);
  });

  it('an open request follows only its own events', () => {
    expect(concernsExport(4, { exportId: 4 })).toBe(true);
    expect(concernsExport(4, { exportId: 5 })).toBe(false);
    expect(EXPORT_EVENTS).toContain('export.decided');
  });
});
