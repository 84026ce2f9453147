// What a tile says when ffmpeg gives up: from ffmpeg 5.1's real messages (captured against the
// camera simulator), including context addresses and ports that contain "401" or "404" by chance.
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './ingest';

describe('classifyFailure', () => {
  it('reads a refused password as auth_failed, and says nothing of the URL', () => {
    const f = classifyFailure(
      '[rtsp @ 0x560f3fa319c0] method DESCRIBE failed: 401 Unauthorized\nrtsp://op:s3cret@127.0.0.1:33795/cam1/main: Server returned 401 Unauthorized (authorization failed)\n',
    );
    expect(f.state).toBe('auth_failed');
    expect(f.detail).not.toContain('s3cret');
  });

  it('reads a missing stream as unreachable (404)', () => {
    const f = classifyFailure('[rtsp @ 0x55cc2e8fb9c0] method DESCRIBE failed: 404 Not Found\nrtsp://127.0.0.1:33795/nothing: Server returned 404 Not Found\n');
    expect(f).toEqual({ state: 'unreachable', detail: 'The camera does not have that stream (404).' });
  });

  it('is not fooled by "401" or "404" inside a context address or a port', () => {
    const refused = classifyFailure('[tcp @ 0x55c77c401880] Connection to tcp://127.0.0.1:40401?timeout=5000000 failed: Connection refused\nrtsp://127.0.0.1:40401/x: Connection refused\n');
    expect(refused.state).toBe('unreachable');
    expect(refused.detail).toBe('Connection to <url> failed: Connection refused');
    const eof = classifyFailure('[rtsp @ 0x5640404019c0] End of file\n');
    expect(eof).toEqual({ state: 'unreachable', detail: 'End of file' });
  });

  it('asks for transcoding when the codec cannot be copied', () => {
    expect(classifyFailure('[mp4 @ 0x1] Could not find tag for codec pcm_alaw in stream #1').transcode).toBe(true);
  });
});
