// A wall tile (or the single view): camera name, state in words, the wall-clock time of the frame
// shown, and a greyed picture with "no new picture since" when it stops moving.
import { useEffect, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { hasPicture, type StreamKind, type TileState } from '../../shared/cameras';
import type { CameraView } from '../../shared/contract';
import { useApi } from '../api/api-context';
import { ENGINE_LOST_COLOUR, useNextAttemptSeconds } from '../components/ConnectionBanner';
import { useConnection } from '../kit/use-engine-events';
import { formatTimeOfDay } from '../kit/format-time';
import { MaskOverlay } from '../kit/MaskOverlay';
import { FlagIcon } from '../incidents/FlagIcon';
import { PtzLayer } from '../ptz/PtzLayer';
import type { LiveStatusStore } from './live-status';
import { PlayerHandle, registerPicture } from './player-handle';

export const STATE_COLORS: Record<TileState, string> = {
  connecting: 'yellow',
  live: 'green',
  no_signal: 'red',
  auth_failed: 'red',
  transcoding: 'green',
  no_ffmpeg: 'red',
  disabled: 'gray',
};

/**
 * A tile whose picture stopped while the engine still receives the camera (this seat's delivery,
 * or the seconds before the engine notices): amber, a colour no camera state uses, so it cannot be
 * read as "Live" nor confused with the engine's red "No signal".
 */
export const NO_PICTURE_COLOUR = 'orange';

export const CAMERA_DRAG_TYPE = 'application/x-operator-console-camera';

export function StateDot({ state, size = 8, colour }: { state: TileState; size?: number; colour?: string }) {
  return (
    <Box
      component="span"
      style={{ display: 'inline-block', width: size, height: size, borderRadius: '50%', flex: 'none', background: `var(--mantine-color-${colour ?? STATE_COLORS[state]}-6)` }}
    />
  );
}

export function LiveTile({
  index,
  camera,
  stream,
  status,
  selected,
  single,
  onSelect,
  onDropCamera,
  onOpenSingle,
  onMark,
  onReplay,
  ptz,
}: {
  index: number;
  camera: CameraView | null;
  stream: StreamKind;
  status: LiveStatusStore;
  selected: boolean;
  single: boolean;
  onSelect?: (index: number) => void;
  onDropCamera?: (index: number, cameraId: number) => void;
  onOpenSingle?: (index: number) => void;
  /** Mark an incident on this tile's camera at `atMs`, the moment the flag was clicked; absent without incidents.create. */
  onMark?: (index: number, atMs: number) => void;
  /** Replay the last seconds of this tile's camera in Playback; absent without playback.open. */
  onReplay?: (cameraId: number, atMs: number) => void;
  /** PTZ controls on a camera that can be steered (ptz.control; `presets`: may save presets, ptz.presets); absent without ptz.control. */
  ptz?: { presets: boolean } | undefined;
}) {
  const { t } = useTranslation();
  const [dragOver, setDragOver] = useState(false);

  const onDragOver = (e: DragEvent) => {
    if (!onDropCamera || !e.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragOver(true);
  };
  const onDrop = (e: DragEvent) => {
    setDragOver(false);
    const id = Number(e.dataTransfer.getData(CAMERA_DRAG_TYPE));
    if (!onDropCamera || !Number.isInteger(id) || id <= 0) return;
    e.preventDefault();
    onDropCamera(index, id);
  };

  return (
    <Box
      data-testid={single ? 'single-view' : 'wall-tile'}
      data-index={index}
      data-camera-id={camera?.id ?? ''}
      data-selected={String(selected)}
      onClick={() => onSelect?.(index)}
      onDoubleClick={() => camera && onOpenSingle?.(index)}
      onDragOver={onDragOver}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
      style={{
        position: 'relative',
        minWidth: 0,
        minHeight: 0,
        overflow: 'hidden',
        background: '#000',
        outline: '1px solid var(--mantine-color-dark-5)',
        outlineOffset: -1,
        userSelect: 'none',
      }}
    >
      <EngineLostOverlay single={single} />
      {camera ? (
        <TilePicture key={`${camera.id}:${stream}`} camera={camera} stream={stream} status={status} single={single} onMark={onMark && ((atMs) => onMark(index, atMs))} onReplay={onReplay} ptz={ptz} />
      ) : (
        <Box data-state="empty" style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 8 }}>
          <Text size="xs" c="dark.2" ta="center">
            {t('live.emptyTile')}
          </Text>
        </Box>
      )}
      {(selected || dragOver) && <SelectionRing dashed={dragOver} />}
    </Box>
  );
}

/**
 * The selected tile's ring (M, the arrows and Delete act on it) and the drop target's, drawn above
 * the picture and every cover: a ring under the video would be hidden by it. A light inner line
 * keeps it visible over dark and bright pictures alike.
 */
