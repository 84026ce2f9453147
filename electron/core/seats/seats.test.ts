// Seats (docs/design/site-engine.md "Enrolment"): codes are single use, expire after 15 minutes and
// are stored hashed; credentials too; a revoked seat is refused by its credential and its unused
// code; names are unique among seats not revoked; an engine that is not a site engine enrols no one.
import { afterEach, describe, expect, it } from 'vitest';
import { setUpAdmin, startTestEngine, type TestEngine } from '../testing/harness';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});
const FP = 'a'.repeat(64);

describe('seats', () => {
  it('one code enrols one seat once, within 15 minutes; code and credential are kept hashed', async () => {
    t = await startTestEngine(undefined, { site: { fingerprint: FP } });
    const admin = await setUpAdmin(t);
    const r = await admin.must('seats.register', { name: 'Desk 2', room: 'Control room' });
    expect(r).toMatchObject({ fingerprint: FP, seat: { name: 'Desk 2', enrolledAtMs: null } });
    expect(r.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // Typed in lower case without dashes, it still counts.
    const e = await t.engine.seats.enrol(r.code.toLowerCase().replace(/-/g, ''), '1.0', '10.0.0.9');
    if (!e.ok) throw new Error(e.message);
    expect(e.credential).toMatch(new RegExp(`^${e.seat.id}\\.[A-Za-z0-9_-]{43}$`));
    expect(await t.engine.seats.enrol(r.code, '1.0', '10.0.0.9')).toMatchObject({ ok: false, status: 409, reason: 'used-code' });
    expect(await t.engine.seats.authenticate(e.credential)).toMatchObject({ ok: true, seat: { name: 'Desk 2' } });
    expect(await t.engine.seats.authenticate(e.credential.slice(0, -1) + (e.credential.endsWith('A') ? 'B' : 'A'))).toMatchObject({ ok: false, reason: 'not-enrolled' });

    const late = await admin.must('seats.register', { name: 'Desk 3', room: 'Control room' });
    t.clock.advance(15 * 60_000 + 1);
    expect(await t.engine.seats.enrol(late.code, '1.0', '10.0.0.9')).toMatchObject({ ok: false, status: 410, reason: 'expired-code' });

    const db = t.engine.store.db;
    const dump = JSON.stringify(await db.selectFrom('seats').selectAll().execute()) + JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
    expect(dump).not.toContain(r.code);
    expect(dump).not.toContain(e.credential.split('.')[1]);
  });

  it('a revoked seat is refused by its credential and its unused code, and its name is free again', async () => {
    t = await startTestEngine(undefined, { site: { fingerprint: FP } });
    const admin = await setUpAdmin(t);
    const r = await admin.must('seats.register', { name: 'Desk 2', room: 'Control room' });
    expect(await admin.call('seats.register', { name: 'Desk 2', room: 'Hall' })).toMatchObject({ ok: false, error: { kind: 'AlreadyExists' } });
    const e = await t.engine.seats.enrol(r.code, '1.0', '10.0.0.9');
    if (!e.ok) throw new Error(e.message);
    const closed: number[] = [];
    t.engine.seats.attach(e.seat, { close: (code) => closed.push(code) }, { address: '10.0.0.9' });
    const revoked = await admin.must('seats.revoke', { seatId: e.seat.id, reason: 'Desk replaced' });
    expect(revoked).toMatchObject({ closedConnections: 1, seat: { revokedBy: 'admin.anna', revokeReason: 'Desk replaced' } });
    expect(closed).toEqual([4403]);
    expect(await t.engine.seats.authenticate(e.credential)).toMatchObject({ ok: false, status: 403, reason: 'revoked', message: expect.stringMatching(/Desk replaced/) });
    expect(await admin.call('seats.revoke', { seatId: e.seat.id, reason: 'again' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
    const unused = await admin.must('seats.register', { name: 'Desk 4', room: 'Hall' });
    await admin.must('seats.revoke', { seatId: unused.seat.id, reason: 'Not needed' });
    expect(await t.engine.seats.enrol(unused.code, '1.0', '10.0.0.9')).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await admin.must('seats.register', { name: 'Desk 2', room: 'Hall' })).seat.name).toBe('Desk 2');
  });

  it('too many wrong codes from one address are refused for a while, in words', async () => {
    t = await startTestEngine(undefined, { site: { fingerprint: FP } });
    for (let i = 0; i < 10; i++) expect(await t.engine.seats.enrol('0000-0000-0000-0000', '1', '10.0.0.7')).toMatchObject({ reason: 'bad-code' });
    expect(await t.engine.seats.enrol('0000-0000-0000-0000', '1', '10.0.0.7')).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/Too many wrong enrolment codes/) });
    expect(await t.engine.seats.enrol('0000-0000-0000-0000', '1', '10.0.0.8')).toMatchObject({ reason: 'bad-code' });
  });

  it('an engine that is not a site engine registers no seat, and says so', async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    expect(await admin.call('seats.register', { name: 'Desk 2', room: 'Control room' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', message: expect.stringMatching(/site engine/) } });
  });
});
