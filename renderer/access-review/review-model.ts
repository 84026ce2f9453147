// What the access review screen shows (docs/design/access-review.md; BRN art. 34(1)(ii)): which
// campaign is open on the screen, which lines a filter keeps, which lines "confirm every used line"
// takes, and a line's right in words. The engine decides everything again (R5).
import type { TFunction } from 'i18next';
import type { CampaignSummaryView, ReviewLineView } from '../../shared/contract';

export const LINE_FILTERS = ['all', 'undecided', 'unused'] as const;
export type LineFilter = (typeof LINE_FILTERS)[number];

/** The campaign shown first: the open one, else the newest. */
export function defaultCampaignId(campaigns: readonly CampaignSummaryView[]): number | null {
  return (campaigns.find((c) => c.status === 'open') ?? campaigns[0])?.id ?? null;
}

export function filterLines(lines: readonly ReviewLineView[], filter: LineFilter): ReviewLineView[] {
  if (filter === 'undecided') return lines.filter((l) => l.decision === null);
  if (filter === 'unused') return lines.filter((l) => l.unused);
  return [...lines];
}

/**
 * The lines "confirm every used line" confirms at once: undecided, the caller may decide them, and
 * used during the period. An unused line is always decided on its own (least privilege, JON 15.3).
 */
export function usedUndecided(lines: readonly ReviewLineView[]): ReviewLineView[] {
  return lines.filter((l) => l.canDecide && l.decision === null && !l.unused);
}

/** "Role: Guard" or "Camera group North". */
export function rightText(t: TFunction, line: Pick<ReviewLineView, 'kind' | 'role' | 'groupName'>): string {
  return line.kind === 'role' ? t('accessReview.right.role', { role: t(`roles.${line.role}`) }) : t('accessReview.right.group', { name: line.groupName ?? '' });
}

/** "Jan Nowak (jan.nowak)". */
export const personText = (line: Pick<ReviewLineView, 'displayName' | 'username'>): string => `${line.displayName} (${line.username})`;
