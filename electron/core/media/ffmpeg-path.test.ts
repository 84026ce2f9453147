import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFfmpeg } from './ffmpeg-path';
import { startTestEngine } from '../testing/harness';

describe('which ffmpeg runs (configured, then bundled, then PATH)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffmpeg-path-'));
  const bundled = path.join(dir, 'bundled');
  fs.mkdirSync(bundled);
  fs.writeFileSync(path.join(bundled, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 });

  it('prefers the configured path, then the bundled copy, then PATH', () => {
    expect(resolveFfmpeg({ configured: '/usr/bin/ffmpeg', bundledDir: bundled })).toEqual({ path: '/usr/bin/ffmpeg', source: 'configured' });
    expect(resolveFfmpeg({ bundledDir: bundled, envPath: '/usr/bin' })).toEqual({ path: path.join(bundled, 'ffmpeg'), source: 'bundled' });
    expect(resolveFfmpeg({ bundledDir: path.join(dir, 'none'), envPath: `/nonexistent${path.delimiter}/usr/bin` })).toEqual({ path: '/usr/bin/ffmpeg', source: 'PATH' });
  });

  it('a missing ffmpeg is one clear message, and every camera says so instead of failing', async () => {
    expect(resolveFfmpeg({ configured: '/opt/nothing/ffmpeg' })).toEqual({ error: 'The configured ffmpeg (/opt/nothing/ffmpeg) does not exist or is not executable.' });
    const missing = resolveFfmpeg({ envPath: dir });
    expect(missing).toEqual({ error: 'ffmpeg was not found: install ffmpeg (Debian: apt install ffmpeg) or set CONSOLE_FFMPEG_PATH (host mode: --ffmpeg PATH).' });
    const t = await startTestEngine(undefined, { ffmpeg: { configured: '/opt/nothing/ffmpeg' } });
    try {
      const { setUpAdmin } = await import('../testing/harness');
      const admin = await setUpAdmin(t);
      const g = await admin.must('groups.create', { name: 'G', description: '' });
      await admin.must('cameras.add', {
        settings: { name: 'C', site: 'S', groupId: g.id, purpose: 'no ffmpeg here', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/x', subUrl: null },
        username: null,
        password: null,
      });
      const list = await admin.must('cameras.adminList', {});
      expect(list.cameras[0]?.main).toMatchObject({ state: 'no_ffmpeg', detail: expect.stringContaining('does not exist') });
    } finally {
      await t.dispose();
    }
  });
});
