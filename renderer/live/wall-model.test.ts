import { describe, expect, it } from 'vitest';
import { backoffMs, buildTree, clearTile, columnsOf, initialWall, isStale, staleness, keepVisible, moveSelection, nextEmptyTile, normaliseSlots, placeCamera, switchLayout, withTiles } from './wall-model';

describe('wall geometry and keyboard', () => {
  it('has square layouts', () => {
    expect([1, 4, 9, 16].map((l) => columnsOf(l as 1 | 4 | 9 | 16))).toEqual([1, 2, 3, 4]);
  });

  it('moves the selection with arrow keys and stops at the edges', () => {
    expect(moveSelection(0, 'ArrowRight', 9)).toBe(1);
    expect(moveSelection(2, 'ArrowRight', 9)).toBe(2);
    expect(moveSelection(1, 'ArrowDown', 9)).toBe(4);
    expect(moveSelection(7, 'ArrowDown', 9)).toBe(7);
    expect(moveSelection(5, 'ArrowUp', 16)).toBe(1);
    expect(moveSelection(4, 'ArrowLeft', 16)).toBe(4);
    expect(moveSelection(0, 'ArrowDown', 1)).toBe(0);
  });
});

describe('placing cameras', () => {
  it('keeps 16 slots so a smaller layout does not forget the rest', () => {
    expect(normaliseSlots([1, 2])).toHaveLength(16);
  });

  it('moves a camera already on the wall instead of showing it twice (swap)', () => {
    const slots = normaliseSlots([1, 2, 3, null]);
    expect(placeCamera(slots, 4, 3, 1).slice(0, 4)).toEqual([null, 2, 3, 1]);
    expect(placeCamera(slots, 4, 2, 1).slice(0, 4)).toEqual([3, 2, 1, null]);
  });

  it('clears a tile and drops cameras no longer visible', () => {
    expect(clearTile(normaliseSlots([1, 2]), 0).slice(0, 2)).toEqual([null, 2]);
    expect(keepVisible(normaliseSlots([1, 2, 3]), new Set([2])).slice(0, 3)).toEqual([null, 2, null]);
  });

  it('starts a new user with the smallest layout that shows the cameras', () => {
    expect(initialWall([]).layout).toBe(4);
    expect(initialWall([5]).layout).toBe(1);
    expect(initialWall([1, 2, 3]).layout).toBe(4);
    expect(initialWall([1, 2, 3, 4, 5]).slots.slice(0, 9)).toEqual([1, 2, 3, 4, 5, null, null, null, null]);
    expect(initialWall(Array.from({ length: 20 }, (_, i) => i + 1)).layout).toBe(16);
  });

  it('finds the next empty tile, wrapping', () => {
    expect(nextEmptyTile(normaliseSlots([1, null, 3, null]), 4, 0)).toBe(1);
    expect(nextEmptyTile(normaliseSlots([null, 2, 3, 4]), 4, 2)).toBe(0);
    expect(nextEmptyTile(normaliseSlots([1, 2, 3, 4]), 4, 2)).toBe(2);
  });
});

describe('camera tree', () => {
  it('groups by site, then group, sorted naturally', () => {
    const tree = buildTree(
      [
        { id: 1, name: 'Cam 10', site: 'North', groupName: 'B' },
        { id: 2, name: 'Cam 2', site: 'North', groupName: 'B' },
        { id: 3, name: 'Gate', site: 'Depot', groupName: 'A' },
        { id: 4, name: 'Hall', site: 'North', groupName: 'A' },
      ],
      'en-GB',
    );
    expect(tree.map((s) => s.site)).toEqual(['Depot', 'North']);
    expect(tree[1]?.groups.map((g) => g.groupName)).toEqual(['A', 'B']);
    expect(tree[1]?.groups[1]?.cameras.map((c) => c.name)).toEqual(['Cam 2', 'Cam 10']);
  });
});

describe('stale picture', () => {
  const now = 1_000_000;
  it('is stale when the frame is more than 3 s old or playback stopped for 2 s', () => {
    expect(isStale({ nowMs: now, playingDateMs: now - 1200, lastProgressAtMs: now - 100 })).toBe(false);
    // Late but advancing: not frozen (the player jumps to the live edge instead).
    expect(isStale({ nowMs: now, playingDateMs: now - 3500, lastProgressAtMs: now - 100 })).toBe(false);
    expect(staleness({ nowMs: now, playingDateMs: now - 3500, lastProgressAtMs: now - 100 })).toBe('lagging');
    expect(staleness({ nowMs: now, playingDateMs: now - 3500, lastProgressAtMs: now - 2500 })).toBe('still');
    expect(isStale({ nowMs: now, playingDateMs: now - 1000, lastProgressAtMs: now - 2500 })).toBe(true);
    expect(isStale({ nowMs: now, playingDateMs: null, lastProgressAtMs: now - 500 })).toBe(false);
  });

  it('backs off from 2 s to 30 s', () => {
    expect([1, 2, 3, 4, 5, 10].map(backoffMs)).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

describe('layouts keep their own arrangement', () => {
  const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  it('a layout used for the first time keeps each camera in its tile when it can, and fills empty tiles with the rest', () => {
    expect(switchLayout({ '9': nine }, 9, 4)).toEqual({ '9': nine, '4': [1, 2, 3, 4] });
    expect(switchLayout({ '9': [null, 5, null, null, null, null, null, null, 8] }, 9, 4)['4']).toEqual([8, 5, null, null]);
    expect(switchLayout({ '4': [null, 7, null, 3] }, 4, 1)).toEqual({ '4': [null, 7, null, 3], '1': [7] });
    expect(switchLayout({ '4': [null, 7, null, 3] }, 4, 9)['9']).toEqual([null, 7, null, 3, null, null, null, null, null]);
    expect(switchLayout({ '1': [5] }, 1, 16)['16']).toEqual([5, ...Array<null>(15).fill(null)]);
  });
  it('3x3, then 2x2 rearranged, then 3x3 again: the nine cameras are where they were', () => {
    let a = switchLayout({ '9': nine }, 9, 4);
    a = withTiles(a, 4, [9, 8, null, null]);
    a = switchLayout(a, 4, 9);
    expect(a['9']).toEqual(nine);
    expect(switchLayout(a, 9, 4)['4']).toEqual([9, 8, null, null]);
  });
  it('tiles are cut or padded to the layout', () => {
    expect(withTiles({}, 4, [1, 2, 3, 4, 5, 6])).toEqual({ '4': [1, 2, 3, 4] });
    expect(withTiles({}, 4, [1])).toEqual({ '4': [1, null, null, null] });
  });
});
