import { describe, expect, it } from 'vitest';
import type { AlarmView, StorageView } from '../../shared/contract';
import { activeCriticalAlarms, alarmKey, bytesToGiB, formatBytes, gibToBytes, percent, sortAlarms } from './storage-model';

const alarm = (id: number, severity: AlarmView['severity'], raisedAtMs: number, clearedAtMs: number | null): AlarmView => ({
  id,
  kind: 'storage.full',
  severity,
  message: 'm',
  params: {},
  cameraId: null,
  raisedAtMs,
  clearedAtMs,
  acknowledgedBy: null,
  canAcknowledge: false,
});

describe('storage model', () => {
  it('only uncleared critical alarms raise the banner', () => {
    const view: StorageView = { roots: [], sweepIntervalMinutes: 5, lastSweepAtMs: null, alarms: [alarm(1, 'critical', 1, 2), alarm(2, 'warning', 3, null), alarm(3, 'critical', 4, null)] };
    expect(activeCriticalAlarms(view).map((a) => a.id)).toEqual([3]);
    expect(activeCriticalAlarms(null)).toEqual([]);
  });

  it('lists active alarms first, critical before warning, newest first', () => {
    const sorted = sortAlarms([alarm(1, 'critical', 10, 20), alarm(2, 'warning', 30, null), alarm(3, 'critical', 5, null), alarm(4, 'warning', 40, 50)]);
    expect(sorted.map((a) => a.id)).toEqual([3, 2, 4, 1]);
  });

  it('converts GiB both ways and bounds percentages', () => {
    expect(gibToBytes(1.5)).toBe(1.5 * 1024 ** 3);
    expect(bytesToGiB(gibToBytes(200))).toBe(200);
    expect(percent(5, 0)).toBe(0);
    expect(percent(150, 100)).toBe(100);
  });

  it('formats bytes in binary units and names known alarm kinds', () => {
    expect(formatBytes(0, 'en-GB')).toBe('0 B');
    expect(formatBytes(1536, 'en-GB')).toBe('1.5 KiB');
    expect(formatBytes(250 * 1024 ** 3, 'en-GB')).toBe('250 GiB');
    expect(alarmKey('storage.full')).toBe('storage_full');
    expect(alarmKey('something.else')).toBeNull();
  });
});