function SelectionRing({ dashed }: { dashed: boolean }) {
  return (
    <Box
      data-testid="tile-selection"
      aria-hidden
      style={{
        position: 'absolute',
        inset: 0,
        zIndex: 3,
        pointerEvents: 'none',
        border: `3px ${dashed ? 'dashed' : 'solid'} var(--mantine-color-accent-4)`,
        boxShadow: 'inset 0 0 0 1px rgba(255,255,255,0.85), inset 0 0 0 4px rgba(0,0,0,0.55)',
      }}
    />
  );
}

/** What covers a whole tile with its words in the middle (the engine lost, a frozen picture, a state). */
const TILE_COVER = { position: 'absolute', inset: 0, display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 4, padding: 8 } as const;

/**
 * Over every tile while the engine is lost: whatever the picture shows is no longer known, and it
 * must not be read as the camera's own trouble (a colour no camera state uses, words that name the
 * engine). Above the picture and its state line.
 */
function EngineLostOverlay({ single }: { single: boolean }) {
  const { t } = useTranslation();
  const info = useConnection();
  const seconds = useNextAttemptSeconds(info);
  if (info.state !== 'lost') return null;
  return (
    <Box
      data-testid="tile-engine-lost"
      role="status"
      style={{
        ...TILE_COVER,
        zIndex: 2,
        background: 'repeating-linear-gradient(135deg, rgba(134,46,156,0.82) 0 14px, rgba(90,24,110,0.82) 14px 28px)',
        outline: `4px solid var(--mantine-color-${ENGINE_LOST_COLOUR}-3)`,
        outlineOffset: -4,
        pointerEvents: 'none',
      }}
    >
      <Text size={single ? 'lg' : 'sm'} fw={800} c="white" ta="center" style={{ textShadow: '0 1px 3px #000' }}>
        {t('live.engineLost')}
      </Text>
      <Text size="xs" c="white" ta="center" style={{ textShadow: '0 1px 2px #000' }}>
        {seconds === null || seconds === 0 ? t('connection.now') : t('connection.nextAttempt', { count: seconds })}
      </Text>
    </Box>
  );
}

