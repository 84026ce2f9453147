// Reviewing recordings (docs/design/playback.md "Reason first", §3; R3): choose up to four visible cameras and a time
// range, state a reason (logged by the engine before anything plays), then watch them in sync
// against one wall clock shown large, on a timeline of coverage, gaps, incidents and holds.
// Recorded footage is framed in amber and labelled so no one takes it for live. From here a
// reviewer places a legal hold on the visible range or marks an incident over it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Box, Button, Group, MultiSelect, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue, useElementSize } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { CameraView, HoldView, IncidentSummaryView, SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { PlaceHoldModal } from '../holds/HoldDialogs';
import { newItemRow } from '../holds/hold-form-model';
import { formatRange, formatWallClock, fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { RequestExportButton } from '../exports/RequestExportButton';
import { useCommand } from '../kit/use-command';
import { CreateIncidentModal } from '../incidents/CreateIncidentModal';
import {
  HOUR,
  SPEEDS,
  ZOOMS,
  adjacentIncident,
  grantCovers,
  mergeGapFor,
  pan,
  viewAround,
  zoomAt,
  type Grant,
  type Range,
} from './playback-model';
import { isShortcut } from '../kit/keys';
import { lastWatchedCamera, takePlaybackIntent } from './look-back';
import { ReasonDialog, type PlaybackReason } from './ReasonDialog';
import { Timeline, type TimelineHold, type TimelineIncident } from './Timeline';
import { VodPlayer, type VodSnapshot } from './vod-player';
import { DateTimeInput } from '../kit/DateTimeInput';
import { MaskOverlay } from '../kit/MaskOverlay';
import type { MaskShape } from '../../shared/privacy-masks';
import type { MaskLift } from '../../shared/contract';
import { noteLift } from '../masks/lift-store';

interface OpenGrant extends Grant {
  /** masks: what each camera's footage of the range is shown with (the engine decides, R7). */
  streams: { cameraId: number; url: string; masks: MaskShape[]; lift: MaskLift | null }[];
  reason: PlaybackReason;
}

/** What is on screen: which cameras of the grant, from which instant. */
interface Showing {
  cameraIds: number[];
  startWallMs: number;
  key: number;
}

const SYNC_MS = 250;
const MAX_CAMERAS = 4;

/** Shift + an arrow jumps this far. */
const JUMP_MS = 10_000;
/** End goes this long before the end of what is recorded (the last seconds may still be written). */
const END_MARGIN_MS = 3_000;

export function PlaybackScreen({ session }: { session: SessionView }) {
  const api = useApi();
  const { t } = useTranslation();
  const can = (p: string) => session.permissions.includes(p as SessionView['permissions'][number]);
  const cameraList = useCommand('cameras.list', {}, []);
  const cameras: CameraView[] = useMemo(() => cameraList.value?.cameras ?? [], [cameraList.value]);
  // Opened from a live tile or an incident (look-back.ts): that camera and moment, the reason
  // dialog at once and prefilled; otherwise the camera last selected on the wall.
  const [intent] = useState(takePlaybackIntent);
  const [selected, setSelected] = useState<string[] | null>(() => (intent ? intent.cameraIds.map(String) : null));
  const [fromInput, setFromInput] = useState(() => toLocalDateTimeInput(intent?.fromMs ?? Date.now() - HOUR));
  const [toInput, setToInput] = useState(() => toLocalDateTimeInput(intent?.toMs ?? Date.now() + 60_000));
  const [grant, setGrant] = useState<OpenGrant | null>(null);
  const [lastReason, setLastReason] = useState<PlaybackReason | null>(null);
  const [asking, setAsking] = useState<Range | null>(() => (intent ? { fromMs: intent.fromMs, toMs: intent.toMs } : null));
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<CommandError | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [showing, setShowing] = useState<Showing | null>(null);
  const [view, setView] = useState<Range>(() => viewAround(Date.now() - HOUR / 2, HOUR, Date.now()));
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [playheadMs, setPlayheadMs] = useState<number | null>(null);
  const [snaps, setSnaps] = useState<Record<number, VodSnapshot>>({});
  const [dialog, setDialog] = useState<'hold' | 'incident' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const players = useRef(new Map<number, VodPlayer>());
  const videos = useRef(new Map<number, HTMLVideoElement>());
  const clockDate = useRef<HTMLSpanElement>(null);
  const clockTime = useRef<HTMLSpanElement>(null);
  const grantRef = useRef<OpenGrant | null>(null);
  /** The present, for event handlers (kept by the sync timer; render stays pure). */
  const nowRef = useRef(0);
  const { ref: timelineBox, width: timelineWidth } = useElementSize();

  // Until the user chooses: the camera last selected on the wall when it is here, else the first.
  const chosen = useMemo(() => {
    if (selected) return selected;
    const watched = lastWatchedCamera();
    const first = cameras.find((c) => c.id === watched) ?? cameras[0];
    return first ? [String(first.id)] : [];
  }, [selected, cameras]);
  const selectedIds = useMemo(() => chosen.map(Number), [chosen]);
  const cameraName = useCallback((id: number) => cameras.find((c) => c.id === id)?.name ?? `#${id}`, [cameras]);

  // The session ends with the screen: players first (no request after the token is gone), then the grant.
  useEffect(
    () => () => {
      for (const p of players.current.values()) p.destroy();
      players.current.clear();
      const g = grantRef.current;
      // After sign-out the engine has already dropped it (and a call would be refused and audited).
      if (g && !api.sessionEnded) void api.call('playback.close', { playbackId: g.playbackId });
    },
    [api],
  );

  // Coverage for the timeline: only times, fetched for the visible window at about a pixel's resolution.
  const [coverageView] = useDebouncedValue(view, 150);
  const coverageAnswer = useCommand(
    'playback.coverage',
    selectedIds.length > 0 && timelineWidth > 0 ? { cameraIds: selectedIds, fromMs: coverageView.fromMs, toMs: coverageView.toMs, mergeGapMs: mergeGapFor(coverageView, timelineWidth - 120) } : null,
    [selectedIds, coverageView, timelineWidth],
  );
  const coverage = new Map<number, Range[]>((coverageAnswer.value?.cameras ?? []).map((c) => [c.cameraId, c.spans]));

  // Incidents and holds on the timeline: fetched when the cameras or the opened range change (each
  // list is a read of records, audited by the engine, so not on every pan).
  const grantId = grant?.playbackId ?? null;
  const grantFrom = grant?.fromMs ?? null;
  const grantTo = grant?.toMs ?? null;
  const opened = selectedIds.length > 0 && grantFrom !== null && grantTo !== null;
  const incidentList = useCommand(
    'incidents.list',
    opened && can('incidents.read') ? { cameraIds: selectedIds, fromMs: grantFrom, toMs: grantTo, limit: 500 } : null,
    [selectedIds, grantId, grantFrom, grantTo],
  );
  const holdList = useCommand('holds.list', opened && can('holds.read') ? { status: 'active' } : null, [selectedIds, grantId]);
  const incidents: IncidentSummaryView[] = incidentList.value?.incidents ?? [];
  const holds: HoldView[] = holdList.value?.holds ?? [];
  /** After a hold or an incident was made here: the timeline shows it. */
  const refresh = () => {
    coverageAnswer.reload();
    incidentList.reload();
    holdList.reload();
  };

  const range = (): Range | null => {
    const fromMs = fromLocalDateTimeInput(fromInput);
    const toMs = fromLocalDateTimeInput(toInput);
    return fromMs !== null && toMs !== null && toMs > fromMs ? { fromMs, toMs } : null;
  };

  /** Open the selection: at once when the open session covers it, else ask for a reason first. */
  const requestOpen = (r: Range | null = range(), ids: number[] = selectedIds) => {
    setError(null);
    if (!r || ids.length === 0) return setError({ kind: 'InvalidArgument', message: 'range', issues: ['fromMs: range'] });
    if (grant && grantCovers(grant, ids, r, nowRef.current)) {
      show(ids, r.fromMs);
      return;
    }
    setOpenError(null);
    setAsking(r);
  };

  const show = (ids: number[], startWallMs: number) => {
    setShowing((s) => ({ cameraIds: ids, startWallMs, key: (s?.key ?? 0) + 1 }));
    setSnaps({});
    setPlaying(true);
    setNotice(null);
  };

  const submitReason = async (reason: PlaybackReason) => {
    if (!asking) return;
    performance.mark('playback:reason-submitted');
    setOpening(true);
    const r = await api.call('playback.open', { cameraIds: selectedIds, fromMs: asking.fromMs, toMs: asking.toMs, reason });
    setOpening(false);
    if (!r.ok) return setOpenError(r.error);
    const old = grantRef.current;
    const next: OpenGrant = { playbackId: r.value.playbackId, expiresAtMs: r.value.expiresAtMs, cameraIds: selectedIds, fromMs: asking.fromMs, toMs: asking.toMs, streams: r.value.streams, reason };
    for (const st of r.value.streams) noteLift(st.cameraId, st.lift);
    grantRef.current = next;
    setGrant(next);
    setLastReason(reason);
    const start = asking.fromMs;
    setAsking(null);
    setView(viewAround(start + (asking.toMs - asking.fromMs) / 2, Math.max(10_000, asking.toMs - asking.fromMs) * 1.1, Date.now()));
    show(selectedIds, start);
    // The old session closes after its players are gone (the effect below replaces them).
    if (old) setTimeout(() => void api.call('playback.close', { playbackId: old.playbackId }), 0);
  };

  // Players: one per shown camera, rebuilt when what is shown changes.
  useEffect(() => {
    const current = players.current;
    for (const p of current.values()) p.destroy();
    current.clear();
    if (!showing || !grant) return;
    let first = true;
    const unsubs: (() => void)[] = [];
    for (const id of showing.cameraIds) {
      const url = grant.streams.find((s) => s.cameraId === id)?.url;
      const video = videos.current.get(id);
      if (!url || !video) continue;
      const p = new VodPlayer(video, url, showing.startWallMs);
      p.setRate(speed);
      current.set(id, p);
      unsubs.push(p.subscribe(() => setSnaps((s) => ({ ...s, [id]: p.get() }))));
      if (first) {
        first = false;
        void p.nextFrame().then(() => performance.mark('playback:first-frame'));
      }
      p.play();
    }
    return () => unsubs.forEach((u) => u());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt only for a new selection or session
  }, [showing?.key, grant?.playbackId]);

  // One clock for all: the first camera leads; the others follow it when they drift.
  useEffect(() => {
    nowRef.current = Date.now();
    const timer = setInterval(() => {
      nowRef.current = Date.now();
      const list = [...players.current.values()];
      const lead = list[0];
      const at = lead?.wallMs() ?? null;
      if (at !== null) {
        const { date, time } = formatWallClock(at);
        if (clockDate.current) clockDate.current.textContent = date;
        if (clockTime.current) clockTime.current.textContent = time;
        setPlayheadMs(at);
        for (const p of list.slice(1)) {
          const w = p.wallMs();
          if (w === null || Math.abs(w - at) > 400 * Math.max(1, speed)) p.seekWall(at);
          if (lead!.playing && !p.playing) p.play();
          if (!lead!.playing && p.playing) p.pause();
        }
        // Keep the playhead in view while playing.
        setView((v) => (at > v.toMs || at < v.fromMs ? viewAround(at + (v.toMs - v.fromMs) * 0.3, v.toMs - v.fromMs, Math.max(Date.now(), at)) : v));
      }
    }, SYNC_MS);
    return () => clearInterval(timer);
  }, [speed]);

  const seek = (ms: number) => {
    if (!grant || ms < grant.fromMs || ms > grant.toMs) {
      // Outside the opened range: the same span around that instant, with a new reason.
      const span = grant ? grant.toMs - grant.fromMs : HOUR;
      const r = { fromMs: Math.round(ms - span / 2), toMs: Math.round(Math.min(Date.now() + 60_000, ms + span / 2)) };
      setFromInput(toLocalDateTimeInput(r.fromMs));
      setToInput(toLocalDateTimeInput(r.toMs + 60_000));
      requestOpen({ fromMs: Math.floor(r.fromMs / 60_000) * 60_000, toMs: Math.ceil(r.toMs / 60_000) * 60_000 });
      return;
    }
    performance.mark('playback:seek');
    const list = [...players.current.values()];
    let gap = false;
    for (const p of list) gap = p.seekWall(ms).inGap || gap;
    setNotice(gap ? t('playback.gapSkipped') : null);
    void list[0]?.nextFrame().then(() => performance.mark('playback:seek-frame'));
    setPlayheadMs(ms);
  };

  const togglePlay = () => {
    const next = !playing;
    setPlaying(next);
    for (const p of players.current.values()) {
      if (next) p.play();
      else p.pause();
    }
  };

  const changeSpeed = (value: string) => {
    const s = Number(value);
    setSpeed(s);
    for (const p of players.current.values()) p.setRate(s);
  };

  const step = (dir: 1 | -1) => {
    setPlaying(false);
    for (const p of players.current.values()) p.step(dir);
  };

  const jumpIncident = (dir: 1 | -1) => {
    const at = playheadMs ?? view.fromMs;
    const next = adjacentIncident(incidents, at, dir);
    if (next) seek(next.startMs);
  };

  // Keys (the shortcut sheet, ?, lists them): Space plays or pauses; the arrows step one frame,
  // with Shift 10 s; + and - change the speed; Home and End go to the start and the end of the
  // opened footage.
  const keyAction = (e: globalThis.KeyboardEvent): boolean => {
    if (!showing || !grant) return false;
    const at = playheadMs ?? grant.fromMs;
    const faster = (dir: 1 | -1) => {
      const i = SPEEDS.indexOf(speed as (typeof SPEEDS)[number]);
      const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.indexOf(1) : i) + dir))]!;
      changeSpeed(String(next));
    };
    switch (e.key) {
      case ' ':
        togglePlay();
        return true;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const dir = e.key === 'ArrowLeft' ? -1 : 1;
        if (e.shiftKey) seek(Math.min(grant.toMs, Math.max(grant.fromMs, at + dir * JUMP_MS)));
        else step(dir);
        return true;
      }
      case '+':
      case '=':
        faster(1);
        return true;
      case '-':
        faster(-1);
        return true;
      case 'Home':
        seek(grant.fromMs);
        return true;
      case 'End':
        seek(Math.min(grant.toMs, Date.now()) - END_MARGIN_MS);
        return true;
      default:
        return false;
    }
  };
  // Registered again after each render, so the keys act on what is on screen now; in the capture
  // phase, before a focused control (the speed switch, a button) takes the arrows or Space.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (isShortcut(e) && keyAction(e)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  /** The range a hold or an incident from here covers: the visible part of the opened footage. */
  const visibleRange = (): Range | null => {
    if (!grant) return null;
    const fromMs = Math.max(view.fromMs, grant.fromMs);
    // The view never reaches past the present (viewAround, pan and zoomAt clamp it).
    const toMs = Math.min(view.toMs, grant.toMs);
    return toMs > fromMs ? { fromMs, toMs } : { fromMs: grant.fromMs, toMs: grant.toMs };
  };

  const timelineIncidents: TimelineIncident[] = incidents.map((i) => ({ id: i.id, number: i.number, startMs: i.startMs, endMs: i.endMs, cameraIds: i.cameras.map((c) => c.cameraId) }));
  const timelineHolds: TimelineHold[] = holds.map((h) => ({ id: h.id, caseReference: h.caseReference, items: h.items }));
  const shownIds = showing?.cameraIds ?? [];
  const grid = shownIds.length <= 1 ? 1 : 2;
  const vis = visibleRange();
  const cameraOptions = cameras.map((c) => ({ value: String(c.id), label: `${c.name} · ${c.site}` }));

  return (
    <Stack gap="xs" h="100%" data-testid="playback-screen">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <MultiSelect
          data-testid="playback-cameras"
          label={t('playback.cameras')}
          data={cameraOptions}
          value={chosen}
          onChange={(v) => setSelected(v.slice(0, MAX_CAMERAS))}
          maxValues={MAX_CAMERAS}
          w={360}
          searchable
        />
        <DateTimeInput kind="datetime" testId="playback-from" label={t('playback.from')} value={fromInput} onChange={setFromInput} w={180} />
        <DateTimeInput kind="datetime" testId="playback-to" label={t('playback.to')} value={toInput} onChange={setToInput} w={180} />
        <Button
          variant="default"
          onClick={() => {
            const now = Date.now();
            setFromInput(toLocalDateTimeInput(now - HOUR));
            setToInput(toLocalDateTimeInput(now + 60_000));
          }}
        >
          {t('playback.lastHour')}
        </Button>
        <Button
          variant="default"
          onClick={() => {
            const now = Date.now();
            setFromInput(toLocalDateTimeInput(now - 24 * HOUR));
            setToInput(toLocalDateTimeInput(now + 60_000));
          }}
        >
          {t('playback.last24h')}
        </Button>
        {/* Nothing to open before a camera is chosen (the list is still loading, or the user cleared it). */}
        <Button data-testid="playback-open" color="yellow" variant="filled" c="dark.9" disabled={selectedIds.length === 0} onClick={() => requestOpen()}>
          {t('playback.open')}
        </Button>
        {grant && (
          <Text size="xs" c="dimmed" data-testid="playback-grant" style={{ maxWidth: 420 }} lineClamp={2}>
            {t('playback.grant', { range: formatRange(grant.fromMs, grant.toMs), reason: `${t(`playback.reasons.${grant.reason.category}`)}: ${grant.reason.text}` })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={cameraList.error ?? error} context="recording" testId="playback-error" />

      <Box
        data-testid="playback-stage"
        data-mode="recorded"
        style={{ flex: 1, minHeight: 200, border: '3px solid var(--mantine-color-yellow-6)', borderRadius: 2, background: '#07080a', display: 'flex', flexDirection: 'column' }}
      >
        <Group justify="space-between" px="sm" py={4} bg="yellow.6" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Badge color="dark" variant="filled" data-testid="playback-recorded-badge">
              {t('playback.recordedBadge')}
            </Badge>
            <Text size="xs" fw={700} c="dark.9">
              {t('playback.notLive')}
            </Text>
          </Group>
          <Text ff="monospace" fw={700} c="dark.9" data-testid="playback-clock" style={{ fontSize: 26, lineHeight: 1.1 }}>
            <span ref={clockDate} data-testid="playback-clock-date">
              —
            </span>{' '}
            <span ref={clockTime} data-testid="playback-clock-time" />
          </Text>
        </Group>
        {!showing && (
          <Stack align="center" justify="center" style={{ flex: 1 }} gap={4}>
            <Text size="sm" c="dimmed" data-testid="playback-empty">
              {t('playback.empty')}
            </Text>
          </Stack>
        )}
        {showing && (
          <Box style={{ flex: 1, minHeight: 0, display: 'grid', gridTemplateColumns: `repeat(${grid}, 1fr)`, gridAutoRows: 'minmax(0, 1fr)', gap: 3, padding: 3 }}>
            {shownIds.map((id) => {
              const snap = snaps[id];
              return (
                <Box key={`${showing.key}-${id}`} style={{ position: 'relative', background: '#000', minHeight: 0 }} data-testid={`playback-tile-${id}`} data-camera-id={id} data-state={snap?.state ?? 'loading'}>
                  <video
                    ref={(el) => {
                      if (el) videos.current.set(id, el);
                      else videos.current.delete(id);
                    }}
                    data-testid={`playback-video-${id}`}
                    muted
                    playsInline
                    style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }}
                  />
                  <MaskOverlay masks={grant?.streams.find((st) => st.cameraId === id)?.masks ?? []} cameraId={id} testId={`playback-masks-${id}`} />
                  <Group gap={4} style={{ position: 'absolute', left: 6, top: 6 }}>
                    <Badge color="yellow" variant="filled" c="dark.9">
                      {t('playback.recordedBadge')}
                    </Badge>
                    <Text size="xs" fw={600} style={{ textShadow: '0 0 3px #000' }}>
                      {cameraName(id)}
                    </Text>
                  </Group>
                  {snap && snap.state !== 'ready' && snap.state !== 'loading' && (
                    <Text size="sm" c="yellow.4" style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', background: '#000a' }} data-testid={`playback-tile-message-${id}`}>
                      {t(`playback.state.${snap.state}`)}
                    </Text>
                  )}
                </Box>
              );
            })}
          </Box>
        )}
      </Box>

      <Group gap="xs" justify="space-between" wrap="wrap">
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('playback.prevIncident')}>
            <Button variant="default" data-testid="playback-prev-incident" disabled={!showing || incidents.length === 0} onClick={() => jumpIncident(-1)}>
              ◀ {t('playback.incidentShort')}
            </Button>
          </Tooltip>
          <Tooltip label={t('playback.stepBack')}>
            <Button variant="default" data-testid="playback-step-back" disabled={!showing} onClick={() => step(-1)}>
              ◀|
            </Button>
          </Tooltip>
          <Button data-testid="playback-play" disabled={!showing} onClick={togglePlay} w={90}>
            {playing ? t('playback.pause') : t('playback.play')}
          </Button>
          <Tooltip label={t('playback.stepForward')}>
            <Button variant="default" data-testid="playback-step-forward" disabled={!showing} onClick={() => step(1)}>
              |▶
            </Button>
          </Tooltip>
          <Tooltip label={t('playback.nextIncident')}>
            <Button variant="default" data-testid="playback-next-incident" disabled={!showing || incidents.length === 0} onClick={() => jumpIncident(1)}>
              {t('playback.incidentShort')} ▶
            </Button>
          </Tooltip>
          <SegmentedControl
            data-testid="playback-speed"
            data-speed={speed}
            size="xs"
            value={String(speed)}
            onChange={changeSpeed}
            data={SPEEDS.map((s) => ({ value: String(s), label: `${s}×` }))}
          />
        </Group>
        <Group gap={4} wrap="nowrap">
          {notice && (
            <Text size="xs" c="yellow.4" data-testid="playback-notice">
              {notice}
            </Text>
          )}
          {can('holds.place') && (
            <Button variant="light" color="violet" data-testid="playback-place-hold" disabled={!vis} onClick={() => setDialog('hold')}>
              {t('playback.placeHold')}
            </Button>
          )}
          {can('incidents.create') && (
            <Button variant="light" color="orange" data-testid="playback-mark-incident" disabled={!vis} onClick={() => setDialog('incident')}>
              {t('playback.markIncident')}
            </Button>
          )}
          {can('exports.request') && (
            <RequestExportButton
              testId="playback-request-export"
              label={t('playback.requestExport')}
              disabled={!vis}
              items={vis ? shownIds.map((id) => ({ cameraId: id, cameraName: cameraName(id), fromMs: vis.fromMs, toMs: vis.toMs })) : []}
            />
          )}
        </Group>
      </Group>

      <Group gap={4} justify="space-between">
        <Group gap={4}>
          {ZOOMS.map((z) => (
            <Button key={z.id} size="compact-xs" variant={Math.abs(view.toMs - view.fromMs - z.spanMs) < 1000 ? 'filled' : 'default'} data-testid={`timeline-zoom-${z.id}`} onClick={() => setView(viewAround(playheadMs ?? (view.fromMs + view.toMs) / 2, z.spanMs, Date.now()))}>
              {t(`playback.zoom.${z.id}`)}
            </Button>
          ))}
        </Group>
        <Group gap={4}>
          <Button size="compact-xs" variant="default" data-testid="timeline-earlier" onClick={() => setView((v) => pan(v, -0.5, Date.now()))}>
            ←
          </Button>
          <Button size="compact-xs" variant="default" data-testid="timeline-later" onClick={() => setView((v) => pan(v, 0.5, Date.now()))}>
            →
          </Button>
          <Text size="xs" c="dimmed" data-testid="timeline-range">
            {formatRange(view.fromMs, view.toMs)}
          </Text>
        </Group>
      </Group>
      <Box ref={timelineBox} style={{ width: '100%' }}>
        {timelineWidth > 0 && (
          <Timeline
            view={view}
            width={timelineWidth}
            rows={selectedIds.map((id) => ({ cameraId: id, name: cameraName(id), spans: coverage.get(id) ?? [] }))}
            incidents={timelineIncidents}
            holds={timelineHolds}
            grant={grant}
            playheadMs={playheadMs}
            onSeek={seek}
            onZoom={(at, f) => setView((v) => zoomAt(v, at, f, Date.now()))}
            onPan={(share) => setView((v) => pan(v, share, Date.now()))}
          />
        )}
      </Box>

      {asking && (
        <ReasonDialog
          summary={t('playback.reason.summary', { cameras: selectedIds.map(cameraName).join(', '), range: formatRange(asking.fromMs, asking.toMs) })}
          previous={lastReason}
          initial={intent?.reason}
          busy={opening}
          error={openError}
          onSubmit={(r) => void submitReason(r)}
          onClose={() => setAsking(null)}
        />
      )}
      {dialog === 'hold' && vis && (
        <PlaceHoldModal
          cameras={shownIds.map((id) => ({ value: String(id), label: cameraName(id) }))}
          initialRows={shownIds.map((id) => ({ ...newItemRow(vis.toMs, String(id)), from: toLocalDateTimeInput(Math.floor(vis.fromMs / 60_000) * 60_000), to: toLocalDateTimeInput(Math.ceil(vis.toMs / 60_000) * 60_000) }))}
          initialCaseReference={grant?.reason.reference ?? ''}
          onClose={() => setDialog(null)}
          onPlaced={() => {
            setDialog(null);
            refresh();
          }}
        />
      )}
      {dialog === 'incident' && vis && (
        <CreateIncidentModal
          cameras={shownIds.map((id) => ({ id, name: cameraName(id) }))}
          fromMs={vis.fromMs}
          toMs={vis.toMs}
          onClose={() => setDialog(null)}
          onCreated={() => {
            setDialog(null);
            refresh();
          }}
        />
      )}
    </Stack>
  );
}
