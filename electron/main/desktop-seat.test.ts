// The desktop app as a seat of a site engine, without Electron (docs/design/site-engine.md "The
// desktop app as a seat"): the pieces main.ts wires up (the set-up that enrols and keeps, the
// router that carries a window's calls) against a real site engine on 127.0.0.1 with its own CA,
// TLS and seat credentials, and the real OS keychain (scripts/with-keyring.sh). Trust on first use
// keeps nothing before the fingerprint is confirmed; a typed fingerprint stops the code going to
// another CA; refusals come in words; commands and pushed events travel over the pinned socket;
// a reload, an engine restart, a revocation and another engine at the address each reach the
// window as a link state, and a dead credential leaves the keychain.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../core/host/server';
import { loadTlsIdentity, siteNames, type TlsIdentity } from '../core/host/tls-identity';
import { silentLogger } from '../core/logger';
import { loadEnrolment, type Enrolment } from '../core/seat-client';
import { createKeytarSecretStore } from '../core/secrets/secret-store';
import { freePort } from '../core/testing/free-port';
import { ADMIN, setUpAdmin, startTestEngine, type TestEngine } from '../core/testing/harness';
import { TempDirs } from '../core/testing/temp-dirs';
import type { Result } from '../../shared/result';
import type { LinkStatus } from '../../shared/transport';
import { CommandRouter, embeddedBackend, siteBackend, type WindowSink } from './command-router';
import { ConnectionSettings, type SettingsBackend } from './connection-settings';
import { DesktopSetup } from './desktop-setup';

const secrets = createKeytarSecretStore({ service: 'operator-console-test' });
const dirs = new TempDirs('desktop-seat-');
const tmp = dirs.make;

interface Site {
  t: TestEngine;
  host: Host;
  tls: TlsIdentity;
  dataDir: string;
  close(): Promise<void>;
}

/** A site engine on 127.0.0.1 (TLS with its own CA), as `npm run engine` runs it, in this process. */
async function startSite(o: { dataDir?: string; port?: number; admin?: boolean } = {}): Promise<Site> {
  const dataDir = o.dataDir ?? tmp();
  const tls = await loadTlsIdentity(dataDir, siteNames('127.0.0.1', ['cctv.example.org']));
  const t = await startTestEngine(dataDir, { site: { fingerprint: tls.fingerprint } });
  if (o.admin !== false) await setUpAdmin(t);
  const host = await startHost({ engine: t.engine, logger: silentLogger, rendererDir: path.join(dataDir, 'no-renderer'), rendererOptional: true, port: o.port ?? 0, host: '127.0.0.1', tls });
  return {
    t,
    host,
    tls,
    dataDir,
    async close() {
      await host.close();
      await t.dispose();
    },
  };
}

function memoryStore(): SettingsBackend & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return { data, get: (k) => (k in data ? (JSON.parse(JSON.stringify(data[k])) as unknown) : undefined), set: (k, v) => void (data[k] = JSON.parse(JSON.stringify(v)) as unknown) };
}

