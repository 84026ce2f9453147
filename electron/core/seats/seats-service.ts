// Seats of the site engine (docs/design/site-engine.md "Enrolment", "The seat credential",
// "Revocation"). An administrator registers a seat and gets a one-time code (80 random bits, 15
// minutes, single use, stored hashed); the seat trades it once, over TLS, for a credential (256
// random bits, stored hashed, shown once). Every socket of a site engine authenticates with that
// credential; revoking the seat closes its sockets at once and refuses it from then on.
// Refusals are worded for a person and carry a `reason` a seat acts on (shared/contract/seats.ts).
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { CLOSE_SEAT_REVOKED, type SeatRefusal, type SeatView } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { SeatRecords, SeatRow } from './seat-records';

export const ENROL_CODE_TTL_MS = 15 * 60_000;
/** Wrong codes one address may send per window before it is refused for the rest of the window. */
const ENROL_FAILURES_PER_WINDOW = 10;
const ENROL_WINDOW_MS = 10 * 60_000;
/** Who registered a seat through the engine machine's local socket. */
export const ENGINE_MACHINE = 'engine-machine';
/** Crockford's base32: no I, L, O, U, so what a person reads aloud is what they type. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type Refused = { ok: false; status: number; reason: SeatRefusal; message: string };
export type Seat = Pick<SeatRow, 'id' | 'name' | 'room'>;

/** What a transport needs to close one socket of a seat. */
export interface SeatSocket {
  close(code: number, reason: string): void;
}

