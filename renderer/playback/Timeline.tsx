// The playback timeline: one row per camera with its recorded spans (green) and gaps (hatched),
// incidents (orange marks) and legal holds (violet bands) on top, the range the playback session
// opened (outside it is dimmed: it needs a new reason), and the playhead. Click or drag to seek;
// the wheel zooms around the pointer (a week down to seconds); shift+wheel pans.
import { useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import { Box } from '@mantine/core';
import { formatTick } from '../kit/format-time';
import { gapsOf, tickStep, ticks, type Range } from './playback-model';

export interface TimelineRow {
  cameraId: number;
  name: string;
  spans: readonly Range[];
}

export interface TimelineIncident {
  id: number;
  number: string;
  startMs: number;
  endMs: number | null;
  cameraIds: readonly number[];
}

export interface TimelineHold {
  id: number;
  caseReference: string;
  items: readonly { cameraId: number; fromMs: number; toMs: number }[];
}

const LABEL_W = 120;
/**
 * Row geometry: each band tall enough to see and to hit with a mouse on a busy desk (footage 20 px,
 * a hold 6 px, an incident's range 5 px and its mark 10 px), in a row of 38 px.
 */
const ROW_H = 38;
const HOLD = { top: 1, h: 6 };
const SPAN = { top: 9, h: 20 };
const INCIDENT = { top: 31, h: 5, mark: 10 };
const AXIS_H = 20;

export function Timeline({
  view,
  width,
  rows,
  incidents,
  holds,
  grant,
  playheadMs,
  onSeek,
  onZoom,
  onPan,
}: {
  view: Range;
  width: number;
  rows: readonly TimelineRow[];
  incidents: readonly TimelineIncident[];
  holds: readonly TimelineHold[];
  grant: Range | null;
  playheadMs: number | null;
  onSeek: (ms: number) => void;
  onZoom: (atMs: number, factor: number) => void;
  onPan: (share: number) => void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [dragMs, setDragMs] = useState<number | null>(null);
  const trackW = Math.max(50, width - LABEL_W);
  const span = view.toMs - view.fromMs;
  const x = (ms: number) => LABEL_W + ((ms - view.fromMs) / span) * trackW;
  const clampX = (ms: number) => Math.min(LABEL_W + trackW, Math.max(LABEL_W, x(ms)));
  const height = AXIS_H + rows.length * ROW_H + 4;
  const step = tickStep(span, Math.max(3, Math.floor(trackW / 110)));

  const msAt = (clientX: number): number => {
    const rect = svgRef.current?.getBoundingClientRect();
    if (!rect) return view.fromMs;
    const px = Math.min(trackW, Math.max(0, clientX - rect.left - LABEL_W));
    return Math.round(view.fromMs + (px / trackW) * span);
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragMs(msAt(e.clientX));
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (dragMs !== null) setDragMs(msAt(e.clientX));
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    if (dragMs === null) return;
    const ms = msAt(e.clientX);
    setDragMs(null);
    onSeek(ms);
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) onPan((e.deltaX || e.deltaY) > 0 ? 0.2 : -0.2);
    else onZoom(msAt(e.clientX), e.deltaY > 0 ? 1.5 : 1 / 1.5);
  };

  const head = dragMs ?? playheadMs;
  return (
    <Box style={{ userSelect: 'none' }}>
      <svg
        ref={svgRef}
        width={width}
        height={height}
        data-testid="timeline"
        data-from={view.fromMs}
        data-to={view.toMs}
        style={{ display: 'block', cursor: 'pointer', touchAction: 'none' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onWheel={onWheel}
      >
        <defs>
          <pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#1b1f26" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#3a2f35" strokeWidth="3" />
          </pattern>
        </defs>
        <rect x={LABEL_W} y={0} width={trackW} height={height} fill="#101318" />
        {ticks(view, step).map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={AXIS_H - 4} y2={height} stroke="#262b33" />
            <text x={x(t) + 3} y={12} fill="#8a929e" fontSize={10}>
              {formatTick(t, step)}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = AXIS_H + i * ROW_H;
          const gaps = gapsOf(row.spans, view);
          return (
            <g key={row.cameraId} data-testid={`timeline-row-${row.cameraId}`} data-spans={row.spans.length} data-gaps={gaps.length}>
              <text x={6} y={y + 23} fill="#c7cbd1" fontSize={12}>
                {row.name.length > 17 ? `${row.name.slice(0, 16)}…` : row.name}
              </text>
              {gaps.map((g) => (
                <rect key={`g${g.fromMs}`} data-testid="timeline-gap" x={clampX(g.fromMs)} y={y + SPAN.top - 2} width={Math.max(1, clampX(g.toMs) - clampX(g.fromMs))} height={SPAN.h + 4} fill="url(#gap-hatch)" />
              ))}
              {row.spans.map((s) => (
                <rect key={`s${s.fromMs}`} data-testid="timeline-span" x={clampX(s.fromMs)} y={y + SPAN.top} width={Math.max(1, clampX(s.toMs) - clampX(s.fromMs))} height={SPAN.h} fill="#2f9e44" />
              ))}
              {holds.flatMap((h) =>
                h.items
                  .filter((it) => it.cameraId === row.cameraId && it.toMs > view.fromMs && it.fromMs < view.toMs)
                  .map((it) => (
                    <rect key={`h${h.id}-${it.fromMs}`} data-testid="timeline-hold" x={clampX(it.fromMs)} y={y + HOLD.top} width={Math.max(4, clampX(it.toMs) - clampX(it.fromMs))} height={HOLD.h} fill="#9775fa">
                      <title>{h.caseReference}</title>
                    </rect>
                  )),
              )}
              {incidents
                .filter((inc) => inc.cameraIds.includes(row.cameraId) && (inc.endMs ?? inc.startMs) >= view.fromMs && inc.startMs <= view.toMs)
                .map((inc) => (
                  <g key={`i${inc.id}`} data-testid="timeline-incident">
                    {inc.endMs !== null && <rect x={clampX(inc.startMs)} y={y + INCIDENT.top} width={Math.max(4, clampX(inc.endMs) - clampX(inc.startMs))} height={INCIDENT.h} fill="#fd7e14" />}
                    <path data-testid="timeline-incident-mark" d={`M ${x(inc.startMs) - INCIDENT.mark / 2} ${y + HOLD.top + HOLD.h} L ${x(inc.startMs) + INCIDENT.mark / 2} ${y + HOLD.top + HOLD.h} L ${x(inc.startMs)} ${y + HOLD.top + HOLD.h + INCIDENT.mark} Z`} fill="#fd7e14" stroke="#101318" strokeWidth={1}>
                      <title>{inc.number}</title>
                    </path>
                  </g>
                ))}
            </g>
          );
        })}
        {grant && (
          <g data-testid="timeline-grant">
            {grant.fromMs > view.fromMs && <rect x={LABEL_W} y={AXIS_H} width={Math.max(0, clampX(grant.fromMs) - LABEL_W)} height={height - AXIS_H} fill="#000" opacity={0.45} />}
            {grant.toMs < view.toMs && <rect x={clampX(grant.toMs)} y={AXIS_H} width={Math.max(0, LABEL_W + trackW - clampX(grant.toMs))} height={height - AXIS_H} fill="#000" opacity={0.45} />}
          </g>
        )}
        {head !== null && head >= view.fromMs && head <= view.toMs && (
          <g data-testid="timeline-playhead" data-ms={head}>
            <line x1={x(head)} x2={x(head)} y1={0} y2={height} stroke="#ffd43b" strokeWidth={2} />
            <path d={`M ${x(head) - 5} 0 L ${x(head) + 5} 0 L ${x(head)} 7 Z`} fill="#ffd43b" />
          </g>
        )}
      </svg>
    </Box>
  );
}
