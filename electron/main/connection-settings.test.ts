// How this PC reaches its engine is a per-seat setting (docs/design/site-engine.md "The desktop app
// as a seat"): first start until chosen; a PC that already ran the embedded engine keeps it; the
// last site survives going back to the choice; unreadable settings mean "choose again", never a
// guessed engine; the credential is never among the settings.
import { describe, expect, it } from 'vitest';
import { ConnectionSettings, type SettingsBackend } from './connection-settings';

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

  it('refuses to write a site that is not a checked origin', () => {
    const s = new ConnectionSettings(memoryStore());
    expect(() => s.chooseSite({ ...SITE, address: 'https://a;b:1' })).toThrow();
    expect(s.choice(false)).toBeNull();
  });
});