export interface SeatsOptions {
  records: SeatRecords;
  clock: Clock;
  audit: AuditLog;
  /** The site CA's fingerprint; null when this engine is not a site engine (desktop, loopback host). */
  fingerprint: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A code as typed: case, spaces and dashes do not matter, and O/I/L read as 0/1/1. */
export function normaliseCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function newCode(): string {
  const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export class SeatsService {
  /** Open sockets per seat id: what a revocation closes. */
  private readonly sockets = new Map<number, Set<SeatSocket>>();
  private readonly failures = new Map<string, { count: number; sinceMs: number }>();
  /** Seats revoked while this engine runs: a socket authenticated just before a revocation and
   *  attached just after it is closed at once, not kept. */
  private readonly revoked = new Set<number>();

  constructor(private readonly o: SeatsOptions) {}

  get fingerprint(): string | null {
    return this.o.fingerprint;
  }

  async register(name: string, room: string, by: string): Promise<{ ok: true; seat: SeatView; code: string; codeExpiresAtMs: number; fingerprint: string } | { ok: false; kind: 'FailedPrecondition' | 'AlreadyExists'; message: string }> {
    const fingerprint = this.o.fingerprint;
    if (!fingerprint) {
      return { ok: false, kind: 'FailedPrecondition', message: 'Seats enrol with the site engine only (npm run engine, docs/design/site-engine.md); this engine runs on one computer.' };
    }
    if (await this.o.records.activeByName(name)) return { ok: false, kind: 'AlreadyExists', message: `A seat named ${JSON.stringify(name)} exists already; revoke it first or choose another name.` };
    const code = newCode();
    const nowMs = this.o.clock.nowMs();
    const row = await this.o.records.insert({ name, room, createdBy: by, createdAtMs: nowMs, codeSha256: sha256(normaliseCode(code)), codeExpiresAtMs: nowMs + ENROL_CODE_TTL_MS });
    return { ok: true, seat: this.view(row), code, codeExpiresAtMs: row.code_expires_at_ms, fingerprint };
  }

  /** A code asked for on the engine machine itself (host/local-admin.ts): audited here, as a command would be. */
  async registerLocally(name: string, room: string): Promise<Awaited<ReturnType<SeatsService['register']>>> {
    const entry = { actor: ENGINE_MACHINE, action: 'seats.register', target: `seat:${name}`, details: { via: 'local socket', room } };
    await this.o.audit.append({ ...entry, outcome: 'allowed' });
    const r = await this.register(name, room, ENGINE_MACHINE);
    if (!r.ok) await this.o.audit.append({ ...entry, outcome: 'failed', details: { ...entry.details, error: r.kind } });
    return r;
  }

  async list(): Promise<SeatView[]> {
    return (await this.o.records.all()).map((r) => this.view(r));
  }

  /** The room of a seat not revoked; null for none (a revoked seat's sockets are closed anyway). */
  async roomOf(seatId: number): Promise<string | null> {
    const row = await this.o.records.byId(seatId);
    return row && row.revoked_at_ms === null ? row.room : null;
  }

  /** The rooms of the seats not revoked. */
  async rooms(): Promise<string[]> {
    return [...new Set((await this.o.records.all()).filter((r) => r.revoked_at_ms === null).map((r) => r.room))].sort();
  }

  /** Revokes a seat and closes every socket it has open, at once. */
  async revoke(id: number, reason: string, by: string): Promise<{ ok: true; seat: SeatView; closedConnections: number } | { ok: false; kind: 'NotFound' | 'FailedPrecondition'; message: string }> {
    const row = await this.o.records.byId(id);
    if (!row) return { ok: false, kind: 'NotFound', message: 'No such seat.' };
    if (!(await this.o.records.revoke(id, { by, reason, nowMs: this.o.clock.nowMs() }))) {
      return { ok: false, kind: 'FailedPrecondition', message: `The seat ${JSON.stringify(row.name)} is already revoked.` };
    }
    this.revoked.add(id);
    const open = [...(this.sockets.get(id) ?? [])];
    this.sockets.delete(id);
    for (const s of open) s.close(CLOSE_SEAT_REVOKED, 'seat revoked');
    return { ok: true, seat: this.view((await this.o.records.byId(id))!), closedConnections: open.length };
  }

  /** Trades a one-time code for the seat's credential (`<seatId>.<secret>`, shown once). */
  async enrol(codeText: string, version: string, address: string): Promise<{ ok: true; seat: Seat; credential: string; fingerprint: string } | Refused> {
    const fingerprint = this.o.fingerprint;
    if (!fingerprint) return { ok: false, status: 404, reason: 'malformed', message: 'This engine enrols no seats.' };
    const nowMs = this.o.clock.nowMs();
    const limited = this.limited(address, nowMs);
    if (limited) return limited;
    const row = await this.o.records.byCode(sha256(normaliseCode(codeText)));
    const refuse = async (status: number, reason: SeatRefusal, message: string): Promise<Refused> => {
      this.countFailure(address, nowMs);
      await this.o.audit.append({ actor: `seat:?@${address}`, action: 'seat.enrol', target: row ? `seat:${row.id}` : '', outcome: 'denied', details: { reason, version } });
      return { ok: false, status, reason, message };
    };
    if (!row) return refuse(403, 'bad-code', 'This enrolment code is not valid. Check what you typed, or ask an administrator for a new code.');
    if (row.revoked_at_ms !== null) return refuse(403, 'revoked', `The seat ${JSON.stringify(row.name)} was revoked; its code no longer works. Ask an administrator to register the seat again.`);
    if (row.enrolled_at_ms !== null) {
      return refuse(409, 'used-code', `This enrolment code was already used at ${when(row.enrolled_at_ms)}. Each code enrols one seat once; ask an administrator for a new one.`);
    }
    if (nowMs > row.code_expires_at_ms) {
      return refuse(410, 'expired-code', `This enrolment code expired at ${when(row.code_expires_at_ms)} (codes last 15 minutes). Ask an administrator for a new one.`);
    }
    const secret = randomBytes(32).toString('base64url');
    if (!(await this.o.records.enrol(row.id, { credentialSha256: sha256(secret), version, nowMs, address }))) {
      // Another request with the same code, or a revocation, won the race.
      return refuse(409, 'used-code', 'This enrolment code was used at the same moment by another request. Ask an administrator for a new one.');
    }
    await this.o.audit.append({ actor: `seat:${row.name}@${address}`, action: 'seat.enrolled', target: `seat:${row.id}`, outcome: 'allowed', details: { room: row.room, version } });
    return { ok: true, seat: { id: row.id, name: row.name, room: row.room }, credential: `${row.id}.${secret}`, fingerprint };
  }

  /** Checks a credential `<seatId>.<secret>`: the seat, or why it is refused. */
  async authenticate(credential: string): Promise<{ ok: true; seat: Seat } | Refused> {
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(credential);
    const notEnrolled: Refused = { ok: false, status: 401, reason: 'not-enrolled', message: 'This seat is not enrolled with this site engine. Enrol it with a code from an administrator.' };
    if (!m) return notEnrolled;
    const row = await this.o.records.byId(Number(m[1]));
    if (!row?.credential_sha256) return notEnrolled;
    const offered = Buffer.from(sha256(m[2]!), 'hex');
    if (!timingSafeEqual(offered, Buffer.from(row.credential_sha256, 'hex'))) return notEnrolled;
    if (row.revoked_at_ms !== null) {
      return {
        ok: false,
        status: 403,
        reason: 'revoked',
        message: `This seat (${row.name}) was revoked at ${when(row.revoked_at_ms)} by ${row.revoked_by ?? 'an administrator'}: ${row.revoke_reason ?? ''}. Ask an administrator to enrol it again.`,
      };
    }
    return { ok: true, seat: { id: row.id, name: row.name, room: row.room } };
  }

  /** A socket of an authenticated seat opened: it is closed by a revocation; returns the detach. */
  attach(seat: Seat, socket: SeatSocket, seen: { address: string; version?: string }): () => void {
    if (this.revoked.has(seat.id)) {
      socket.close(CLOSE_SEAT_REVOKED, 'seat revoked');
      return () => {};
    }
    let set = this.sockets.get(seat.id);
    if (!set) this.sockets.set(seat.id, (set = new Set()));
    set.add(socket);
    const note = () => void this.o.records.seen(seat.id, { nowMs: this.o.clock.nowMs(), ...seen }).catch(() => {});
    note();
    return () => {
      set.delete(socket);
      if (set.size === 0 && this.sockets.get(seat.id) === set) this.sockets.delete(seat.id);
      note();
    };
  }

  private view(r: SeatRow): SeatView {
    return {
      id: r.id,
      name: r.name,
      room: r.room,
      createdBy: r.created_by,
      createdAtMs: r.created_at_ms,
      codeExpiresAtMs: r.code_expires_at_ms,
      enrolledAtMs: r.enrolled_at_ms,
      version: r.version,
      lastSeenAtMs: r.last_seen_at_ms,
      lastAddress: r.last_address,
      connections: this.sockets.get(r.id)?.size ?? 0,
      revokedAtMs: r.revoked_at_ms,
      revokedBy: r.revoked_by,
      revokeReason: r.revoke_reason,
    };
  }

  private limited(address: string, nowMs: number): Refused | null {
    const f = this.failures.get(address);
    if (!f || nowMs - f.sinceMs > ENROL_WINDOW_MS) return null;
    if (f.count < ENROL_FAILURES_PER_WINDOW) return null;
    const minutes = Math.max(1, Math.ceil((f.sinceMs + ENROL_WINDOW_MS - nowMs) / 60_000));
    return { ok: false, status: 429, reason: 'too-many', message: `Too many wrong enrolment codes from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` };
  }

  private countFailure(address: string, nowMs: number): void {
    const f = this.failures.get(address);
    if (!f || nowMs - f.sinceMs > ENROL_WINDOW_MS) this.failures.set(address, { count: 1, sinceMs: nowMs });
    else f.count += 1;
    // Bounded: a flood from many addresses cannot grow the map without end.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
