// Enrolling a Node seat (the desktop app, tools) with a site engine (docs/design/site-engine.md
// "Enrolment"): one POST /enrol over TLS with the one-time code. Without an expected fingerprint it
// is trust on first use: the answer carries the fingerprint of the CA the engine presented, for the
// person to compare with the one the engine printed and the administrator's screen shows. With
// one, a different CA is refused before the code is sent.
import https from 'node:https';
import { ENROL_PATH, enrolResponse, seatRefusal, type SeatRefusal } from '../../../shared/contract/seats';
import { parseAddress, pinnedTlsOptions, siteCa } from './pinning';

export interface Enrolment {
  /** `https://host:port` */
  address: string;
  seatId: number;
  name: string;
  room: string;
  /** `<seatId>.<secret>`: keep it in the OS keychain (keychain.ts); it is never shown again. */
  credential: string;
  /** The site CA's fingerprint: pin it for every later connection. */
  fingerprint: string;
}

/** The engine refused (a wrong, expired or used code, a revoked seat...): `message` is for a person. */
export class SeatRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly reason: SeatRefusal | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SeatRefusedError';
  }
}

export async function enrol(addressText: string, code: string, expectedFingerprint?: string, version = 'node-seat'): Promise<Enrolment> {
  const address = parseAddress(addressText);
  const { caPem, fingerprint } = await siteCa(address, expectedFingerprint);
  const body = JSON.stringify({ code, version });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(
      { method: 'POST', host: address.host, port: address.port, path: ENROL_PATH, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: 15_000, agent: false, ...pinnedTlsOptions(address, caPem, fingerprint) },
      (res) => {
        let t = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (t.length < 65_536) t += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: t }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the site engine at ${address.origin} did not answer the enrolment in time`)));
    req.on('error', reject);
    req.end(body);
  });
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // handled below
  }
  if (status !== 200) {
    const refusal = seatRefusal.safeParse(json);
    throw new SeatRefusedError(status, refusal.success ? refusal.data.reason : undefined, refusal.success ? refusal.data.message : `The site engine refused the enrolment (HTTP ${status}).`);
  }
  const answer = enrolResponse.safeParse(json);
  if (!answer.success || !answer.data.credential) throw new Error('The site engine answered the enrolment with something that is not an enrolment.');
  if (answer.data.fingerprint !== fingerprint) throw new Error('The site engine named another certificate than the one it presented; enrolment abandoned.');
  return { address: address.origin, seatId: answer.data.seatId, name: answer.data.name, room: answer.data.room, credential: answer.data.credential, fingerprint };
}
