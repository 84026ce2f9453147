import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseArgs } from './sim-options';

describe('simulator options', () => {
  it('--size takes WxH in multiples of 4 and defaults to 1280x720', () => {
    expect(DEFAULTS.size).toEqual({ width: 1280, height: 720 });
    expect(parseArgs(['--size', '640x360']).size).toEqual({ width: 640, height: 360 });
    expect(parseArgs(['--size=1920x1080']).size).toEqual({ width: 1920, height: 1080 });
  });

  it.each(['640', '640x', 'x360', '642x360', '640x362', '160x90', '7680x4320', '640X360', ' 640x360', '-640x360'])('refuses --size %j, naming the rule', (size) => {
    expect(() => parseArgs(['--size', size])).toThrow(/--size: WxH with both multiples of 4, from 320x180 to 3840x2160/);
  });
});
