import { describe, expect, it } from 'vitest';
import type { NodeView, NodesView } from '../../shared/contract';
import { hiddenCameras, homeNodeChoices, mayRetire, nodeStatus, siteHasNodes } from './nodes-model';

const node = (name: string, over: Partial<NodeView> = {}): NodeView => ({
  name,
  url: `https://${name}.example:8443`,
  startedAtMs: 1,
  lastSeenAtMs: 2,
  up: true,
  self: false,
  cameraCount: 0,
  cameras: [],
  recordingBytes: 0,
  retired: null,
  ...over,
});
const site = (nodes: NodeView[], singleMachine = false): NodesView => ({ singleMachine, leaseMs: singleMachine ? null : 5000, atMs: 3, nodes, notHeld: { cameraCount: 0, cameras: [] } });

describe('nodes model', () => {
  it('a name found only on recordings is gone, not down', () => {
    expect(nodeStatus(node('a'))).toBe('up');
    expect(nodeStatus(node('b', { up: false }))).toBe('down');
    expect(nodeStatus(node('local', { url: null, up: false, startedAtMs: null, lastSeenAtMs: null }))).toBe('gone');
    // A single machine has no address and is up.
    expect(nodeStatus(node('local', { url: null, up: true, self: true }))).toBe('up');
  });

  it('offers a home node only on a site of more than one node, down ones included, gone ones never', () => {
    expect(siteHasNodes(null)).toBe(false);
    expect(siteHasNodes(site([node('local', { url: null, self: true })], true))).toBe(false);
    expect(siteHasNodes(site([node('a', { self: true })]))).toBe(false);
    expect(siteHasNodes(site([node('a', { self: true }), node('local', { url: null, up: false })]))).toBe(false);
    const two = site([node('a', { self: true }), node('b', { up: false }), node('local', { url: null, up: false })]);
    expect(siteHasNodes(two)).toBe(true);
    expect(homeNodeChoices(two).map((n) => n.name)).toEqual(['a', 'b']);
  });

  it('a retired node is retired, never offered as a home, and only a down node other than this one may be retired', () => {
    const retired = node('c', { up: false, retired: { atMs: 5, by: 'admin', reason: 'machine destroyed' } });
    expect(nodeStatus(retired)).toBe('retired');
    const view = site([node('a', { self: true }), node('b', { up: false }), retired]);
    expect(homeNodeChoices(view).map((n) => n.name)).toEqual(['a', 'b']);
    expect(view.nodes.filter(mayRetire).map((n) => n.name)).toEqual(['b']);
    expect(mayRetire(node('x', { up: false, self: true }))).toBe(false);
    expect(mayRetire(node('local', { url: null, up: false }))).toBe(false);
  });

  it('counts the cameras a caller is not shown', () => {
    expect(hiddenCameras({ cameraCount: 3, cameras: [1] })).toBe(2);
    expect(hiddenCameras({ cameraCount: 0, cameras: [] })).toBe(0);
  });
});