/** A window as main sees it: what its page would receive, with waits for a given link state. */
class TestWindow implements WindowSink {
  readonly events: unknown[] = [];
  readonly links: LinkStatus[] = [];
  private waiters: (() => void)[] = [];
  event(e: unknown) {
    this.events.push(e);
    this.wake();
  }
  link(s: LinkStatus) {
    this.links.push(s);
    this.wake();
  }
  private wake() {
    for (const w of this.waiters) w();
  }
  until<T>(what: string, test: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = test();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(v);
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; links: ${JSON.stringify(this.links.slice(-5))}`)), timeoutMs);
      this.waiters.push(check);
      check();
    });
  }
  state(state: LinkStatus['state'], from = 0) {
    return this.until(`link ${state}`, () => this.links.slice(from).find((l) => l.state === state));
  }
}

/** Polls an asynchronous condition (the keychain, a command) until it holds. */
async function eventually(what: string, test: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const must = async (r: Promise<Result<unknown>>) => {
  const x = await r;
  if (!x.ok) throw new Error(`${x.error.kind}: ${x.error.message}`);
  return x.value as Record<string, unknown>;
};

let site: Site;
let address: string;
const setUp = (store = memoryStore(), nowMs = () => Date.now()) => {
  const settings = new ConnectionSettings(store);
  return { store, settings, setup: new DesktopSetup({ settings, secrets, version: 'desktop-test', nowMs }) };
};
/** A one-time code, as the engine machine's own `engine:seat-code` gets it (no session to lock). */
const code = async (name: string) => {
  const r = await site.t.engine.seats.registerLocally(name, 'Control room');
  if (!r.ok) throw new Error(r.message);
  return r.code;
};
/** An administrator signed in now (the test clock may have moved past the idle lock). */
const admin = async () => {
  const c = site.t.connect();
  await c.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  return c;
};
const enrolled: string[] = [];

/** Enrols and keeps a seat; returns its enrolment as main would load it from the keychain. */
async function enrolledSeat(name: string) {
  const s = setUp();
  const pending = await s.setup.enrol({ address, code: await code(name), fingerprint: site.tls.fingerprint });
  if (!pending.ok || !pending.value.kept) throw new Error(JSON.stringify(pending));
  enrolled.push(pending.value.address);
  const loaded = await s.setup.loadSite();
  if (!loaded.ok) throw new Error(loaded.message);
  return { ...s, enrolment: loaded.enrolment };
}

const router = (s: { setup: DesktopSetup }, enrolment: Enrolment) => {
  const r = new CommandRouter();
  r.setBackend(
    siteBackend({
      enrolment,
      version: 'desktop-test',
      logger: silentLogger,
      client: { backoffMs: [100, 200, 400] },
      onCredentialDead: (reason, message) => void s.setup.credentialDead(reason, message),
    }),
  );
  return r;
};

/** The desktop app in seat mode for an enrolled `seat`, with its window 1 open. */
function openSeatWindow(seat: Awaited<ReturnType<typeof enrolledSeat>>) {
  const r = router(seat, seat.enrolment);
  const win = new TestWindow();
  r.openWindow(1, win);
  return { r, win };
}

beforeAll(async () => {
  site = await startSite();
  address = `127.0.0.1:${site.host.port}`;
}, 60_000);

afterAll(async () => {
  await site?.close().catch(() => {});
  for (const a of enrolled) await secrets.delete(`seat:${a}`).catch(() => false);
  dirs.removeAll();
});

describe('enrolling the desktop app with a site engine', () => {
  it('trust on first use keeps nothing until the fingerprint is confirmed; then the credential is in the keychain only', async () => {
    const { setup, settings, store } = setUp();
    const pending = await setup.enrol({ address: ` https://${address}/ `, code: await code('Desk TOFU') });
    expect(pending).toMatchObject({ ok: true, value: { address: `https://${address}`, fingerprint: site.tls.fingerprint, seatName: 'Desk TOFU', room: 'Control room', kept: false } });
    if (!pending.ok) return;
    enrolled.push(pending.value.address);
    expect(JSON.stringify(pending)).not.toMatch(/credential/);
    expect(await loadEnrolment(secrets, address)).toBeNull();
    expect(settings.choice(false)).toBeNull();

    expect(await setup.keep({ pendingId: 'another' })).toMatchObject({ ok: false, refusal: 'no-pending' });
    const kept = await setup.keep({ pendingId: pending.value.pendingId, fingerprint: site.tls.fingerprint.toUpperCase().match(/.{4}/g)!.join(' ') });
    expect(kept).toMatchObject({ ok: true });
    const inKeychain = await loadEnrolment(secrets, address);
    expect(inKeychain).toMatchObject({ seatId: expect.any(Number), fingerprint: site.tls.fingerprint, credential: expect.stringMatching(/^\d+\./) });
    expect(settings.choice(false)).toEqual({ mode: 'site', site: { address: `https://${address}`, fingerprint: site.tls.fingerprint, seatId: inKeychain!.seatId, seatName: 'Desk TOFU', room: 'Control room' } });
    expect(setup.siteEnrolled()).toBe(true);
    expect(JSON.stringify(store.data)).not.toContain(inKeychain!.credential.split('.')[1]);
    // Kept once: the same pending enrolment cannot be kept again.
    expect(await setup.keep({ pendingId: pending.value.pendingId })).toMatchObject({ ok: false, refusal: 'no-pending' });
  });

  it('with the administrator\'s fingerprint typed, another CA is refused before the code is sent', async () => {
    const { setup } = setUp();
    const c = await code('Desk typed');
    const wrong = await setup.enrol({ address, code: c, fingerprint: 'cd'.repeat(32) });
    expect(wrong).toMatchObject({ ok: false, refusal: 'wrong-certificate', message: expect.stringContaining(site.tls.fingerprint) });
    // The code was never sent: it still enrols.
    const right = await setup.enrol({ address, code: c, fingerprint: site.tls.fingerprint.match(/../g)!.join(':') });
    expect(right).toMatchObject({ ok: true, value: { kept: true, seatName: 'Desk typed' } });
    expect(await setup.enrol({ address, code: c, fingerprint: 'not hex' })).toMatchObject({ ok: false, refusal: 'bad-fingerprint' });
  });

  it('refuses in words: an unknown, used or expired code, an unreachable engine, a name not on its certificate, a hostile address, a fingerprint that does not match', async () => {
    const { setup, settings } = setUp();
    expect(await setup.enrol({ address, code: 'AAAA-BBBB-CCCC-DDDD' })).toMatchObject({ ok: false, refusal: 'bad-code' });
    const used = await code('Desk used');
    expect(await setup.enrol({ address, code: used })).toMatchObject({ ok: true });
    expect(await setup.enrol({ address, code: used })).toMatchObject({ ok: false, refusal: 'used-code' });
    const late = await code('Desk late');
    site.t.clock.advance(15 * 60_000 + 1);
    expect(await setup.enrol({ address, code: late })).toMatchObject({ ok: false, refusal: 'expired-code' });
    expect(await setup.enrol({ address: `127.0.0.1:${await freePort()}`, code: await code('Desk unreachable') })).toMatchObject({ ok: false, refusal: 'unreachable' });
    // localhost is 127.0.0.1 here, but the certificate names 127.0.0.1 and cctv.example.org only.
    expect(await setup.enrol({ address: `localhost:${site.host.port}`, code: await code('Desk name') })).toMatchObject({ ok: false, refusal: 'wrong-name' });
    expect(await setup.enrol({ address: `127.0.0.1:${site.host.port};script-src *`, code: 'x' })).toMatchObject({ ok: false, refusal: 'bad-address' });
    expect(await setup.enrol({ address, code: 'x', extra: 1 })).toMatchObject({ ok: false, refusal: 'failed' });

    const pending = await setup.enrol({ address, code: await code('Desk mismatch') });
    if (!pending.ok) throw new Error(pending.message);
    const mismatch = await setup.keep({ pendingId: pending.value.pendingId, fingerprint: 'ef'.repeat(32) });
    expect(mismatch).toMatchObject({ ok: false, refusal: 'fingerprint-mismatch', message: expect.stringContaining('not kept') });
    expect(await setup.keep({ pendingId: pending.value.pendingId })).toMatchObject({ ok: false, refusal: 'no-pending' });
    expect(settings.choice(false)).toBeNull();
  });

  it('a pending enrolment is dropped after ten minutes', async () => {
    let now = Date.now();
    const { setup } = setUp(memoryStore(), () => now);
    const pending = await setup.enrol({ address, code: await code('Desk slow') });
    if (!pending.ok) throw new Error(pending.message);
    now += 10 * 60_000 + 1;
    expect(await setup.keep({ pendingId: pending.value.pendingId })).toMatchObject({ ok: false, refusal: 'no-pending' });
  });
});

