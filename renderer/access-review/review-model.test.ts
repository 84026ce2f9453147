// The access review screen's choices (docs/design/access-review.md): the open review comes first;
// "confirm every used line" never takes an unused line, a decided one, or the reviewer's own; the
// filters keep what they say.
import { describe, expect, it } from 'vitest';
import type { CampaignSummaryView, ReviewLineView } from '../../shared/contract';
import { defaultCampaignId, filterLines, usedUndecided } from './review-model';

let next = 1;
const line = (over: Partial<ReviewLineView>): ReviewLineView => ({
  id: next++,
  userId: 7,
  username: 'guard.ola',
  displayName: 'Ola Guard',
  role: 'guard',
  kind: 'group',
  groupId: 1,
  groupName: 'North',
  accountCreatedAtMs: 0,
  lastSignInMs: null,
  lastLiveMs: null,
  lastPlaybackMs: null,
  lastExportMs: null,
  unused: false,
  decision: null,
  canDecide: true,
  ...over,
});
const summary = (id: number, status: 'open' | 'closed'): CampaignSummaryView => ({
  id, reference: `AR-${id}`, status, trigger: 'due', openedAtMs: id, openedBy: 'system', periodFromMs: 0, periodToMs: id, months: 6, closedAtMs: null, closedBy: null, lines: 0, decided: 0, unused: 0, revoked: 0,
});

describe('the access review screen', () => {
  it('shows the open review first, else the newest, else none', () => {
    expect(defaultCampaignId([summary(3, 'closed'), summary(2, 'open'), summary(1, 'closed')])).toBe(2);
    expect(defaultCampaignId([summary(3, 'closed'), summary(1, 'closed')])).toBe(3);
    expect(defaultCampaignId([])).toBeNull();
  });

  it('"confirm every used line" takes only used, undecided lines the reviewer may decide', () => {
    const used = line({ lastLiveMs: 5 });
    const unused = line({ unused: true });
    const decided = line({ decision: { decision: 'confirmed', effect: 'none', by: 'dpo.ana', atMs: 1, reason: 'still on duty' }, canDecide: false });
    const own = line({ canDecide: false });
    expect(usedUndecided([used, unused, decided, own]).map((l) => l.id)).toEqual([used.id]);
  });

  it('filters keep every line, the undecided ones, or the unused ones', () => {
    const a = line({ unused: true });
    const b = line({ decision: { decision: 'revoked', effect: 'group_removed', by: 'dpo.ana', atMs: 1, reason: 'moved to finance' }, unused: true });
    const c = line({});
    expect(filterLines([a, b, c], 'all')).toHaveLength(3);
    expect(filterLines([a, b, c], 'undecided').map((l) => l.id)).toEqual([a.id, c.id]);
    expect(filterLines([a, b, c], 'unused').map((l) => l.id)).toEqual([a.id, b.id]);
  });
});
