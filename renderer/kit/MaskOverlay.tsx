// Privacy masks drawn over a picture (R7; docs/design/privacy-masks.md): permanent masks solid
// black, liftable ones strongly blurred unless this console lifted them for a while. The engine decides which masks footage is shown with (live:
// those in force now; playback: every version in force while it was recorded and the current one);
// this only draws them, exactly over the part of the element the picture fills (object-fit: contain
// leaves bars whose size depends on the picture's and the tile's shapes).
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { MaskShape } from '../../shared/privacy-masks';
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
  useEffect(() => {
    const el = holder.current;
    const video = el?.parentElement?.querySelector('video');
    if (!el || !video || masks.length === 0) return;
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
        {ordered.map((m, i) => (
          <div
            key={i}
            data-kind={m.kind}
            style={{
              position: 'absolute',
              inset: 0,
              clipPath: polygon(m),
              ...(m.kind === 'permanent'
                ? { background: '#000' }
                : { backdropFilter: 'blur(24px) saturate(0.4)', WebkitBackdropFilter: 'blur(24px) saturate(0.4)', background: 'rgba(90,90,90,0.35)' }),
            }}
          />
        ))}
      </div>
      <MaskLiftControl cameraId={cameraId} hasLiftable={hasLiftable} />
    </div>
  );
}
