// The audit anchor (docs/design/audit-chain.md "Anchor"): `audit-anchor.json` beside the database
// holds the last committed (seq, hash). A chain alone cannot show entries cut from its end; the
// anchor can, as long as nobody moves it backwards or recreates it. So the engine compares it with
// the log at start-up before appending anything, and a disagreement is an alarm, never a rewrite.
import fs from 'node:fs';
import { GENESIS_HASH } from '../../../shared/audit-chain';

export const ANCHOR_FILE = 'audit-anchor.json';
/** The entry an administrator's acknowledgement of an anchor alarm writes; verification lists them. */
export const BREAK_ACTION = 'audit.break_acknowledged';

export interface ChainHead {
  seq: number;
  hash: string;
}

export type AnchorRead = { state: 'ok'; anchor: ChainHead } | { state: 'missing' } | { state: 'unreadable'; error: string };

/** What the start-up check (and verification) found wrong with the anchor. */
export interface AnchorFinding {
  problem: 'missing' | 'unreadable' | 'ahead' | 'mismatch';
  /** What the anchor file said (null when missing or unreadable). */
  anchor: ChainHead | null;
  /** The log's last entry. */
  head: ChainHead;
  /** The entry the problem starts at, when there is one. */
  firstBadSeq: number | null;
  /** A sentence for people: the alarm, the verification report, the log. */
  sentence: string;
}

export function readAnchorFile(file: string): AnchorRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', error: (err as Error).message.slice(0, 200) };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      'seq' in parsed &&
      'hash' in parsed &&
      Number.isSafeInteger(parsed.seq) &&
      (parsed.seq as number) >= 0 &&
      typeof parsed.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(parsed.hash)
    ) {
      return { state: 'ok', anchor: { seq: parsed.seq as number, hash: parsed.hash } };
    }
  } catch {
    // reported below
  }
  return { state: 'unreadable', error: 'not a {seq, hash} record' };
}

/**
 * Written to a temporary file and renamed, after the commit it names, so it is never ahead of the
 * log; not fsynced (after a power loss it may lag, which the check accepts). Throws on I/O errors.
 */
export function writeAnchorFile(file: string, head: ChainHead): void {
  const tmp = file + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify({ seq: head.seq, hash: head.hash }), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Compares the anchor with the log. Accepted: an anchor at or behind the log's head whose entry has
 * the anchored hash (it lags after a crash between commit and anchor write). Everything else is a
 * finding: no anchor while the log has entries, an unreadable one, one ahead of the log (entries cut
 * from the end), one whose entry has another hash (the end cut and rewritten).
 */
export function checkAnchor(read: AnchorRead, head: ChainHead, hashAt: (seq: number) => string | undefined): AnchorFinding | null {
  if (read.state === 'missing') {
    if (head.seq === 0) return null;
    return { problem: 'missing', anchor: null, head, firstBadSeq: null, sentence: `the audit anchor file is missing while the log has entries up to seq ${head.seq} (it was deleted)` };
  }
  if (read.state === 'unreadable') {
    return { problem: 'unreadable', anchor: null, head, firstBadSeq: null, sentence: `the audit anchor file cannot be read (${read.error})` };
  }
  const { anchor } = read;
  if (anchor.seq > head.seq) {
    return {
      problem: 'ahead',
      anchor,
      head,
      firstBadSeq: head.seq + 1,
      sentence: `entries ${head.seq + 1}..${anchor.seq} were removed from the end of the log (anchor names ${anchor.seq}, the log ends at ${head.seq})`,
    };
  }
  const expected = anchor.seq === 0 ? GENESIS_HASH : hashAt(anchor.seq);
  if (expected !== anchor.hash) {
    return {
      problem: 'mismatch',
      anchor,
      head,
      firstBadSeq: anchor.seq,
      sentence: `entry ${anchor.seq} does not match the anchor written when it was committed (the end of the log was cut and written again)`,
    };
  }
  return null;
}
