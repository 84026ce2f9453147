// Privacy masks drawn over a picture (R7; docs/design/privacy-masks.md): permanent masks solid
// black, liftable ones strongly blurred unless this console lifted them for a while. The engine decides which masks footage is shown with (live:
// those in force now; playback: every version in force while it was recorded and the current one);
// this only draws them, exactly over the part of the element the picture fills (object-fit: contain
// leaves bars whose size depends on the picture's and the tile's shapes).
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { maskBounds, type MaskShape } from '../../shared/privacy-masks';
import { MaskLiftControl, useLift } from '../masks/MaskLiftControl';

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where a picture of w x h shows inside a box of bw x bh with object-fit: contain. */
export function containedRect(w: number, h: number, bw: number, bh: number): Rect {
  if (w <= 0 || h <= 0 || bw <= 0 || bh <= 0) return { left: 0, top: 0, width: bw, height: bh };
  const scale = Math.min(bw / w, bh / h);
  const width = w * scale;
  const height = h * scale;
  return { left: (bw - width) / 2, top: (bh - height) / 2, width, height };
}

/** Video pixels per pixel of a liftable mask's copy: the copy is scaled back up smoothly, a strong blur. */
const BLUR_PX = 16;

/** The part of the picture a mask's own box covers, and its outline relative to that box: each mask
 *  is a layer only as large as itself, so compositing it over every video frame costs little. */
function maskBox(mask: MaskShape): CSSProperties {
  const b = maskBounds(mask.points);
  const local: MaskShape = { kind: mask.kind, points: mask.points.map(([x, y]) => [b.w > 0 ? (x - b.x) / b.w : 0, b.h > 0 ? (y - b.y) / b.h : 0]) };
  return { position: 'absolute', left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.w * 100}%`, height: `${b.h * 100}%`, clipPath: polygon(local) };
}

function SolidMask({ mask }: { mask: MaskShape }) {
  return <div data-kind={mask.kind} style={{ ...maskBox(mask), background: '#000' }} />;
}

/** The copy under a liftable mask is redrawn at most this often (ms): five times a second shows that
 *  something moves, which is all a blur is for, and costs a wall of tiles no frames (bench:masks). */
const BLUR_REDRAW_MS = 200;

/**
 * A liftable mask: the picture under it copied at 1/BLUR_PX of its size (at most every
 * BLUR_REDRAW_MS, on a new video frame) and scaled back up smoothly, so shapes and faces are gone
 * but movement and light stay. Much cheaper than a CSS backdrop blur, which Chromium without a GPU
 * recomputes for every tile at every frame (bench:masks: a 3x3 wall went from 17 to 8 frames per
 * second per tile with it). Grey until the first copy, so the picture under it never shows.
 */
function LiftableBlur({ mask, video }: { mask: MaskShape; video: HTMLVideoElement | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const b = maskBounds(mask.points);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !video) return;
    let stopped = false;
    let frameHandle = 0;
    let animationHandle = 0;
    let drawnAt = -Infinity;
    const draw = () => {
      if (stopped) return;
      const vw = video.videoWidth;
      const vh = video.videoHeight;
      const now = performance.now();
      if (vw > 0 && vh > 0 && now - drawnAt >= BLUR_REDRAW_MS) {
        drawnAt = now;
        const sw = Math.max(1, b.w * vw);
        const sh = Math.max(1, b.h * vh);
        const cw = Math.max(2, Math.round(sw / BLUR_PX));
        const ch = Math.max(2, Math.round(sh / BLUR_PX));
        if (c.width !== cw) c.width = cw;
        if (c.height !== ch) c.height = ch;
        c.getContext('2d')?.drawImage(video, b.x * vw, b.y * vh, sw, sh, 0, 0, cw, ch);
      }
      schedule();
    };
    const schedule = () => {
      if (typeof video.requestVideoFrameCallback === 'function') frameHandle = video.requestVideoFrameCallback(draw);
      else animationHandle = requestAnimationFrame(draw);
    };
    draw();
    return () => {
      stopped = true;
      if (frameHandle) video.cancelVideoFrameCallback(frameHandle);
      if (animationHandle) cancelAnimationFrame(animationHandle);
    };
  }, [video, b.x, b.y, b.w, b.h]);
  return <canvas ref={canvas} data-kind={mask.kind} aria-hidden style={{ ...maskBox(mask), background: '#5a5a5a' }} />;
}

const polygon = (m: MaskShape) => `polygon(${m.points.map(([x, y]) => `${(x * 100).toFixed(3)}% ${(y * 100).toFixed(3)}%`).join(', ')})`;

/**
 * Masks over the picture of the `video` element that shares this overlay's parent (both fill it).
 * Until the picture's size is known, the masks cover a 16:9 picture; nothing shows then anyway.
 */
export function MaskOverlay({ masks, cameraId, testId = 'privacy-masks' }: { masks: readonly MaskShape[]; cameraId: number; testId?: string }) {
  const holder = useRef<HTMLDivElement>(null);
  // A lift (this console, for a while) uncovers the liftable masks only; permanent ones stay.
  const lift = useLift(cameraId);
  const hasLiftable = masks.some((m) => m.kind === 'liftable');
  const [rect, setRect] = useState<Rect | null>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  useEffect(() => {
    const el = holder.current;
    const video = el?.parentElement?.querySelector('video');
    if (!el || !video || masks.length === 0) return;
    setVideo(video);
    const measure = () => {
      const next = containedRect(video.videoWidth || 16, video.videoHeight || 9, el.clientWidth, el.clientHeight);
      setRect((prev) => (prev && prev.left === next.left && prev.top === next.top && prev.width === next.width && prev.height === next.height ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    video.addEventListener('loadedmetadata', measure);
    video.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      video.removeEventListener('loadedmetadata', measure);
      video.removeEventListener('resize', measure);
    };
  }, [masks.length]);
  if (masks.length === 0) return null;
  // Liftable ones first: a permanent mask overlapping a liftable one stays solid.
  const ordered = masks.filter((m) => !(lift && m.kind === 'liftable')).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'liftable' ? -1 : 1));
  const box: CSSProperties = rect ? { position: 'absolute', left: rect.left, top: rect.top, width: rect.width, height: rect.height, overflow: 'hidden' } : { display: 'none' };
  return (
    <div ref={holder} data-testid={testId} data-masks={masks.length} data-lifted={String(lift !== null)} style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
      <div style={box}>
        {ordered.map((m, i) =>
          m.kind === 'permanent' ? (
            <SolidMask key={i} mask={m} />
          ) : (
            <LiftableBlur key={i} mask={m} video={video} />
          ),
        )}
      </div>
      <MaskLiftControl cameraId={cameraId} hasLiftable={hasLiftable} />
    </div>
  );
}
