import { describe, expect, it } from 'vitest';
import { cameraStateOf, hasPicture, splitCredentials, TILE_STATES, withCredentials, type TileState } from './cameras';

describe('camera URL credentials', () => {
  it.each([
    ['rtsp://127.0.0.1:8554/cam1/main', null, null, 'rtsp://127.0.0.1:8554/cam1/main'],
    ['rtsp://admin:secret@10.0.0.5/stream1', 'admin', 'secret', 'rtsp://10.0.0.5/stream1'],
    ['rtsp://admin:p@ss:w/rd#%@cam.local:554/ch1', 'admin', 'p@ss:w/rd#%', 'rtsp://cam.local:554/ch1'],
    ['rtsp://admin:p%40ss@[::1]:554/x', 'admin', 'p@ss', 'rtsp://[::1]:554/x'],
  ])('%s', (input, user, pass, bare) => {
    expect(splitCredentials(input)).toEqual({ url: bare, username: user, password: pass });
  });

  it('round-trips passwords with @ : / # % through percent-encoding', () => {
    const url = withCredentials('rtsp://cam.local:554/ch1', 'op@site', 'a@b:c/d#e%f g');
    expect(url).toBe('rtsp://op%40site:a%40b%3Ac%2Fd%23e%25f%20g@cam.local:554/ch1');
    expect(splitCredentials(url)).toEqual({ url: 'rtsp://cam.local:554/ch1', username: 'op@site', password: 'a@b:c/d#e%f g' });
  });
});

describe('one state per camera (cameraStateOf)', () => {
  const s = (state: TileState) => ({ state });
  it('a camera without a picture reads the same on every tile, whatever stream the tile shows', () => {
    for (const main of TILE_STATES.filter((x) => !hasPicture(x))) {
      for (const shown of TILE_STATES) expect(cameraStateOf(s(main), s(shown))).toBe(main);
      expect(cameraStateOf(s(main), null)).toBe(main);
    }
  });
  it("a camera that is up shows the tile's own stream state (a sub stream starting or broken on its own)", () => {
    expect(cameraStateOf(s('live'), s('connecting'))).toBe('connecting');
    expect(cameraStateOf(s('live'), s('no_signal'))).toBe('no_signal');
    expect(cameraStateOf(s('transcoding'), s('live'))).toBe('live');
    expect(cameraStateOf(s('live'), null)).toBe('live');
  });
});