function TilePicture({
  camera,
  stream,
  status,
  single,
  onMark,
  onReplay,
  ptz,
}: {
  camera: CameraView;
  stream: StreamKind;
  status: LiveStatusStore;
  single: boolean;
  onMark?: ((atMs: number) => void) | undefined;
  onReplay?: ((cameraId: number, atMs: number) => void) | undefined;
  ptz?: { presets: boolean } | undefined;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [handle] = useState(() => new PlayerHandle());
  const snap = useSyncExternalStore(handle.subscribe, handle.get);
  const cameraId = camera.id;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    handle.start({ api, status, cameraId, stream, video, snapshotCanvas: canvasRef.current });
    const key = {};
    const unregister = registerPicture(key, cameraId, single, handle);
    return () => {
      unregister();
      handle.stop();
    };
  }, [api, status, cameraId, stream, single, handle]);

  // Until the engine's states reach the player (a moment after the tile appears), the camera's state
  // from the camera list: the tile must not say "Connecting" where the tree says "No signal".
  const state = snap.sinceMs === null && snap.state === 'connecting' ? camera.main.state : snap.state;
  const frozen = snap.frozenSinceMs !== null && !snap.playing;
  const showCentre = !snap.playing;
  // The engine still receives the camera but this tile shows no new picture: never "Live".
  const noPicture = frozen && hasPicture(state);
  const stateText = noPicture ? t('live.noPicture') : t(`live.state.${state}`);
  const stateColour = noPicture ? NO_PICTURE_COLOUR : STATE_COLORS[state];
  // A camera without a picture is told over the picture, on a band in its colour.
  const alarmColour = noPicture ? NO_PICTURE_COLOUR : !hasPicture(state) && STATE_COLORS[state] === 'red' ? 'red' : null;
  const fontSize = single ? 'sm' : 'xs';

  return (
    <Box data-testid="tile-picture" data-state={state} data-frozen={String(frozen)} data-playing={String(snap.playing)} style={{ position: 'absolute', inset: 0 }}>
      <video
        ref={videoRef}
        data-testid="tile-video"
        muted
        playsInline
        autoPlay
        disablePictureInPicture
        style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block', background: '#000' }}
      />
      <canvas
        ref={canvasRef}
        aria-hidden
        style={{
          position: 'absolute',
          inset: 0,
          width: '100%',
          height: '100%',
          objectFit: 'contain',
          filter: 'grayscale(1) brightness(0.45)',
          display: snap.showingSnapshot && !snap.playing ? 'block' : 'none',
        }}
      />
      <MaskOverlay masks={snap.masks} cameraId={cameraId} />
      {ptz && <PtzLayer cameraId={cameraId} single={single} canPresets={ptz.presets} />}
      <Group
        gap={6}
        wrap="nowrap"
        justify="space-between"
        px={6}
        py={3}
        style={{ position: 'absolute', top: 0, left: 0, right: 0, background: 'linear-gradient(rgba(0,0,0,0.75), rgba(0,0,0,0))' }}
      >
        <Text size={fontSize} fw={600} truncate="end" data-testid="tile-name" style={{ textShadow: '0 1px 2px #000' }}>
          {camera.name}
        </Text>
        <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
          {onMark && (
            <Tooltip label={t('incidents.mark.button')} withinPortal>
              <ActionIcon
                size={single ? 'md' : 'sm'}
                variant="light"
                color="red"
                data-testid={`tile-mark-${camera.id}`}
                aria-label={t('incidents.mark.button')}
                aria-keyshortcuts="M"
                onClick={(e) => {
                  // The incident's time is this click, not when its form is saved.
                  const atMs = Date.now();
                  e.stopPropagation();
                  onMark(atMs);
                }}
                onDoubleClick={(e) => e.stopPropagation()}
              >
                <FlagIcon size={single ? 16 : 12} />
              </ActionIcon>
            </Tooltip>
          )}
          {onReplay && (
            <Tooltip label={t('live.replay')} withinPortal>
              <Button
                size={single ? 'compact-sm' : 'compact-xs'}
                px={4}
                variant="light"
                color="yellow"
                data-testid={`tile-replay-${camera.id}`}
                aria-label={t('live.replay')}
                onClick={(e) => {
                  const atMs = Date.now();
                  e.stopPropagation();
                  onReplay(camera.id, atMs);
                }}
                onDoubleClick={(e) => e.stopPropagation()}
              >
                −30s
              </Button>
            </Tooltip>
          )}
          {snap.transcoding && (
            <Badge size="xs" color="orange" variant="filled" data-testid="tile-transcoding" title={t('live.transcodingHint')}>
              {t('live.transcodingBadge')}
            </Badge>
          )}
          <Group gap={4} wrap="nowrap" data-testid="tile-state" data-state={noPicture ? 'no_picture' : state} title={snap.detail ?? undefined}>
            <StateDot state={state} colour={stateColour} />
            <Text size={fontSize} fw={alarmColour ? 700 : undefined} c={alarmColour ? `${alarmColour}.3` : undefined} style={{ textShadow: '0 1px 2px #000' }}>
              {stateText}
            </Text>
          </Group>
        </Group>
      </Group>
      {snap.playing && snap.playingDateMs !== null && (
        <Text
          data-testid="tile-clock"
          size={fontSize}
          ff="monospace"
          px={5}
          style={{ position: 'absolute', left: 4, bottom: 4, background: 'rgba(0,0,0,0.6)', borderRadius: 2 }}
        >
          {formatTimeOfDay(snap.playingDateMs)}
        </Text>
      )}
      {showCentre && (
        <Box
          data-testid={frozen ? 'tile-frozen' : 'tile-overlay'}
          data-alarm={alarmColour ?? ''}
          style={{
            ...TILE_COVER,
            background: frozen ? 'rgba(60,60,60,0.35)' : 'transparent',
            outline: alarmColour ? `4px solid var(--mantine-color-${alarmColour}-6)` : undefined,
            outlineOffset: -4,
            pointerEvents: 'none',
          }}
        >
          {alarmColour ? (
            <Box
              data-testid="tile-alarm"
              role="status"
              px="sm"
              py={single ? 8 : 4}
              style={{ background: `var(--mantine-color-${alarmColour}-8)`, borderRadius: 4, maxWidth: '100%', boxShadow: '0 2px 8px rgba(0,0,0,0.6)' }}
            >
              <Text size={single ? 'xl' : 'md'} fw={800} c="white" ta="center" tt="uppercase" lh={1.15}>
                {stateText}
              </Text>
              {!noPicture && single && (
                <Text size="xs" c="white" ta="center" maw={420} data-testid="tile-alarm-help">
                  {t(`live.stateHelp.${state}`, { defaultValue: '' })}
                </Text>
              )}
              <Text size={fontSize} c="white" ta="center" data-testid="tile-alarm-since">
                {noPicture && snap.frozenSinceMs !== null
                  ? t('live.frozen', { time: formatTimeOfDay(snap.frozenSinceMs) })
                  : snap.sinceMs
                    ? t('live.since', { time: formatTimeOfDay(snap.sinceMs) })
                    : null}
              </Text>
            </Box>
          ) : (
            <>
              {frozen && snap.frozenSinceMs !== null && (
                <Text size={fontSize} fw={700} ta="center" c="yellow.4" style={{ textShadow: '0 1px 2px #000' }}>
                  {t('live.frozen', { time: formatTimeOfDay(snap.frozenSinceMs) })}
                </Text>
              )}
              <Text size={fontSize} c={hasPicture(state) ? 'dark.1' : `${STATE_COLORS[state]}.4`} ta="center" style={{ textShadow: '0 1px 2px #000' }}>
                {hasPicture(state) ? t('live.starting') : stateText}
              </Text>
            </>
          )}
          {snap.error && (
            <Text size="xs" c="red.4" ta="center" data-testid="tile-error">
              {t(snap.error.kind === 'NotFound' ? 'live.notVisible' : snap.error.kind === 'FailedPrecondition' ? 'live.state.disabled' : 'live.openFailed')}
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}
