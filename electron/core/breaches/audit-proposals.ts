// The engine proposes a breach record itself when the audit trail shows one (JON 23; R4;
// docs/design/breaches.md "Proposed by the engine"): a verification that finds the chain broken,
// and a start-up anchor check that finds entries cut or the log replaced. Each finding is proposed
// once (its key); finding the same break again adds nothing.
import type { AuditVerifyReport } from '../../../shared/contract';
import type { AnchorFinding } from '../audit/anchor';
import { sha256Hex } from '../audit/sha256';
import type { Logger } from '../logger';
import type { BreachesService } from './breaches-service';

/** After a verification: a broken chain proposes a record (once per break). */
export async function proposeForVerification(breaches: BreachesService, report: AuditVerifyReport): Promise<number | null> {
  if (report.ok) return null;
  const problem = report.problem ?? 'the audit trail failed verification';
  const at = report.firstBadSeq ?? 'head';
  return breaches.propose({
    kind: 'audit_chain',
    key: `audit-chain:${at}:${sha256Hex(problem).slice(0, 16)}`,
    what: `The audit trail failed verification${report.firstBadSeq === null ? '' : ` at entry ${report.firstBadSeq}`}: ${problem}. Entries of the log may have been changed, removed or inserted.`,
    records: 'audit log',
    details: { firstBadSeq: report.firstBadSeq ?? undefined, problem },
  });
}

/** At start-up: an anchor that disagrees with the log proposes a record (once per finding). */
export async function proposeForAnchor(breaches: BreachesService, finding: AnchorFinding | null): Promise<number | null> {
  if (!finding) return null;
  return breaches.propose({
    kind: 'audit_anchor',
    key: `audit-anchor:${finding.problem}:${finding.head.seq}:${finding.head.hash}`,
    what: `The audit trail's start-up check failed: ${finding.sentence}. Entries may have been removed or the log replaced.`,
    records: 'audit log',
    details: { problem: finding.sentence, firstBadSeq: finding.firstBadSeq ?? undefined },
  });
}

/** A proposal never stops what found it: a failure is logged. */
export function proposing(logger: Logger, p: Promise<unknown>): Promise<void> {
  return p.then(
    () => undefined,
    (err: unknown) => logger.error('proposing a breach record failed', { error: err }),
  );
}
