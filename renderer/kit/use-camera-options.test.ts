import { describe, expect, it } from 'vitest';
import { cameraLabel, rememberCameras } from './use-camera-options';

describe('cameras a filter offers', () => {
  it('remembers every camera seen in records, so narrowing the list keeps the choices', () => {
    const seen = rememberCameras(new Map(), [{ cameraId: 1, cameraName: 'Peron 1' }, { cameraId: 2, cameraName: 'Peron 2' }]);
    expect([...rememberCameras(seen, [{ cameraId: 2, cameraName: 'Peron 2' }]).keys()]).toEqual([1, 2]);
  });

  it('returns the same map when nothing is new (no render loop)', () => {
    const seen = rememberCameras(new Map(), [{ cameraId: 1, cameraName: 'Peron 1' }]);
    expect(rememberCameras(seen, [{ cameraId: 1, cameraName: 'Peron 1' }])).toBe(seen);
  });

  it('labels a camera with its site', () => {
    expect(cameraLabel({ name: 'Peron 3', site: 'Dworzec' })).toBe('Peron 3 · Dworzec');
  });
});
