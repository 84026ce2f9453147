// Manual redaction boxes for one camera at a time (docs/design/exports.md "Production"; JON 19). The picture is not shown
// here (that would be a playback of its own, with a reason): the user draws on a neutral 16:9
// frame at a chosen moment of the range, and again at a few more moments as the person moves; the
// box follows in a straight line between those key times (redaction-model.ts). From a key, the
// engine can follow the region through the footage (exports.trackBox: it decodes, the answer is
// numbers): the proposed path is shown on the timeline and previewed on the frame, and added only
// when the operator accepts it (TrackedPathPanel.tsx).
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Paper, Select, Slider, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TRACK_MAX_SPAN_MS } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../kit/use-action';
import { formatDateTimeSeconds, formatRange, formatTimeOfDay } from '../kit/format-time';
import { MAX_REDACTIONS } from './exports-model';
import { MAX_LABEL, acceptTrackedPath, boxProblem, keyframeNear, newBox, rectAt, rectFromCorners, removeKeyframe, setKeyframe, type BoxDraft, type Rect } from './redaction-model';
import { ProposalTicks, TrackedPathPanel, type Proposal } from './TrackedPathPanel';

/** A tracked path shorter than this is not worth asking for. */
const MIN_TRACK_MS = 500;
/** The preview plays the proposed path in at most this long. */
const PREVIEW_MS = 4000;
const PREVIEW_TICK_MS = 50;

export interface RedactionItem {
  cameraId: number;
  cameraName: string;
  fromMs: number;
  toMs: number;
}

const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

