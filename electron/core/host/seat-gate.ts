// Who may open a socket on the site engine, and how a seat enrols (docs/design/site-engine.md
// "Enrolment", "The seat credential"; docs/adr/0003-site-engine-tls-and-seat-enrolment.md).
// - POST /enrol `{ code, version, delivery? }` trades a one-time code for the seat's credential:
//   in the answer (a Node seat, which keeps it in the OS keychain), or only as an HttpOnly Secure
//   SameSite=Strict cookie (a browser seat, whose page never sees it).
// - A socket presents the credential as `Authorization: Seat <id>.<secret>` or as that cookie. A
//   cookie is a browser's, sent by any page the browser opens: it counts only with an Origin of the
//   engine's own, which a foreign page cannot forge. Every refusal says why, in words.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { ENROL_PATH, enrolRequest, SEAT_AUTH_SCHEME, SEAT_COOKIE, type SeatRefusal } from '../../../shared/contract/seats';
import type { Engine } from '../engine';
import type { Seat } from '../seats/seats-service';

const MAX_ENROL_BODY_BYTES = 4096;
/** A browser keeps a cookie at most 400 days; revocation, not expiry, ends a seat. */
const COOKIE_MAX_AGE_S = 400 * 86_400;

export type SeatCheck = { ok: true; seat: Seat; version?: string } | { ok: false; status: number; reason: SeatRefusal; message: string };

/** The remote address without the IPv4-mapped prefix. */
export function remoteAddress(req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Authenticates a socket of a site engine. `ownOrigins`: the origins the engine is reached at; the
 * Origin header, when there is one, must be among them, and a cookie counts only with one.
 */
export async function checkSeat(engine: Engine, req: http.IncomingMessage, ownOrigins: ReadonlySet<string>): Promise<SeatCheck> {
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.has(origin.toLowerCase())) {
    return { ok: false, status: 403, reason: 'not-enrolled', message: 'This page is not the site engine\'s own; a seat connects from the engine\'s own address only.' };
  }
  const auth = req.headers.authorization ?? '';
  const fromHeader = auth.startsWith(`${SEAT_AUTH_SCHEME} `) ? auth.slice(SEAT_AUTH_SCHEME.length + 1).trim() : null;
  const fromCookie = origin !== undefined ? cookie(req.headers.cookie, SEAT_COOKIE) : null;
  const credential = fromHeader ?? fromCookie;
  if (!credential) return { ok: false, status: 401, reason: 'not-enrolled', message: 'This seat is not enrolled with this site engine. Enrol it with a code from an administrator.' };
  const r = await engine.seats.authenticate(credential);
  if (!r.ok) return r;
  const version = req.headers['x-seat-version'];
  return { ok: true, seat: r.seat, ...(typeof version === 'string' && version.length <= 64 ? { version } : {}) };
}

/**
 * `GET /seat` from the engine's own page: a browser cannot read why its socket's upgrade was refused,
 * so the page asks here, with the same cookie and the same check as the socket (no other effect).
 */
export async function answerSeatCheck(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse, ownOrigins: ReadonlySet<string>, fingerprint: string): Promise<void> {
  const check = await checkSeat(engine, req, ownOrigins);
  const body = check.ok
    ? // nodes: the site's other nodes, whose media this seat also fetches (docs/design/scale.md "Seats on any node").
      { seat: { seatId: check.seat.id, name: check.seat.name, room: check.seat.room, fingerprint }, nodes: engine.otherNodeOrigins() }
    : { message: check.message, ...(check.reason ? { reason: check.reason } : {}) };
  const text = JSON.stringify(body);
  res.writeHead(check.ok ? 200 : check.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' }).end(text);
}

/** Ends an upgrade with a status and a JSON `{ message, reason }` a person can read. */
export function refuseUpgrade(socket: Duplex, status: number, body: { message: string; reason?: SeatRefusal }): void {
  const text = JSON.stringify(body);
  if (socket.writable && !socket.destroyed) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    setTimeout(() => socket.destroy(), 1000).unref();
  } else socket.destroy();
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 421: 'Misdirected Request', 429: 'Too Many Requests' };

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(text);
}

/** True when the request is an enrolment (then it is answered here). */
export function isEnrol(req: http.IncomingMessage): boolean {
  return (req.url ?? '').split('?')[0] === ENROL_PATH;
}

export async function handleEnrol(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse, ownOrigins: ReadonlySet<string>): Promise<void> {
  if (req.method !== 'POST') return json(res, 405, { message: 'Enrol with POST.' }, { Allow: 'POST' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ENROL_BODY_BYTES) return json(res, 413, { message: 'The enrolment request is too large.', reason: 'malformed' }, { Connection: 'close' });
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return json(res, 400, { message: 'The enrolment request is not JSON: expected { "code": "...", "version": "..." }.', reason: 'malformed' });
  }
  const parsed = enrolRequest.safeParse(body);
  if (!parsed.success) return json(res, 400, { message: `The enrolment request is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ').slice(0, 300)}`, reason: 'malformed' });
  const cookieDelivery = parsed.data.delivery === 'cookie';
  // A browser's enrolment sets a cookie: only the engine's own page may ask for that.
  if (cookieDelivery && !ownOrigins.has((req.headers.origin ?? '').toLowerCase())) {
    return json(res, 403, { message: 'A browser seat enrols from the site engine\'s own page only.', reason: 'malformed' });
  }
  const r = await engine.seats.enrol(parsed.data.code, parsed.data.version, remoteAddress(req));
  if (!r.ok) return json(res, r.status, { message: r.message, reason: r.reason });
  const answer = { seatId: r.seat.id, name: r.seat.name, room: r.seat.room, fingerprint: r.fingerprint };
  if (!cookieDelivery) return json(res, 200, { ...answer, credential: r.credential });
  return json(res, 200, answer, { 'Set-Cookie': `${SEAT_COOKIE}=${r.credential}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; Secure; SameSite=Strict` });
}
