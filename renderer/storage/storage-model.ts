// What the storage page and the shell's alarm banner derive from `storage.status` (R1, R2):
// which alarms are still open, in which order to show them, and GiB <-> bytes for the settings.
import type { AlarmView, StorageView } from '../../shared/contract';
import { currentLocale } from '../i18n';

export const GIB = 1024 ** 3;
/** How often users with storage.view ask for storage figures and alarms. */
export const STORAGE_POLL_MS = 15_000;

export function isActive(alarm: AlarmView): boolean {
  return alarm.clearedAtMs === null;
}

/** Uncleared critical alarms: while any exists the shell shows a red banner (recording may have stopped). */
export function activeCriticalAlarms(view: StorageView | null): AlarmView[] {
  return view ? view.alarms.filter((a) => isActive(a) && a.severity === 'critical') : [];
}

/** Active first (critical before warning), then cleared; newest first within each group. */
export function sortAlarms(alarms: readonly AlarmView[]): AlarmView[] {
  const rank = (a: AlarmView) => (isActive(a) ? (a.severity === 'critical' ? 0 : 1) : 2);
  return [...alarms].sort((a, b) => rank(a) - rank(b) || b.raisedAtMs - a.raisedAtMs);
}

export function bytesToGiB(bytes: number): number {
  return Math.round((bytes / GIB) * 100) / 100;
}

export function gibToBytes(gib: number): number {
  return Math.round(gib * GIB);
}

/** Share of `part` in `whole`, 0..100, for progress bars. */
export function percent(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.min(100, Math.max(0, (part / whole) * 100));
}

/** Translation key of an alarm kind (`storage.full` -> `storage_full`); unknown kinds fall back to the engine's message. */
export const KNOWN_ALARM_KINDS = ['storage.full', 'storage.pressure', 'recording.write_failed'] as const;
export function alarmKey(kind: string): string | null {
  return (KNOWN_ALARM_KINDS as readonly string[]).includes(kind) ? kind.replace('.', '_') : null;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units, as disks and quotas are set in GiB. */
export function formatBytes(bytes: number, locale: string = currentLocale()): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}
