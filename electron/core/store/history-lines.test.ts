import { describe, expect, it } from 'vitest';
import { detailsColumn, historyLine } from './history-lines';

const row = { at_ms: 1_000, actor: 'sup.a', action: 'extended', note: 'The police asked for more' };

describe('history lines', () => {
  it('keep the engine’s values apart from the person’s words, leaving absent values out', () => {
    const details = detailsColumn({ kind: 'both', reviewDateMs: 1_800_000_000_000, rangesAdded: 2, holdId: undefined });
    expect(JSON.parse(details)).toEqual({ kind: 'both', reviewDateMs: 1_800_000_000_000, rangesAdded: 2 });
    expect(historyLine({ ...row, details })).toEqual({ atMs: 1_000, actor: 'sup.a', action: 'extended', note: 'The police asked for more', details: { kind: 'both', reviewDateMs: 1_800_000_000_000, rangesAdded: 2 } });
  });

  it('a line written before the engine kept values reads with none, its note as it was', () => {
    expect(historyLine({ ...row, note: 'review date 2027-01-01: more', details: '{}' })).toMatchObject({ note: 'review date 2027-01-01: more', details: {} });
  });

  it.each(['not json', '[1,2]', '{"a":{"nested":true}}', '{"a":null}', 'null'])('a damaged details text %j reads as no values, never as a failure', (details) => {
    expect(historyLine({ ...row, details }).details).toEqual({});
  });
});