export function RedactionEditor({ exportId, items, boxes, onChange }: { exportId: number; items: readonly RedactionItem[]; boxes: BoxDraft[]; onChange: (boxes: BoxDraft[]) => void }) {
  const { t } = useTranslation();
  const [itemIndex, setItemIndex] = useState(0);
  const item = items[itemIndex] ?? items[0];
  const [atMs, setAtMs] = useState(() => item?.fromMs ?? 0);
  const [selectedKey, setSelectedKey] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const tracking = useAction();
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [preview, setPreview] = useState<{ fromMs: number; toMs: number } | null>(null);
  useEffect(() => {
    if (!preview) return;
    const started = performance.now();
    const lengthMs = Math.min(PREVIEW_MS, preview.toMs - preview.fromMs);
    const timer = setInterval(() => {
      const f = Math.min(1, (performance.now() - started) / Math.max(1, lengthMs));
      setAtMs(Math.round(preview.fromMs + f * (preview.toMs - preview.fromMs)));
      if (f >= 1) setPreview(null);
    }, PREVIEW_TICK_MS);
    return () => clearInterval(timer);
  }, [preview]);
  if (!item) return null;

  const span = Math.max(1, item.toMs - item.fromMs);
  /** A key "at" the current time: within half a percent of the range (the slider's grain). */
  const tolerance = Math.max(500, span / 200);
  const cameraBoxes = boxes.filter((b) => b.cameraId === item.cameraId);
  const selected = cameraBoxes.find((b) => b.key === selectedKey) ?? null;

  const chooseItem = (index: number) => {
    setProposal(null);
    setItemIndex(index);
    setAtMs(items[index]?.fromMs ?? 0);
    setSelectedKey(null);
  };

  const point = (e: PointerEvent) => {
    const r = frame.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height };
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = point(e);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  };
  const onMove = (e: PointerEvent) => {
    if (!drag) return;
    const p = point(e);
    setDrag({ ...drag, x1: p.x, y1: p.y });
  };
  const onUp = () => {
    if (!drag) return;
    const rect = rectFromCorners(drag.x0, drag.y0, drag.x1, drag.y1);
    setDrag(null);
    // A click without a drag is not a box.
    if (Math.abs(drag.x1 - drag.x0) < 0.01 || Math.abs(drag.y1 - drag.y0) < 0.01) return;
    place(rect);
  };

  /** The selected box moves to the drawn place at this moment; with none selected, a new box starts. */
  const place = (rect: Rect) => {
    if (selected) {
      onChange(boxes.map((b) => (b.key === selected.key ? { ...b, keyframes: setKeyframe(b.keyframes, atMs, rect, tolerance) } : b)));
      return;
    }
    if (boxes.length >= MAX_REDACTIONS) return;
    const box = newBox(item.cameraId, t('exports.redact.defaultLabel', { n: cameraBoxes.length + 1 }), atMs, rect);
    onChange([...boxes, box]);
    setSelectedKey(box.key);
  };

  const update = (key: number, patch: Partial<BoxDraft>) => onChange(boxes.map((b) => (b.key === key ? { ...b, ...patch } : b)));
  const remove = (key: number) => {
    if (proposal?.boxKey === key) setProposal(null);
    onChange(boxes.filter((b) => b.key !== key));
    if (selectedKey === key) setSelectedKey(null);
  };

  const marks = (selected?.keyframes ?? []).map((k) => ({ value: k.atMs }));

  // Tracking starts at the selected box's key shown now and runs to its next key (or up to the contract's span).
  const startKey = selected ? keyframeNear(selected.keyframes, atMs, tolerance) : null;
  const nextKey = startKey && selected ? selected.keyframes.find((k) => k.atMs > startKey.atMs) : undefined;
  const trackToMs = startKey ? Math.min(nextKey?.atMs ?? item.toMs, item.toMs, startKey.atMs + TRACK_MAX_SPAN_MS) : 0;
  const canTrack = startKey !== null && trackToMs - startKey.atMs >= MIN_TRACK_MS && !tracking.busy;
  const shown = proposal && selected?.key === proposal.boxKey ? proposal : null;
  const track = async () => {
    if (!selected || !startKey) return;
    setProposal(null);
    const { atMs: fromAtMs, x, y, w, h } = startKey;
    const path = await tracking.run('exports.trackBox', { exportId, cameraId: item.cameraId, from: { atMs: fromAtMs, x, y, w, h }, toMs: trackToMs });
    if (path) setProposal({ boxKey: selected.key, fromAtMs, path });
  };
  const accept = () => {
    if (!shown) return;
    onChange(boxes.map((b) => (b.key === shown.boxKey ? { ...b, keyframes: acceptTrackedPath(b.keyframes, shown.fromAtMs, shown.path.keyframes) } : b)));
    setProposal(null);
  };
  const proposedRect = (() => {
    const last = shown?.path.keyframes.at(-1);
    if (!shown || !selected || !last || atMs < shown.fromAtMs || atMs > last.atMs) return null;
    const start = selected.keyframes.find((k) => k.atMs === shown.fromAtMs);
    return rectAt(start ? [start, ...shown.path.keyframes] : shown.path.keyframes, atMs);
  })();
  const drawing = drag ? rectFromCorners(drag.x0, drag.y0, drag.x1, drag.y1) : null;

  return (
    <Stack gap={6} data-testid="redaction-editor">
      <Group justify="space-between" align="flex-end">
        {items.length > 1 ? (
          <Select
            data-testid="redaction-item"
            label={t('exports.redact.camera')}
            size="xs"
            w={360}
            value={String(itemIndex)}
            onChange={(v) => v !== null && chooseItem(Number(v))}
            allowDeselect={false}
            data={items.map((i, index) => ({ value: String(index), label: `${i.cameraName} · ${formatRange(i.fromMs, i.toMs)}` }))}
            comboboxProps={{ withinPortal: true }}
          />
        ) : (
          <Text size="sm" fw={600}>
            {item.cameraName} · {formatRange(item.fromMs, item.toMs)}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {selected ? t('exports.redact.hintSelected', { label: selected.label }) : t('exports.redact.hintNew')}
        </Text>
      </Group>
      <Box
        ref={frame}
        data-testid="redaction-canvas"
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        style={{
          position: 'relative',
          aspectRatio: '16 / 9',
          width: '100%',
          cursor: 'crosshair',
          userSelect: 'none',
          touchAction: 'none',
          border: '1px solid var(--mantine-color-dark-4)',
          background:
            'repeating-linear-gradient(0deg, transparent 0 calc(25% - 1px), #ffffff10 calc(25% - 1px) 25%), repeating-linear-gradient(90deg, transparent 0 calc(12.5% - 1px), #ffffff10 calc(12.5% - 1px) 12.5%), #15171c',
        }}
      >
        <Text size="xs" c="dimmed" style={{ position: 'absolute', left: 8, bottom: 6, pointerEvents: 'none' }}>
          {t('exports.redact.noPicture')}
        </Text>
        <Text size="xs" ff="monospace" c="gray.4" style={{ position: 'absolute', right: 8, top: 6, pointerEvents: 'none' }} data-testid="redaction-time-label">
          {formatDateTimeSeconds(atMs)}
        </Text>
        {cameraBoxes.map((b) => {
          const r = rectAt(b.keyframes, atMs);
          if (!r) return null;
          const isKey = keyframeNear(b.keyframes, atMs, tolerance) !== null;
          const isSelected = b.key === selectedKey;
          return (
            <Box
              key={b.key}
              data-testid="redaction-box"
              data-box-key={b.key}
              data-at-key={String(isKey)}
              onPointerDown={(e) => {
                // Selecting a box does not start a new one.
                e.stopPropagation();
                setSelectedKey(isSelected ? null : b.key);
              }}
              style={{
                position: 'absolute',
                left: pct(r.x),
                top: pct(r.y),
                width: pct(r.w),
                height: pct(r.h),
                background: '#000c',
                border: `2px ${isKey ? 'solid' : 'dashed'} ${isSelected ? 'var(--mantine-color-yellow-5)' : 'var(--mantine-color-gray-5)'}`,
                cursor: 'pointer',
              }}
            >
              <Text size="10px" c={isSelected ? 'yellow.4' : 'gray.3'} px={3} truncate="end">
                {b.label}
              </Text>
            </Box>
          );
        })}
        {proposedRect && (
          <Box
            data-testid="redaction-proposal-box"
            style={{ position: 'absolute', left: pct(proposedRect.x), top: pct(proposedRect.y), width: pct(proposedRect.w), height: pct(proposedRect.h), border: '2px dashed var(--mantine-color-cyan-4)', pointerEvents: 'none' }}
          />
        )}
        {drawing && (
          <Box
            style={{ position: 'absolute', left: pct(drawing.x), top: pct(drawing.y), width: pct(drawing.w), height: pct(drawing.h), border: '2px dashed var(--mantine-color-yellow-5)', pointerEvents: 'none' }}
          />
        )}
      </Box>
      <Box px={6}>
        <Slider
          data-testid="redaction-time"
          aria-label={t('exports.redact.time')}
          min={item.fromMs}
          max={item.toMs}
          step={Math.max(100, Math.round(span / 1000))}
          value={Math.min(item.toMs, Math.max(item.fromMs, atMs))}
          onChange={setAtMs}
          marks={marks}
          label={(v) => formatTimeOfDay(v)}
          color="yellow"
        />
      </Box>
      {shown && <ProposalTicks proposal={shown} fromMs={item.fromMs} toMs={item.toMs} />}
      <Group gap={4}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <Button key={f} size="compact-xs" variant="default" data-testid={`redaction-jump-${f * 100}`} onClick={() => setAtMs(Math.round(item.fromMs + f * span))}>
            {Math.round(f * 100)} %
          </Button>
        ))}
        {selected && (
          <Button
            size="compact-xs"
            variant="light"
            color="cyan"
            ml="auto"
            onClick={() => void track()}
            loading={tracking.busy}
            disabled={!canTrack}
            title={startKey ? undefined : t('exports.track.needKey')}
            data-testid="redaction-track"
          >
            {t('exports.track.button', { time: formatTimeOfDay(trackToMs || atMs) })}
          </Button>
        )}
        {selected && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setSelectedKey(null)} data-testid="redaction-new">
            + {t('exports.redact.newBox')}
          </Button>
        )}
      </Group>
      {tracking.error && <ErrorAlert error={tracking.error} testId="redaction-track-error" />}
      {shown && (
        <TrackedPathPanel
          proposal={shown}
          previewing={preview !== null}
          onAccept={accept}
          onDiscard={() => setProposal(null)}
          onPreview={() => setPreview({ fromMs: shown.fromAtMs, toMs: shown.path.keyframes.at(-1)?.atMs ?? shown.fromAtMs })}
        />
      )}
      <Stack gap={4} data-testid="redaction-boxes">
        {cameraBoxes.length === 0 && (
          <Text size="xs" c="dimmed" data-testid="redaction-none">
            {t('exports.redact.none')}
          </Text>
        )}
        {cameraBoxes.map((b) => (
          <Paper
            key={b.key}
            withBorder
            p={6}
            bg={b.key === selectedKey ? 'dark.5' : 'dark.7'}
            data-testid="redaction-box-row"
            data-box-key={b.key}
            onClick={() => setSelectedKey(b.key)}
            style={{ cursor: 'pointer' }}
          >
            <Group gap="xs" wrap="nowrap">
              <TextInput
                size="xs"
                data-testid="redaction-box-label"
                aria-label={t('exports.redact.label')}
                value={b.label}
                onChange={(e) => update(b.key, { label: e.currentTarget.value })}
                error={boxProblem(b) === 'label'}
                maxLength={MAX_LABEL}
                w={200}
              />
              <Group gap={4} style={{ flex: 1 }}>
                {b.keyframes.map((k) => (
                  <Badge
                    key={k.atMs}
                    size="sm"
                    variant={Math.abs(k.atMs - atMs) <= tolerance ? 'filled' : 'light'}
                    color="yellow"
                    tt="none"
                    data-testid="redaction-key"
                    style={{ cursor: 'pointer' }}
                    onClick={(e) => {
                      e.stopPropagation();
                      setSelectedKey(b.key);
                      setAtMs(k.atMs);
                    }}
                    rightSection={
                      b.keyframes.length > 1 ? (
                        <ActionIcon
                          size={14}
                          variant="transparent"
                          color="dark"
                          aria-label={t('exports.redact.removeKey')}
                          data-testid="redaction-key-remove"
                          onClick={(e) => {
                            e.stopPropagation();
                            update(b.key, { keyframes: removeKeyframe(b.keyframes, k.atMs) });
                          }}
                        >
                          ✕
                        </ActionIcon>
                      ) : undefined
                    }
                  >
                    {formatTimeOfDay(k.atMs)}
                  </Badge>
                ))}
              </Group>
              <Button
                size="compact-xs"
                color="red"
                variant="subtle"
                data-testid="redaction-box-delete"
                onClick={(e) => {
                  e.stopPropagation();
                  remove(b.key);
                }}
              >
                {t('exports.redact.delete')}
              </Button>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
