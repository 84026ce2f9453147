// Seats of a site engine (docs/design/site-engine.md "Enrolment"): an administrator registers a
// seat and hands its one-time enrolment code to whoever sets the seat up; the seat enrols once over
// TLS and from then on authenticates every socket with its own credential. Revoking a seat ends its
// sessions at once. Also the wire constants of enrolment, shared by the engine and its seats.
import { z } from 'zod';
import { command } from './define';
import { empty, epochMs, id, longText, text } from './fields';

const settingsManage = { kind: 'permission', permission: 'settings.manage' } as const;

export const seatView = z.strictObject({
  id,
  name: z.string(),
  room: z.string(),
  createdBy: z.string(),
  createdAtMs: epochMs,
  /** While not enrolled: when its one-time code stops working. */
  codeExpiresAtMs: epochMs,
  enrolledAtMs: epochMs.nullable(),
  /** The seat software's version, as it said at enrolment or its last connection. */
  version: z.string().nullable(),
  lastSeenAtMs: epochMs.nullable(),
  lastAddress: z.string().nullable(),
  /** Sockets of this seat open now. */
  connections: z.number().int().min(0),
  revokedAtMs: epochMs.nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type SeatView = z.infer<typeof seatView>;

/** SHA-256 of the site CA's public key (hex): what a person compares when a seat enrols. */
const fingerprint = z.string().regex(/^[0-9a-f]{64}$/);

export const SEAT_COMMANDS = {
  'seats.register': command({
    request: z.strictObject({ name: text(64), room: text(64) }),
    // The code is shown once, here; the engine keeps only its hash and it never enters the audit log.
    response: z.strictObject({ seat: seatView, code: z.string(), codeExpiresAtMs: epochMs, fingerprint }),
    access: settingsManage,
    audit: { when: 'before' },
    target: (r) => `seat:${r.name}`,
    example: { name: 'Desk 2', room: 'Control room' },
  }),
  'seats.list': command({
    request: empty,
    response: z.strictObject({ seats: z.array(seatView), fingerprint: fingerprint.nullable() }),
    access: settingsManage,
    audit: { when: 'before' },
    example: {},
  }),
  'seats.revoke': command({
    request: z.strictObject({ seatId: id, reason: longText(500) }),
    response: z.strictObject({ seat: seatView, closedConnections: z.number().int().min(0) }),
    access: settingsManage,
    audit: { when: 'before' },
    target: (r) => `seat:${r.seatId}`,
    reason: (r) => r.reason,
    example: { seatId: 1, reason: 'The desk was replaced.' },
  }),
} as const;

// --- Wire constants of the site engine (not commands) ---

/** `POST` with an enrolRequest over TLS; answers an enrolResponse or `{ message }`. */
export const ENROL_PATH = '/enrol';
/** `GET`: `200 up`, without authentication (service supervision). */
export const HEALTH_PATH = '/healthz';
/** `GET` from the engine's own page: what the engine makes of this browser's seat credential, as
 *  `{ seat: { seatId, name, room, fingerprint } }` or a seatRefusal, so the page can say why its socket was refused. */
export const SEAT_CHECK_PATH = '/seat';
/** What `/seat` answers an enrolled seat besides its record: the origins (`https://host:port`) of the
 *  site's other nodes, where its live views and recorded files may also come from. */
export const seatCheckNodes = z.array(z.string().max(300)).max(64);
/** `GET`: the site CA's certificate (public), for administrators installing it in browsers. */
export const SITE_CA_PATH = '/site-ca.crt';
/** The browser seat's credential: HttpOnly, Secure, SameSite=Strict, so the page never reads it. */
export const SEAT_COOKIE = '__Host-oc_seat';
/** A Node seat presents `Authorization: Seat <seatId>.<secret>` when its socket opens. */
export const SEAT_AUTH_SCHEME = 'Seat';
/** Close code of a socket the engine ended because its seat was revoked (4000-4999: application). */
export const CLOSE_SEAT_REVOKED = 4403;
/** Close code of a socket that fell behind the events pushed to it (RFC 6455 1013: try again later). */
export const CLOSE_TOO_SLOW = 1013;

export const enrolRequest = z.strictObject({
  code: z.string().min(1).max(64),
  version: text(64),
  /** 'body' (default): the credential is in the answer, for a seat that keeps it (the keychain).
   *  'cookie': only in the HttpOnly cookie, for a browser seat whose page must never see it. */
  delivery: z.enum(['body', 'cookie']).optional(),
});
export type EnrolRequest = z.input<typeof enrolRequest>;

export const enrolResponse = z.strictObject({
  seatId: id,
  name: z.string(),
  room: z.string(),
  fingerprint,
  /** `<seatId>.<secret>`; absent when delivered as a cookie. Shown this once only. */
  credential: z.string().optional(),
});
export type EnrolResponse = z.infer<typeof enrolResponse>;

/** Why the engine refused a seat: a person reads `message`; a seat acts on `reason`. */
export const SEAT_REFUSALS = ['not-enrolled', 'revoked', 'bad-code', 'expired-code', 'used-code', 'too-many', 'wrong-name', 'malformed'] as const;
export type SeatRefusal = (typeof SEAT_REFUSALS)[number];
export const seatRefusal = z.object({ message: z.string(), reason: z.enum(SEAT_REFUSALS).optional() });
