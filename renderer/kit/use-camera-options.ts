// Cameras as select options: those the user can watch (cameras.list needs live.view), plus every
// camera named in the records seen on this screen so far, so a filter by camera works for roles
// without live view (auditors) and keeps its choices while a filter narrows the list.
import { useState } from 'react';
import { useCommand } from './use-command';

export interface CameraOption {
  value: string;
  label: string;
}

export interface KnownCamera {
  cameraId: number;
  cameraName: string;
}

export function cameraLabel(camera: { name: string; site: string }): string {
  return camera.site ? `${camera.name} · ${camera.site}` : camera.name;
}

/** `seen` with the cameras of `known` added; the same map when nothing is new. */
export function rememberCameras(seen: ReadonlyMap<number, string>, known: Iterable<KnownCamera>): ReadonlyMap<number, string> {
  let next: Map<number, string> | null = null;
  for (const k of known) {
    if (seen.has(k.cameraId) || next?.has(k.cameraId)) continue;
    next ??= new Map(seen);
    next.set(k.cameraId, k.cameraName);
  }
  return next ?? seen;
}

export interface CameraOptions {
  /** The cameras the user can watch (and so put on hold, export, play back). */
  watchable: CameraOption[];
  /** Those and every camera seen in this screen's records (for a filter). */
  withSeen: CameraOption[];
}

const byLabel = (a: CameraOption, b: CameraOption) => a.label.localeCompare(b.label);

export function useCameraOptions(canWatch: boolean, known: Iterable<KnownCamera> = []): CameraOptions {
  const watchable = useCommand('cameras.list', canWatch ? {} : null, [canWatch]);
  const [seen, setSeen] = useState<ReadonlyMap<number, string>>(() => new Map());
  const remembered = rememberCameras(seen, known);
  // Remember what this render saw (adjusting state while rendering, as React documents for values
  // derived from earlier renders); it settles at once, as nothing new is seen the second time.
  if (remembered !== seen) setSeen(remembered);
  const mine = (watchable.value?.cameras ?? []).map((c) => ({ value: String(c.id), label: cameraLabel(c) })).sort(byLabel);
  const have = new Set(mine.map((o) => o.value));
  const seenOnly = [...remembered].filter(([id]) => !have.has(String(id))).map(([id, name]) => ({ value: String(id), label: name }));
  return { watchable: mine, withSeen: [...mine, ...seenOnly].sort(byLabel) };
}
