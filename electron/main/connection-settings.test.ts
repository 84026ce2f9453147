// How this PC reaches its engine is a per-seat setting (docs/design/site-engine.md "The desktop app
// as a seat"): first start until chosen; a PC that already ran the embedded engine keeps it; the
// last site survives going back to the choice; unreadable settings mean "choose again", never a
// guessed engine; the credential is never among the settings.
import { describe, expect, it } from 'vitest';
import { ConnectionSettings, MAX_SITE_NODES, type SettingsBackend } from './connection-settings';

/** electron-store's get/set over a JSON round trip, as its file would keep them. */
function memoryStore(initial: Record<string, unknown> = {}): SettingsBackend & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = JSON.parse(JSON.stringify(initial)) as Record<string, unknown>;
  return {
    data,
    get: (key) => (key in data ? (JSON.parse(JSON.stringify(data[key])) as unknown) : undefined),
    set: (key, value) => {
      data[key] = JSON.parse(JSON.stringify(value)) as unknown;
    },
  };
}

const SITE = { address: 'https://10.0.0.5:8443', fingerprint: 'ab'.repeat(32), seatId: 4, seatName: 'Desk 4', room: 'Control room' };

describe('connection settings', () => {
  it('a new PC has no mode until the person chooses; a PC with an embedded database keeps running it', () => {
    expect(new ConnectionSettings(memoryStore()).choice(false)).toBeNull();
    const upgraded = memoryStore({ window: { main: {} } });
    expect(new ConnectionSettings(upgraded).choice(true)).toEqual({ mode: 'embedded' });
    // Written down, so it no longer depends on the database being there.
    expect(new ConnectionSettings(upgraded).choice(false)).toEqual({ mode: 'embedded' });
  });

  it('keeps the site after going back to the choice, and a refusal until the next enrolment', () => {
    const store = memoryStore();
    const s = new ConnectionSettings(store);
    s.chooseSite(SITE);
    expect(s.choice(false)).toEqual({ mode: 'site', site: SITE });
    s.clearChoice();
    expect(s.choice(true)).toBeNull();
    expect(s.lastSite()).toEqual(SITE);
    s.recordRefusal({ reason: 'revoked', message: 'This seat was revoked by an administrator.' });
    expect(s.refusal()).toEqual({ reason: 'revoked', message: 'This seat was revoked by an administrator.' });
    s.chooseSite({ ...SITE, seatId: 5 });
    expect(s.refusal()).toBeNull();
    s.chooseEmbedded();
    expect(s.choice(false)).toEqual({ mode: 'embedded' });
    expect(s.lastSite()).toMatchObject({ seatId: 5 });
    expect(JSON.stringify(store.data)).not.toMatch(/credential|secret/i);
  });

  it('unreadable or hand-edited settings go back to the choice instead of guessing an engine', () => {
    for (const bad of [
      'site',
      { mode: 'site', site: null },
      { mode: 'site', site: { ...SITE, address: "https://10.0.0.5:8443; script-src *" } },
      { mode: 'site', site: { ...SITE, address: '10.0.0.5:8443' } },
      { mode: 'site', site: { ...SITE, fingerprint: 'AB'.repeat(32) } },
      { mode: 'site', site: { ...SITE, credential: '4.secret' } },
      { mode: 'cloud', site: null },
    ]) {
      expect(new ConnectionSettings(memoryStore({ connection: bad })).choice(true), JSON.stringify(bad)).toBeNull();
    }
  });

  it('remembers the site’s other nodes across runs, drops what is not an origin, forgets them for another site', () => {
    const store = memoryStore();
    const s = new ConnectionSettings(store);
    s.rememberSiteNodes(['https://10.0.0.6:8443']);
    expect(s.siteNodes()).toEqual([]); // no site yet
    s.chooseSite(SITE);
    s.rememberSiteNodes(['https://10.0.0.6:8443', SITE.address, 'https://a;b:1', 'https://rec-2.depot.example:8443']);
    s.rememberSiteNodes(['https://10.0.0.6:8443']);
    expect(new ConnectionSettings(store).siteNodes()).toEqual(['https://10.0.0.6:8443', 'https://rec-2.depot.example:8443']);
    // Enrolled again at the same site (same CA): kept. A hand edit with garbage: dropped, the rest stands.
    s.chooseSite({ ...SITE, seatId: 9 });
    expect(s.siteNodes()).toHaveLength(2);
    const edited = memoryStore({ connection: { ...(store.data.connection as object), siteNodes: ['https://10.0.0.7:8443', 'https://x:1; script-src *', 42] } });
    const e = new ConnectionSettings(edited);
    expect(e.choice(false)).toMatchObject({ mode: 'site' });
    expect(e.siteNodes()).toEqual(['https://10.0.0.7:8443']);
    // Another site: its nodes are not this one's.
    s.chooseSite({ ...SITE, fingerprint: 'cd'.repeat(32) });
    expect(s.siteNodes()).toEqual([]);
    // Never more than MAX_SITE_NODES.
    s.rememberSiteNodes(Array.from({ length: MAX_SITE_NODES + 5 }, (_, i) => `https://10.0.1.${i + 1}:8443`));
    expect(s.siteNodes()).toHaveLength(MAX_SITE_NODES);
  });

  it('refuses to write a site that is not a checked origin', () => {
    const s = new ConnectionSettings(memoryStore());
    expect(() => s.chooseSite({ ...SITE, address: 'https://a;b:1' })).toThrow();
    expect(s.choice(false)).toBeNull();
  });
});
