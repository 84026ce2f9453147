// "What just happened?": a live tile's "replay the last 30 s" and an incident's "play" open Playback
// on that camera and moment, with the reason dialog prefilled (the engine still asks for a reason
// and logs it, R3). This is the hand-over between sections: the one who asks sets an intent, the
// shell switches to Playback, and Playback takes it once. Playback also opens on the camera the
// guard last had selected on the wall.
import type { PlaybackReason } from './ReasonDialog';

export interface PlaybackIntent {
  cameraIds: number[];
  fromMs: number;
  toMs: number;
  reason?: Partial<PlaybackReason>;
}

/** How far back "replay" goes from a live tile. */
export const LOOK_BACK_MS = 30_000;

let pending: PlaybackIntent | null = null;
let lastWatched: number | null = null;
const listeners = new Set<() => void>();

/** Asks for Playback with this intent; the shell switches section. */
export function requestPlayback(intent: PlaybackIntent): void {
  pending = intent;
  for (const l of listeners) l();
}

/** The pending intent, taken once. */
export function takePlaybackIntent(): PlaybackIntent | null {
  const p = pending;
  pending = null;
  return p;
}

export function onPlaybackRequested(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The camera of the selected wall tile, for Playback's first selection. */
export function setLastWatched(cameraId: number | null): void {
  if (cameraId !== null) lastWatched = cameraId;
}

export function lastWatchedCamera(): number | null {
  return lastWatched;
}

/** "Replay the last 30 s" of a live camera, asked at `nowMs`. */
export function lookBackIntent(cameraId: number, nowMs: number): PlaybackIntent {
  return { cameraIds: [cameraId], fromMs: nowMs - LOOK_BACK_MS, toMs: nowMs + 60_000 };
}
