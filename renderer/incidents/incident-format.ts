// How incident times are shown: the moment of a live mark with seconds (it is evidence of when the
// guard saw something), a playback range as from – to.
import { currentLocale } from '../i18n';
import { formatRange } from '../holds/time-input';

export function formatTimeOfDay(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

export function formatDateTimeSeconds(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

export function formatLongDate(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(ms);
}

/** A live mark's moment, or a playback range. */
export function formatIncidentTime(incident: { startMs: number; endMs: number | null }): string {
  return incident.endMs === null ? formatDateTimeSeconds(incident.startMs) : formatRange(incident.startMs, incident.endMs);
}
