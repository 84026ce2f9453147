// SOAP/HTTP answers are untrusted input (docs/design/onvif.md): whatever a device sends, the probe
// ends with profiles or with an OnvifError in words (never a crash, never a credential), within
// its limits; vendors' namespace prefixes and NAT addresses do not matter.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifClient, OnvifError } from './onvif';
import { chooseDigest, parseChallenges } from './onvif-digest';
import { parseXml, XmlError } from './onvif-xml';
import { startResponder, type OnvifResponder, type ResponderConfig } from './testing/onvif-responder';

const PASSWORD = 'Untrusted-Pa55';
let device: OnvifResponder | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function start(cfg: Partial<ResponderConfig>): Promise<OnvifResponder> {
  device = await startResponder({ user: 'operator', password: PASSWORD, ...cfg });
  return device;
}

const client = createOnvifClient({ requestTimeoutMs: 2_000, probeTimeoutMs: 5_000 });

async function failure(d: OnvifResponder): Promise<OnvifError> {
  const err = await client.probe(d.deviceUrl, 'operator', PASSWORD).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OnvifError);
  expect((err as OnvifError).message).not.toContain(PASSWORD);
  return err as OnvifError;
}

describe('ONVIF: answers from a device are untrusted input', () => {
  it('garbage, truncated XML, a DTD with entities, an empty body: a malformed-answer error naming the call', async () => {
    const bodies = [
      'HTTP/1.1 this is not xml at all \u0000\u0001',
      '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><trt:GetProfilesResponse>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
      '',
      '<Envelope><Body></Body></Envelope>',
      '<a><b></a></b>',
      '{"json": "is not soap"}',
    ];
    for (const garbage of bodies) {
      const d = await start({ auth: 'token', garbage: { GetProfiles: garbage } });
      const e = await failure(d);
      expect([e.kind, e.message]).toEqual(['malformed', "The device's answer to GetProfiles is not a SOAP envelope."]);
      await d.close();
    }
  });

  it('an answer larger than 2 MiB is cut off and reported', async () => {
    const d = await start({ auth: 'token', hugeBytes: { GetProfiles: 3 * 1024 * 1024 } });
    const e = await failure(d);
    expect([e.kind, e.message]).toEqual(['malformed', "The device's answer to GetProfiles is larger than 2048 KiB."]);
  });

  it('a fault whose reason echoes the password does not carry it into the error', async () => {
    const d = await start({ auth: 'token', faults: { GetProfiles: { status: 500, codes: ['s:Receiver', 'ter:Action'], reason: `bad ${PASSWORD} <script>` } } });
    const e = await failure(d);
    expect(e.message).toBe('The device answered GetProfiles with a SOAP fault (Receiver/Action): bad *** <script>.');
  });

  it('HTTP errors without SOAP, a refused connection, an invalid address: errors in words', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://elsewhere/' }).end();
      else if (req.url === '/missing') res.writeHead(404).end('not here');
      else if (req.url === '/broken-http') req.socket.end('NOT HTTP AT ALL\r\n\r\n');
      else res.writeHead(503, { 'content-type': 'text/html' }).end('<html>busy</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const msg = async (xaddr: string) => {
      const e = await client.probe(xaddr, 'operator', PASSWORD).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(OnvifError);
      return [(e as OnvifError).kind, (e as OnvifError).message];
    };
    try {
      expect(await msg(`${base}/busy`)).toEqual(['fault', 'The device failed to answer GetDeviceInformation (HTTP 503).']);
      expect(await msg(`${base}/missing`)).toEqual(['fault', 'The device has no ONVIF service at that address (HTTP 404 for GetDeviceInformation).']);
      expect(await msg(`${base}/redirect`)).toEqual(['fault', 'The device redirected GetDeviceInformation (HTTP 302); enter the ONVIF address it redirects to.']);
      expect((await msg(`${base}/broken-http`))[0]).toMatch(/^(malformed|unreachable)$/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await msg('http://127.0.0.1:9/onvif/device_service')).toEqual(['unreachable', 'The device cannot be reached at that address (connection refused).']);
    expect(await msg('not a url')).toEqual(['unreachable', 'That is not a valid device address.']);
    expect(await msg('ftp://127.0.0.1/')).toEqual(['unreachable', 'The device address must start with http:// or https://.']);
  });

  it('vendor namespace prefixes, a media address behind NAT, credentials in stream URIs: read correctly', async () => {
    const d = await start({ auth: 'digest', vendorPrefixes: true, reportedHost: '10.255.255.1:8080', credentialsInStreamUri: true });
    const info = await client.probe(d.deviceUrl, 'operator', PASSWORD);
    expect(info.profiles.map((p) => [p.token, p.name, p.encoding, p.width, p.rtspUrl])).toEqual([
      ['ch1_main', 'Channel 1 main', 'H264', 1920, 'rtsp://127.0.0.1:554/Streaming/Channels/101'],
      ['ch1_sub', 'Channel 1 sub', 'H264', 640, 'rtsp://127.0.0.1:554/Streaming/Channels/102'],
    ]);
    expect(JSON.stringify(info)).not.toContain(PASSWORD);
  });

  it('GetCapabilities faulting falls back to GetServices; a profile without a stream gets rtspUrl null after RTSP and UDP', async () => {
    const fault = { status: 400, codes: ['s:Sender', 'ter:InvalidArgVal'], reason: 'no' };
    const d = await start({ auth: 'token', faults: { GetCapabilities: fault } });
    expect((await client.probe(d.deviceUrl, 'operator', PASSWORD)).profiles).toHaveLength(2);
    expect(d.callsOf('GetServices')).toHaveLength(1);
    await d.close();
    const noStreams = await start({ auth: 'token', faults: { GetStreamUri: fault } });
    const info = await client.probe(noStreams.deviceUrl, 'operator', PASSWORD);
    expect(info.profiles.map((p) => p.rtspUrl)).toEqual([null, null]);
    expect(noStreams.callsOf('GetStreamUri').map((c) => c.protocol).sort()).toEqual(['RTSP', 'RTSP', 'UDP', 'UDP']);
  });

  it('every call answered with random bytes ends in an OnvifError, never anything else', async () => {
    const actions = ['GetSystemDateAndTime', 'GetDeviceInformation', 'GetCapabilities', 'GetProfiles', 'GetStreamUri'];
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 25; round++) {
      const action = actions[Math.floor(rnd() * actions.length)] ?? 'GetProfiles';
      const alphabet = '<>/="\' &;:!?[]-abcsEnvelopBdyFaultxmln0123456789\u00e9\u0000';
      const body = Array.from({ length: Math.floor(rnd() * 400) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const d = await start({ auth: 'token', garbage: { [action]: body } });
      const result = await client.probe(d.deviceUrl, 'operator', PASSWORD).catch((e: unknown) => e);
      // GetSystemDateAndTime garbage is tolerated (the local clock is used); elsewhere it fails.
      if (!(result instanceof OnvifError)) expect(action).toBe('GetSystemDateAndTime');
      await d.close();
    }
  });
});

describe('the XML reader and the challenge parser', () => {
  it('matches local names whatever the prefix, decodes entities and CDATA, refuses what is not well-formed', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a:E xmlns:a="x"><B k="1&amp;2">x &lt; y<![CDATA[ & z]]></B><c:B/></a:E>');
    expect(root.name).toBe('E');
    expect(root.children.map((c) => c.name)).toEqual(['B', 'B']);
    expect(root.children[0]).toMatchObject({ text: 'x < y & z', attrs: { k: '1&2' } });
    for (const bad of ['<a>', '<a></b>', '<a>&bogus;</a>', '<a/><b/>', '<!DOCTYPE a><a/>', 'text', '<a b=1/>', '<a>&#0;</a>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
    expect(() => parseXml('<a>'.repeat(100) + '</a>'.repeat(100))).toThrow(/too deeply/);
  });

  it('reads several challenges from one header and picks the strongest it can answer', () => {
    const challenges = parseChallenges(['Digest realm="a, b", qop="auth,auth-int", nonce="n1", algorithm=MD5, Basic realm="x"', 'Digest realm="a", nonce="n2", algorithm=SHA-256, qop="auth"']);
    expect(challenges.map((c) => [c.scheme, c.params.realm, c.params.nonce])).toEqual([
      ['digest', 'a, b', 'n1'],
      ['basic', 'x', undefined],
      ['digest', 'a', 'n2'],
    ]);
    expect(chooseDigest(challenges).challenge).toMatchObject({ algorithm: 'SHA-256', nonce: 'n2', qop: 'auth' });
    expect(chooseDigest(parseChallenges(['Digest realm="r", nonce="n", algorithm=SHA-1'])).unsupported).toEqual(['Digest SHA-1']);
    expect(parseChallenges(['"""===,,,', ''])).toEqual([]);
  });
});
