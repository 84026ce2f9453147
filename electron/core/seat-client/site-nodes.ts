// The site's other nodes, as the seat's engine names them (docs/design/scale.md "Seats on any node"):
// `GET /seat` with the seat's credential, over the pinned CA. A seat's live views and recorded files
// may come from any of them; the desktop app pins the site CA for their hosts and names them in the
// page's CSP. Every node of a site presents the one site CA, so no other trust is added.
import { SEAT_AUTH_SCHEME, SEAT_CHECK_PATH, seatCheckNodes } from '../../../shared/contract/seats';
import type { Enrolment } from './enrol';
import { fetchMedia, parseAddress, parseAddresses } from './pinning';

export async function siteNodeOrigins(e: Pick<Enrolment, 'address' | 'credential' | 'fingerprint'>, timeoutMs = 10_000): Promise<string[]> {
  const origin = parseAddress(e.address).origin;
  const r = await fetchMedia(`${origin}${SEAT_CHECK_PATH}`, e.fingerprint, { headers: { Authorization: `${SEAT_AUTH_SCHEME} ${e.credential}` }, timeoutMs });
  if (r.status !== 200) throw new Error(`the site engine answered ${r.status} when asked for its nodes`);
  const body: unknown = JSON.parse(r.body.toString('utf8'));
  const nodes = body !== null && typeof body === 'object' ? Reflect.get(body, 'nodes') : undefined;
  // An engine of before several nodes names none.
  return nodes === undefined ? [] : seatCheckNodes.parse(nodes);
}

/**
 * The site's other nodes, asked of the node the seat enrolled at and, while that one does not
 * answer, of the nodes already known, in turn: a seat whose enrolled node is down still learns a
 * node added since. The node that answered is one of the site's too. Never includes the enrolled
 * address; rejects with the last error when no node answers.
 */
export async function learnSiteNodes(e: Pick<Enrolment, 'address' | 'credential' | 'fingerprint'>, known: readonly string[], timeoutMs = 10_000): Promise<{ nodes: string[]; answeredBy: string }> {
  const home = parseAddress(e.address).origin;
  const asked = [home, ...parseAddresses(known).map((a) => a.origin)];
  let last: unknown = new Error('no node of the site to ask');
  for (const origin of [...new Set(asked)]) {
    try {
      const named = await siteNodeOrigins({ ...e, address: origin }, timeoutMs);
      return { nodes: [...new Set([...(origin === home ? [] : [origin]), ...named])].filter((n) => n !== home), answeredBy: origin };
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
