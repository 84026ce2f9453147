// R8: no audio is recorded (JON 12). A camera that sends sound gets a video-only stream: the
// ingest output, which live view and the recorder both consume, has no audio track at all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegOutputArgs } from './ingest';
import { split } from '../testing/ffmpeg-fixtures';

describe('R8 no audio', () => {
  it('drops the audio of a camera that sends sound, for copy and for transcoding', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'r8-'));
    const withSound = path.join(dir, 'camera-with-microphone.mp4');
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', withSound]);
    expect(made.status).toBe(0);
    for (const transcode of [false, true]) {
      const out = spawnSync('ffmpeg', ['-v', 'error', '-i', withSound, ...ffmpegOutputArgs(transcode)], { maxBuffer: 64 * 1024 * 1024 });
      expect(out.status).toBe(0);
      const { init, fragments } = split(out.stdout);
      expect(init.codec).toBe('avc1');
      // One track only, and it is video: no 'soun' handler anywhere in the init segment.
      expect(init.bytes.includes(Buffer.from('soun'))).toBe(false);
      expect(init.bytes.toString('latin1').match(/trak/g)).toHaveLength(1);
      expect(fragments.length).toBeGreaterThan(0);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
