// The picture the administrator draws masks on (docs/design/privacy-masks.md): the camera's still, or
// a neutral grey frame when it sends none, with every mask drawn over it in the picture's own
// proportions. Corners are fractions of the picture (mask-model.ts). Permanent masks: solid dark
// fill; liftable ones: hatched and see-through, so the two kinds are told apart at a glance.
import { useRef, useState, type MouseEvent, type PointerEvent } from 'react';
import { Box, Text } from '@mantine/core';
import type { MaskPoint } from '../../shared/privacy-masks';
import { closesOutline, cornerAt, labelPoint, withCornerMoved, type MaskDraft } from './mask-model';

/** How near the first corner (on screen) a click closes the outline. */
const CLOSE_RADIUS_PX = 10;

export interface MaskCanvasProps {
  /** The picture's size in pixels (the grey frame: 16:9). */
  width: number;
  height: number;
  /** A data: URL of the still, or null for the grey frame. */
  src: string | null;
  /** Written on the grey frame. */
  greyText: string;
  masks: readonly MaskDraft[];
  selectedKey: number | null;
  /** The outline being drawn, or null. */
  drawing: readonly MaskPoint[] | null;
  /** Corners can be placed (false: the camera has as many masks as it may). */
  canDraw: boolean;
  maxCorners: number;
  onSelect: (key: number | null) => void;
  onDrawing: (points: MaskPoint[] | null) => void;
  onClose: () => void;
  onMoveCorner: (key: number, points: MaskPoint[]) => void;
}