describe('the desktop app in seat mode', () => {
  it('carries commands over the pinned socket, forwards pushed events, and a reload ends the session', async () => {
    const seat = await enrolledSeat('Desk calls');
    const { r, win } = openSeatWindow(seat);
    expect(r.mode).toBe('site');
    await win.state('connected');
    expect(await r.call(1, 'setup.status', {})).toEqual({ ok: true, value: { needsSetup: false } });
    await must(r.call(1, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
    await must(r.call(1, 'session.lock', {}));
    await win.until('session.locked', () => win.events.find((e) => (e as { type?: string }).type === 'session.locked'));
    expect(await r.call(1, 'no.such.command', {})).toMatchObject({ ok: false, error: { kind: 'UnknownCommand' } });
    expect(await r.call(1, 42, {})).toMatchObject({ ok: false, error: { kind: 'UnknownCommand' } });
    expect(await r.call(1, 'setup.status', { big: 10n })).toMatchObject({ ok: false, error: { kind: 'InvalidArgument' } });
    expect(await r.call(2, 'setup.status', {})).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });

    const from = win.links.length;
    r.pageGone(1);
    await win.state('connected', from);
    expect(await must(r.call(1, 'session.status', {}))).toMatchObject({ signedIn: false });
    // The engine names the seat in its audit trail.
    const list = await (await admin()).must('seats.list', {});
    expect(list.seats.find((s) => s.name === 'Desk calls')).toMatchObject({ version: 'desktop-test', connections: 1 });
    await r.close();
    expect(await r.call(1, 'setup.status', {})).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
  });

  it('an engine restart: the window is told the link is lost, then reconnected, and must sign in again', async () => {
    const seat = await enrolledSeat('Desk restart');
    const { r, win } = openSeatWindow(seat);
    await win.state('connected');
    await must(r.call(1, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
    const port = site.host.port;
    const from = win.links.length;
    const stoppedAtMs = Date.now();
    await site.close();
    const lost = await win.state('lost', from);
    const lostMs = Date.now() - stoppedAtMs;
    expect(lost).toMatchObject({ attempt: 1, retryInMs: expect.any(Number) });
    site = await startSite({ dataDir: site.dataDir, port, admin: false });
    const upAtMs = Date.now();
    await win.state('reconnected', from);
    console.log(`desktop seat: link lost ${lostMs} ms after the engine began to stop; reconnected ${Date.now() - upAtMs} ms after it was back`);
    expect(await must(r.call(1, 'session.status', {}))).toMatchObject({ signedIn: false });
    await r.close();
  });

  it('a revoked seat is told in words, stops retrying, and its credential leaves the keychain', async () => {
    const seat = await enrolledSeat('Desk revoked');
    const { r, win } = openSeatWindow(seat);
    await win.state('connected');
    const revokedAtMs = Date.now();
    await (await admin()).must('seats.revoke', { seatId: seat.enrolment.seatId, reason: 'The desk was replaced.' });
    const refused = await win.state('refused');
    console.log(`desktop seat: the window was told of its revocation ${Date.now() - revokedAtMs} ms after seats.revoke was called`);
    expect(refused).toMatchObject({ reason: 'revoked', message: expect.stringMatching(/revoked/) });
    await eventually('the credential to leave the keychain', async () => (await loadEnrolment(secrets, address)) === null);
    await new Promise((res) => setTimeout(res, 500));
    expect(win.links.at(-1)).toMatchObject({ state: 'refused' });
    expect(await r.call(1, 'setup.status', {})).toMatchObject({ ok: false, error: { kind: 'Unavailable' } });
    // The next start still says why.
    expect(await seat.setup.loadSite()).toMatchObject({ ok: false, reason: 'revoked', message: expect.stringMatching(/revoked/) });
    expect(seat.settings.lastSite()).toMatchObject({ address: `https://${address}` });
    expect(seat.setup.siteEnrolled()).toBe(false);
    await r.close();
  });

  it('another engine at the same address is refused, naming both fingerprints; the credential is kept', async () => {
    const seat = await enrolledSeat('Desk impostor');
    const port = site.host.port;
    const real = site;
    await real.host.close();
    const impostor = await startSite({ port, admin: false });
    try {
      expect(impostor.tls.fingerprint).not.toBe(real.tls.fingerprint);
      const { r, win } = openSeatWindow(seat);
      const refused = await win.state('refused');
      expect(refused).toMatchObject({ reason: 'wrong-certificate' });
      expect(refused.state === 'refused' && refused.message).toContain(impostor.tls.fingerprint);
      expect(refused.state === 'refused' && refused.message).toContain(real.tls.fingerprint);
      expect(await loadEnrolment(secrets, address)).toMatchObject({ seatId: seat.enrolment.seatId });
      await r.close();
    } finally {
      await impostor.close();
      await real.t.dispose();
    }
  });
});

describe('the desktop app in embedded mode', () => {
  it('hands each window\'s calls to the engine inside the app, with its events; nothing before a mode is chosen', async () => {
    const t = await startTestEngine();
    try {
      const r = new CommandRouter();
      const win = new TestWindow();
      r.openWindow(7, win);
      expect(await r.call(7, 'setup.status', {})).toMatchObject({ ok: false, error: { kind: 'Unavailable' } });
      r.setBackend(embeddedBackend(t.engine, silentLogger));
      expect(() => r.setBackend(embeddedBackend(t.engine, silentLogger))).toThrow();
      expect(r.linkStatus(7)).toMatchObject({ state: 'connected' });
      await must(r.call(7, 'setup.createAdmin', ADMIN));
      const signedIn = await must(r.call(7, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
      if (signedIn.commitmentPending) {
        const commitment = await must(r.call(7, 'commitment.get', { language: 'en' }));
        await must(r.call(7, 'commitment.accept', { version: commitment.version }));
      }
      await must(r.call(7, 'session.lock', {}));
      await win.until('session.locked', () => win.events.find((e) => (e as { type?: string }).type === 'session.locked'));
      r.pageGone(7);
      await eventually('the session to end', async () => (await must(r.call(7, 'session.status', {}))).signedIn === false);
      const audit = await t.engine.store.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.signIn').execute();
      expect(audit.some((a) => a.details.includes('local:window:7'))).toBe(true);
      await r.close();
    } finally {
      await t.dispose().catch(() => {});
    }
  });
});
