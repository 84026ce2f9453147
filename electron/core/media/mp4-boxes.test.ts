// The one MP4 box reader: header forms (32-bit, 64-bit, to-the-end), paths of child boxes, and the
// two ways a box that runs past its span is treated (a stream still arriving: stop; bytes that
// must be whole: an error naming the offset). A size smaller than a header is refused either way.
import { describe, expect, it } from 'vitest';
import { boxesIn, childBoxes, findBox, readBoxHeader } from './mp4-boxes';

const box = (type: string, body: Buffer = Buffer.alloc(0)) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};

describe('mp4 boxes', () => {
  it('reads 32-bit, 64-bit and to-the-end sizes', () => {
    const large = Buffer.alloc(20);
    large.writeUInt32BE(1);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(20n, 8);
    expect(readBoxHeader(large, 0, large.length)).toEqual({ type: 'mdat', start: 0, headerSize: 16, size: 20, end: 20 });
    const open = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('mdat', 'latin1'), Buffer.alloc(4)]);
    expect(readBoxHeader(open, 0, open.length)).toMatchObject({ size: 12, end: 12 });
    expect(readBoxHeader(Buffer.alloc(5), 0, 5)).toBeNull();
  });

  it('walks a path of child boxes', () => {
    const file = Buffer.concat([box('ftyp'), box('moov', Buffer.concat([box('mvhd'), box('trak', box('mdia', box('mdhd', Buffer.alloc(4))))]))]);
    const [ftyp, moov] = boxesIn(file, 0, file.length);
    expect([ftyp!.type, moov!.type]).toEqual(['ftyp', 'moov']);
    expect(childBoxes(file, moov!).map((b) => b.type)).toEqual(['mvhd', 'trak']);
    expect(findBox(file, moov!, ['trak', 'mdia', 'mdhd'])).toMatchObject({ type: 'mdhd', size: 12 });
    expect(findBox(file, moov!, ['trak', 'minf'])).toBeNull();
  });

  it('a torn last box ends a stream walk, and is an error where the bytes must be whole', () => {
    const torn = Buffer.concat([box('moof', Buffer.alloc(8)), box('mdat', Buffer.alloc(16)).subarray(0, 12)]);
    expect(boxesIn(torn, 0, torn.length).map((b) => b.type)).toEqual(['moof']);
    expect(() => boxesIn(torn, 0, torn.length, 'throw')).toThrow('corrupt box at byte 16');
    const tiny = Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66]);
    expect(() => boxesIn(tiny, 0, tiny.length)).toThrow(/corrupt box "moof" of size 4/);
  });
});
