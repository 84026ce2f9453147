// Bounds of one audit entry (docs/design/audit-chain.md "Bounds"). The log is permanent and nearly
// every call writes to it, so whatever a caller passes, one entry stays small: an entry that
// repeated what an anonymous caller sent (a zod message quoting a huge unknown key) let one socket
// fill the log at 214 MiB a minute. Cut text is marked as cut; details too big even with their
// strings cut are replaced by their size and SHA-256, so the entry still proves what was there.
import { canonicalJson } from '../../../shared/audit-chain';
import { sha256Hex } from './sha256';

export const AUDIT_BOUNDS = {
  actorChars: 200,
  actionChars: 64,
  targetChars: 200,
  reasonChars: 2000,
  /** UTF-8 bytes of the canonical JSON of `details`. */
  detailsBytes: 4096,
  /** Each string (and key) inside `details` once the whole is too big. */
  detailStringChars: 256,
  detailKeyChars: 64,
  detailArrayItems: 32,
  detailDepth: 12,
} as const;

/**
 * The most one stored entry can weigh (columns as UTF-8, hashes, separators): the reason's 2,000
 * characters may take 3 bytes each, everything else is counted above. Tests hold entries to it.
 */
export const MAX_ENTRY_BYTES = 16 * 1024;

/**
 * `s` with at most `max` UTF-16 units of its own, then a marker saying how long it was. Never ends
 * in half a surrogate pair, and lone surrogates become U+FFFD: SQLite stores text as UTF-8, where
 * a lone surrogate cannot exist, so the stored text would differ from the hashed one (a false
 * "altered" at verification). U+0000 becomes U+FFFD too: PostgreSQL's text cannot hold it, and one
 * entry it refused would fail the whole batch of appends it was committed with.
 */
export function cutText(s: string, max: number): string {
  const text = wellFormed(s);
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…[cut: ${text.length} chars]`;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NUL = String.fromCharCode(0);

/** String.prototype.toWellFormed (ES2024, not in this layer's lib yet), and U+0000 replaced: text both stores keep as it was hashed. */
export function wellFormed(s: string): string {
  const text = SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
  return text.includes(NUL) ? text.replaceAll(NUL, '\ufffd') : text;
}

/** The canonical JSON stored for `details`, at most AUDIT_BOUNDS.detailsBytes (plus a small summary). */
export function boundDetails(details: Record<string, unknown> | undefined): string {
  if (details === undefined) return '{}';
  let full: string | null = null;
  try {
    full = canonicalJson(details);
    if (Buffer.byteLength(full) <= AUDIT_BOUNDS.detailsBytes) return full;
  } catch {
    // Too deep for the stack, a cycle, a BigInt, a getter that throws: the cut copy below copes.
  }
  let cut: string;
  try {
    cut = canonicalJson(cutValue(details, 0, [], { nodes: 0 }));
  } catch (err) {
    return canonicalJson({ unserialisable: cutText(err instanceof Error ? err.message : String(err), 200) });
  }
  if (Buffer.byteLength(cut) <= AUDIT_BOUNDS.detailsBytes) return cut;
  return canonicalJson({
    omitted: full === null ? { reason: 'details too large for one audit entry and not serialisable' } : { bytes: Buffer.byteLength(full), sha256: sha256Hex(full), reason: 'details too large for one audit entry' },
    keys: Object.keys(details).slice(0, 16).map((k) => cutText(k, AUDIT_BOUNDS.detailKeyChars)),
  });
}

/** Values visited when cutting: a shared object referenced from many places cannot multiply the work. */
const MAX_CUT_NODES = 2000;

/** A copy with every string, key, array and nesting level cut to the bounds (marked where cut). */
function cutValue(value: unknown, depth: number, ancestors: object[], budget: { nodes: number }): unknown {
  if (typeof value === 'string') return cutText(value, AUDIT_BOUNDS.detailStringChars);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth >= AUDIT_BOUNDS.detailDepth) return '…[cut: nested too deep]';
  if (ancestors.includes(value)) return '…[cut: cycle]';
  if (++budget.nodes > MAX_CUT_NODES) return '…[cut]';
  const inner = [...ancestors, value];
  if (Array.isArray(value)) {
    const items = value.slice(0, AUDIT_BOUNDS.detailArrayItems).map((v) => cutValue(v, depth + 1, inner, budget));
    if (value.length > AUDIT_BOUNDS.detailArrayItems) items.push(`…[cut: ${value.length} items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, AUDIT_BOUNDS.detailArrayItems)) {
    let k = cutText(key, AUDIT_BOUNDS.detailKeyChars);
    // Two long keys with the same beginning stay two keys.
    for (let n = 2; Object.hasOwn(out, k); n++) k = `${cutText(key, AUDIT_BOUNDS.detailKeyChars)}#${n}`;
    out[k] = cutValue((value as Record<string, unknown>)[key], depth + 1, inner, budget);
  }
  if (keys.length > AUDIT_BOUNDS.detailArrayItems) out['…'] = `[cut: ${keys.length} keys]`;
  return out;
}
