// The split of the journeys (e2e/journeys.ts): one that starts the camera simulator never runs
// beside another journey.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIA_JOURNEYS } from './journeys';

const specs = fs.readdirSync(import.meta.dirname).filter((f) => f.endsWith('.spec.ts')).sort();

describe('journey projects', () => {
  it('every journey that starts the camera simulator runs in the media project', () => {
    const starting = specs.filter((f) => /\bstartSimulator\s*\(/.test(fs.readFileSync(path.join(import.meta.dirname, f), 'utf8')));
    expect(starting.length).toBeGreaterThan(0);
    expect(starting.filter((f) => !MEDIA_JOURNEYS.includes(f)), 'add these to MEDIA_JOURNEYS in e2e/journeys.ts').toEqual([]);
  });

  it('every media journey names a spec', () => {
    expect(MEDIA_JOURNEYS.filter((f) => !specs.includes(f))).toEqual([]);
  });
});