export function MaskCanvas(p: MaskCanvasProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [cursor, setCursor] = useState<MaskPoint | null>(null);
  const [drag, setDrag] = useState<{ key: number; index: number } | null>(null);
  const { width: w, height: h } = p;
  // Sizes in the picture's pixels that look the same whatever the still's resolution.
  const unit = w / 640;

  const at = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, widthPx: r.width, heightPx: r.height };
  };

  const onBackgroundClick = (e: MouseEvent) => {
    if (e.button !== 0) return;
    const c = at(e);
    if (p.drawing) {
      if (closesOutline(p.drawing, c.x, c.y, c.widthPx, c.heightPx, CLOSE_RADIUS_PX)) p.onClose();
      else if (p.drawing.length < p.maxCorners) p.onDrawing([...p.drawing, cornerAt(c.x, c.y)]);
      return;
    }
    if (p.selectedKey !== null) p.onSelect(null);
    if (!p.canDraw) return;
    setCursor(null);
    p.onDrawing([cornerAt(c.x, c.y)]);
  };

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const c = at(e);
    if (drag) {
      const mask = p.masks.find((m) => m.key === drag.key);
      if (mask) p.onMoveCorner(drag.key, withCornerMoved(mask.points, drag.index, cornerAt(c.x, c.y)));
      return;
    }
    if (p.drawing) setCursor(cornerAt(c.x, c.y));
  };

  const poly = (points: readonly MaskPoint[]) => points.map(([x, y]) => `${x * w},${y * h}`).join(' ');
  const stroke = 2;

  return (
    <Box
      data-testid="masks-canvas"
      data-picture={p.src ? 'still' : 'grey'}
      style={{
        position: 'relative',
        width: '100%',
        // The whole picture stays on a 768 px high screen with the lines under it.
        maxWidth: `calc((100vh - 300px) * ${w / h})`,
        aspectRatio: `${w} / ${h}`,
        background: '#7a7d82',
        border: '1px solid var(--mantine-color-dark-4)',
        userSelect: 'none',
      }}
    >
      {p.src ? (
        <img data-testid="masks-still" src={p.src} alt="" draggable={false} style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', display: 'block' }} />
      ) : (
        <Text size="sm" c="dark.6" fw={600} style={{ position: 'absolute', left: 10, bottom: 8, pointerEvents: 'none' }} data-testid="masks-grey">
          {p.greyText}
        </Text>
      )}
      <svg
        ref={svg}
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="none"
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', cursor: drag ? 'grabbing' : p.drawing || p.canDraw ? 'crosshair' : 'default', touchAction: 'none' }}
        onPointerMove={onMove}
        onPointerUp={() => setDrag(null)}
        onPointerLeave={() => setCursor(null)}
      >
        <defs>
          <pattern id="mask-hatch" patternUnits="userSpaceOnUse" width={8 * unit} height={8 * unit} patternTransform="rotate(45)">
            <rect width={8 * unit} height={8 * unit} fill="rgba(20, 22, 26, 0.35)" />
            <rect width={3 * unit} height={8 * unit} fill="rgba(250, 176, 5, 0.55)" />
          </pattern>
        </defs>
        <rect data-testid="masks-surface" x={0} y={0} width={w} height={h} fill="transparent" onClick={onBackgroundClick} />
        {p.masks.map((m, i) => {
          const selected = m.key === p.selectedKey;
          const [cx, cy] = labelPoint(m.points);
          return (
            <g key={m.key} data-testid="masks-shape" data-kind={m.kind} data-selected={String(selected)} style={{ pointerEvents: p.drawing ? 'none' : 'auto' }}>
              <polygon
                points={poly(m.points)}
                // Solid, but a selected one lets a little of the picture through, to place its corners.
                fill={m.kind === 'permanent' ? (selected ? 'rgba(8, 9, 11, 0.85)' : '#08090b') : 'url(#mask-hatch)'}
                stroke={selected ? 'var(--mantine-color-yellow-4)' : m.kind === 'permanent' ? '#e9ecef' : 'var(--mantine-color-yellow-6)'}
                strokeWidth={selected ? stroke + 1 : stroke}
                strokeDasharray={m.kind === 'liftable' ? '6 4' : undefined}
                vectorEffect="non-scaling-stroke"
                strokeLinejoin="round"
                style={{ cursor: 'pointer' }}
                onClick={(e) => {
                  e.stopPropagation();
                  p.onSelect(selected ? null : m.key);
                }}
              />
              <text x={cx * w} y={cy * h} fill={selected ? '#ffd43b' : '#f1f3f5'} fontSize={16 * unit} fontWeight={700} textAnchor="middle" dominantBaseline="central" style={{ pointerEvents: 'none' }} stroke="#000" strokeWidth={0.6 * unit}>
                {i + 1}
              </text>
              {selected &&
                m.points.map(([x, y], index) => (
                  <circle
                    key={index}
                    data-testid="masks-corner"
                    cx={x * w}
                    cy={y * h}
                    r={5 * unit}
                    fill="#ffd43b"
                    stroke="#000"
                    strokeWidth={1}
                    vectorEffect="non-scaling-stroke"
                    style={{ cursor: 'grab' }}
                    onClick={(e) => e.stopPropagation()}
                    onPointerDown={(e) => {
                      e.stopPropagation();
                      svg.current?.setPointerCapture(e.pointerId);
                      setDrag({ key: m.key, index });
                    }}
                  />
                ))}
            </g>
          );
        })}
        {p.drawing && (
          <g data-testid="masks-drawing" data-corners={p.drawing.length} style={{ pointerEvents: 'none' }}>
            <polyline points={poly(cursor ? [...p.drawing, cursor] : p.drawing)} fill="rgba(255, 212, 59, 0.15)" stroke="#ffd43b" strokeWidth={2} strokeDasharray="5 4" vectorEffect="non-scaling-stroke" />
            {p.drawing.map(([x, y], index) => (
              <circle key={index} cx={x * w} cy={y * h} r={(index === 0 ? 7 : 4) * unit} fill={index === 0 ? 'none' : '#ffd43b'} stroke="#ffd43b" strokeWidth={2} vectorEffect="non-scaling-stroke" />
            ))}
          </g>
        )}
      </svg>
    </Box>
  );
}
