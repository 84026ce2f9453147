// Camera passwords leak (fixed): a URL pasted with `/` or `@` in its password passed the redaction
// into the append-only audit log; cameras.update sent the stored password to whatever new address
// an administrator typed. Credentials are split out of every device address when the request is
// parsed, and a stored password follows its camera only while the host stays the same
// (docs/design/threat-model.md). ffmpeg's argv is covered by the relay tests (media/rtsp-relay).
import { everythingStored } from '../testing/raw-store';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

/** Every shape a password takes that broke something once: @ : / # % space, non-ASCII. */
const PASSWORDS = ['p@ss/w:rd#1%', 'a/b@c', 'x%40y%2Fz', 'pass word 9', 'Zażółć-gęślą:ja/źń#%@x', 'Šťastný@Žluťoučký/kůň'];

/** The forms a password can take on its way somewhere, and long parts of it (a redaction that
 *  stops at the first `@` or `/` leaves the rest of the password behind). */
function forms(p: string): string[] {
  const parts = p.length >= 8 ? [p.slice(2), p.slice(0, -2)] : [];
  return [p, encodeURIComponent(p), encodeURI(p), Buffer.from(`cam.user:${p}`).toString('base64'), JSON.stringify(p).slice(1, -1), ...parts];
}

let t: TestEngine;
let admin: Caller;
let groupId = 0;
const answers: string[] = [];

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  groupId = (await admin.must('groups.create', { name: 'Gate', description: '' })).id;
});
afterAll(async () => {
  await t.dispose();
});

const settings = (name: string) => ({ name, site: 'Depot', groupId, purpose: 'entrance safety', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false });

describe('camera passwords never leave the keychain', () => {
  it('a password pasted into an RTSP or ONVIF address, in any shape, is nowhere but the keychain', async () => {
    for (const [i, password] of PASSWORDS.entries()) {
      // Typed as people paste them: unencoded, except a space (a URL cannot hold one), which goes in the field.
      const pasted = !password.includes(' ');
      const r = await admin.call('cameras.add', {
        settings: settings(`Gate ${i}`),
        source: { kind: 'rtsp', mainUrl: pasted ? `rtsp://cam.user:${password}@127.0.0.1:9/stream${i}` : `rtsp://127.0.0.1:9/stream${i}`, subUrl: null },
        username: pasted ? null : 'cam.user',
        password: pasted ? null : password,
      });
      answers.push(JSON.stringify(r));
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) {
        expect(r.value.source.mainUrl).toBe(`rtsp://127.0.0.1:9/stream${i}`);
        expect(r.value.username).toBe('cam.user');
        expect(r.value.hasPassword).toBe(true);
      }
      // An ONVIF address with credentials in it: probed (nobody answers), audited, never kept.
      answers.push(JSON.stringify(await admin.call('cameras.probe', { xaddr: `http://cam.user:${password.replace(/ /g, '%20')}@127.0.0.1:9/onvif/device_service`, username: '', password: '' })));
    }
    answers.push(JSON.stringify(await admin.call('cameras.adminList', {})));
    await t.engine.audit.drain();
    // The whole audit log, every column, and every byte of the database files.
    const audit = await t.engine.store.db.selectFrom('audit_log').selectAll().execute();
    const auditText = JSON.stringify(audit);
    const files = await everythingStored(t.engine.store, t.dataDir);
    for (const password of PASSWORDS) {
      for (const form of forms(password)) {
        expect(auditText.includes(form), `audit log holds ${JSON.stringify(form)}`).toBe(false);
        for (const a of answers) expect(a.includes(form), `an answer holds ${JSON.stringify(form)}`).toBe(false);
        for (const f of files) expect(f.includes(form), `the database holds ${JSON.stringify(form)}`).toBe(false);
      }
    }
    // The audit target of a probe names the address without its credentials.
    expect(audit.some((e) => e.action === 'cameras.probe' && e.target === 'onvif:http://127.0.0.1:9/onvif/device_service')).toBe(true);
  });

  it('a stored password follows its camera only while the host stays the same', async () => {
    // Something listening at the new address would receive the stored password if it were sent.
    const received: Buffer[] = [];
    const trap = net.createServer((s) => s.on('data', (d) => received.push(d)));
    // 'localhost' is another host name for the same machine (a new host as far as the rule goes).
    await new Promise<void>((resolve, reject) => {
      trap.once('error', (err) => reject(new Error(`cannot listen on localhost (is it in /etc/hosts?): ${err.message}`)));
      trap.listen(0, 'localhost', () => resolve());
    });
    const port = (trap.address() as net.AddressInfo).port;
    try {
      const added = await admin.must('cameras.add', { settings: settings('Moved'), source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/moved', subUrl: null }, username: 'cam.user', password: 'Stored-Secret-1' });
      // The same host on another path or port: the password stays.
      const same = await admin.must('cameras.update', { cameraId: added.id, settings: settings('Moved'), source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:10/moved-too', subUrl: null }, username: 'cam.user', password: null });
      expect(same.hasPassword).toBe(true);
      // Another host without a password typed: refused, nothing changed, nothing sent there.
      const moved = await admin.call('cameras.update', { cameraId: added.id, settings: settings('Moved'), source: { kind: 'rtsp', mainUrl: `rtsp://localhost:${port}/elsewhere`, subUrl: null }, username: 'cam.user', password: null });
      expect(!moved.ok && moved.error).toMatchObject({ kind: 'InvalidArgument', issues: ['password: requiredForNewAddress'] });
      const onvif = await admin.call('cameras.update', { cameraId: added.id, settings: settings('Moved'), source: { kind: 'onvif', xaddr: `http://localhost:${port}/onvif/device_service`, mainProfile: 'main', subProfile: null }, username: 'cam.user', password: null });
      expect(!onvif.ok && onvif.error.kind).toBe('InvalidArgument');
      const list = await admin.must('cameras.adminList', {});
      expect(list.cameras.find((c) => c.id === added.id)?.source.mainUrl).toBe('rtsp://127.0.0.1:10/moved-too');
      await new Promise((r) => setTimeout(r, 300));
      expect(Buffer.concat(received).toString()).toBe('');
      // With the password typed again, the move is allowed.
      const retyped = await admin.must('cameras.update', { cameraId: added.id, settings: settings('Moved'), source: { kind: 'rtsp', mainUrl: `rtsp://localhost:${port}/elsewhere`, subUrl: null }, username: 'cam.user', password: 'New-Secret-2' });
      expect(retyped.source.mainUrl).toBe(`rtsp://localhost:${port}/elsewhere`);
    } finally {
      trap.close();
    }
  });
});
