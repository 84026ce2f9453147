// PTZ on a live tile (docs/design/ptz.md): over the picture of a camera that can be steered, a drag
// turns it (the further from where the drag started, the faster; still on release), the wheel
// zooms, and with the tile focused the arrows turn, + and - zoom and Home sends it home; a joystick
// or gamepad steers the tile last touched. A chip says who steers the camera (name and role when
// it is someone else, with "Take over" only when the engine says this user may), and opens the
// presets: go to one, home, save the view as a preset (ptz.presets), let go. The engine decides
// every one of these; the tile shows its answers.
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type PointerEvent } from 'react';
import { Badge, Box, Button, Divider, Group, Popover, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PTZ_PRESET_NAME_MAX } from '../../shared/contract';
import { useApi } from '../api/api-context';
import { formatTimeOfDay } from '../kit/format-time';
import { watchGamepads } from './gamepad';
import { getGamepadTarget, setGamepadTarget, takeController, type PtzController, type PtzSnapshot } from './ptz-controller';
import { ptzErrorKey } from './ptz-error-text';
import { dragVelocity, DRAG_START_PX, heldKeysVelocity, ptzKey, STILL, wheelZoom } from './ptz-input';

/** The wheel zooms while it turns, and stops this long after its last notch. */
const WHEEL_HOLD_MS = 250;
/** A refusal shown on the tile goes after this (it stays in the presets panel until the next success). */
const ERROR_ON_TILE_MS = 6_000;

interface Drag {
  pointerId: number;
  /** The layer's corner on screen at the start, to draw the drag inside it. */
  left: number;
  top: number;
  x0: number;
  y0: number;
  x: number;
  y: number;
  started: boolean;
}

export function PtzLayer({ cameraId, single, canPresets }: { cameraId: number; single: boolean; canPresets: boolean }) {
  const api = useApi();
  const [taken] = useState(() => takeController(api, cameraId));
  const c = taken.controller;
  const snap = useSyncExternalStore(c.subscribe, c.get);

  useEffect(() => {
    void c.check();
    const unwatch = watchGamepads();
    return () => {
      unwatch();
      // The last tile of this camera gone: the gamepad no longer steers it.
      if (getGamepadTarget() === c && c.users <= 1) setGamepadTarget(null);
      taken.release();
    };
  }, [c, taken]);

  if (snap.support !== 'yes') return null;
  return <PtzSurface c={c} single={single} canPresets={canPresets} />;
}

/** The last refusal in the interface language (the engine's English stays for the title). */
function usePtzErrorText(snap: PtzSnapshot): string | null {
  const { t } = useTranslation();
  if (!snap.error) return null;
  const holder = snap.status?.holder ?? null;
  const other = holder !== null && !holder.mine;
  const key = ptzErrorKey(snap.error.op, snap.error.error, other);
  if (key === null) return t(`errors.kinds.${snap.error.error.kind}`);
  return t(`ptz.errors.${key}`, { name: holder?.displayName ?? '', role: holder ? t(`roles.${holder.role}`) : '' });
}

function PtzSurface({ c, single, canPresets }: { c: PtzController; single: boolean; canPresets: boolean }) {
  const { t } = useTranslation();
  const snap = useSyncExternalStore(c.subscribe, c.get);
  const layerRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const heldKeys = useRef(new Map<string, boolean>());
  // The refusal whose time on the tile is up (it stays in the panel).
  const [expiredError, setExpiredError] = useState<PtzSnapshot['error']>(null);
  const errorText = usePtzErrorText(snap);
  const tileError = snap.error !== null && snap.error !== expiredError;

  // The wheel's handler must be able to preventDefault (React's onWheel is passive): the page must not scroll.
  useEffect(() => {
    const el = layerRef.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      setGamepadTarget(c);
      c.setVelocity('wheel', { pan: 0, tilt: 0, zoom: wheelZoom(e.deltaY) });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => c.setVelocity('wheel', STILL), WHEEL_HOLD_MS);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      el.removeEventListener('wheel', onWheel);
      if (timer) clearTimeout(timer);
      c.setVelocity('wheel', STILL);
    };
  }, [c]);

  useEffect(() => {
    const shown = snap.error;
    if (!shown) return;
    const timer = setTimeout(() => setExpiredError(shown), ERROR_ON_TILE_MS);
    return () => clearTimeout(timer);
  }, [snap.error]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    setGamepadTarget(c);
    const box = e.currentTarget.getBoundingClientRect();
    setDrag({ pointerId: e.pointerId, left: box.left, top: box.top, x0: e.clientX, y0: e.clientY, x: e.clientX, y: e.clientY, started: false });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const next = { ...drag, x: e.clientX, y: e.clientY };
    if (!drag.started && Math.hypot(next.x - drag.x0, next.y - drag.y0) >= DRAG_START_PX) {
      next.started = true;
      // Held while the pointer leaves the tile: the release outside still stops the camera.
      e.currentTarget.setPointerCapture(e.pointerId);
    }
    setDrag(next);
    if (next.started) {
      const box = e.currentTarget.getBoundingClientRect();
      c.setVelocity('drag', dragVelocity(next.x - next.x0, next.y - next.y0, box.width, box.height));
    }
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    setDrag(null);
    c.setVelocity('drag', STILL);
  };

  const keysChanged = () => c.setVelocity('keys', heldKeysVelocity(heldKeys.current));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const k = ptzKey(e.key, e.shiftKey);
    if (!k) return;
    e.preventDefault();
    e.stopPropagation();
    setGamepadTarget(c);
    if (k.kind === 'home') {
      if (!e.repeat) void c.home();
    } else if (k.kind === 'stop') {
      heldKeys.current.clear();
      c.stopAll();
    } else {
      heldKeys.current.set(e.key, e.shiftKey);
      keysChanged();
    }
  };
  const onKeyUp = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!heldKeys.current.delete(e.key)) return;
    e.stopPropagation();
    keysChanged();
  };
  const onBlur = () => {
    heldKeys.current.clear();
    c.setVelocity('keys', STILL);
  };

  const holder = snap.status?.holder ?? null;
  const other = holder !== null && !holder.mine;
  const size = single ? 'sm' : 'xs';
  const dx = drag?.started ? drag.x - drag.x0 : 0;
  const dy = drag?.started ? drag.y - drag.y0 : 0;

  return (
    <>
      <Box
        ref={layerRef}
        data-testid={`ptz-layer-${c.cameraId}`}
        data-ptz-layer=""
        data-moving={String(snap.moving)}
        data-held={holder ? (holder.mine ? 'mine' : 'other') : 'free'}
        tabIndex={0}
        aria-label={t('ptz.layerLabel')}
        aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown + - Home Space"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onLostPointerCapture={endDrag}
        onKeyDown={onKeyDown}
        onKeyUp={onKeyUp}
        onBlur={onBlur}
        onFocus={() => setGamepadTarget(c)}
        className="oc-ptz-layer"
        style={{ position: 'absolute', inset: 0, cursor: other ? 'not-allowed' : drag?.started ? 'grabbing' : 'crosshair', touchAction: 'none' }}
      >
        {drag?.started && (
          <svg aria-hidden width="100%" height="100%" style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
            <circle cx={drag.x0 - drag.left} cy={drag.y0 - drag.top} r={6} fill="none" stroke="white" strokeWidth={2} opacity={0.85} />
            <line x1={drag.x0 - drag.left} y1={drag.y0 - drag.top} x2={drag.x0 - drag.left + dx} y2={drag.y0 - drag.top + dy} stroke="white" strokeWidth={2} strokeDasharray="4 3" opacity={0.85} />
          </svg>
        )}
      </Box>
      <Stack gap={4} align="flex-end" style={{ position: 'absolute', right: 4, bottom: 4, maxWidth: '75%', zIndex: 1 }} onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
        {tileError && errorText && (
          <Text size="xs" fw={600} c="red.3" px={5} data-testid={`ptz-error-${c.cameraId}`} title={snap.error?.error.message} style={{ background: 'rgba(0,0,0,0.75)', borderRadius: 2 }} lineClamp={2}>
            {errorText}
          </Text>
        )}
        <Group gap={4} wrap="nowrap" justify="flex-end">
          {holder && (
            <Badge
              size={size}
              color={other ? 'orange' : 'teal'}
              variant="filled"
              data-testid={`ptz-holder-${c.cameraId}`}
              data-mine={String(holder.mine)}
              style={{ textTransform: 'none', maxWidth: '100%' }}
              title={t('ptz.holderSince', { time: formatTimeOfDay(holder.sinceMs) })}
            >
              {holder.mine ? t('ptz.youSteer') : t('ptz.steeredBy', { name: holder.displayName, role: t(`roles.${holder.role}`) })}
            </Badge>
          )}
          {other && snap.status?.mayTake && (
            <Button size={single ? 'compact-sm' : 'compact-xs'} color="orange" variant="white" loading={snap.busy} data-testid={`ptz-take-over-${c.cameraId}`} onClick={() => void c.takeOver()}>
              {t('ptz.takeOver')}
            </Button>
          )}
          <PresetsPanel c={c} single={single} canPresets={canPresets} />
        </Group>
      </Stack>
    </>
  );
}

function PresetsPanel({ c, single, canPresets }: { c: PtzController; single: boolean; canPresets: boolean }) {
  const { t } = useTranslation();
  const snap = useSyncExternalStore(c.subscribe, c.get);
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const holder = snap.status?.holder ?? null;
  const blocked = holder !== null && !holder.mine;
  const trimmed = name.trim();
  const errorText = usePtzErrorText(snap);

  useEffect(() => {
    if (opened) void c.reloadPresets();
  }, [opened, c]);
  // Esc closes the panel wherever the focus is (after a save its button is disabled and loses it).
  useEffect(() => {
    if (!opened) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setOpened(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [opened]);

  const save = async () => {
    const existing = snap.presets.find((p) => p.name.toLocaleLowerCase() === trimmed.toLocaleLowerCase());
    if (await c.savePreset(trimmed, existing?.token)) setName('');
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="top-end" withinPortal shadow="md" zIndex={300} trapFocus returnFocus transitionProps={{ duration: 0 }}>
      <Popover.Target>
        <Button size={single ? 'compact-sm' : 'compact-xs'} variant="filled" color="dark" data-testid={`ptz-presets-${c.cameraId}`} aria-expanded={opened} onClick={() => setOpened((o) => !o)} style={{ opacity: 0.9 }}>
          {t('ptz.presetsButton')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown data-testid={`ptz-panel-${c.cameraId}`} p="xs" w={280}>
        <Stack gap={6}>
          <Text size="xs" c="dimmed">
            {blocked ? t('ptz.panelBlocked', { name: holder.displayName }) : t('ptz.panelHint')}
          </Text>
          {snap.presets.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="ptz-no-presets">
              {t('ptz.noPresets')}
            </Text>
          ) : (
            <ScrollArea.Autosize mah={200} type="auto">
              <Stack gap={2}>
                {snap.presets.map((p) => (
                  <Tooltip key={p.token} label={p.savedBy ? t('ptz.savedBy', { name: p.savedBy, time: p.savedAtMs ? formatTimeOfDay(p.savedAtMs) : '' }) : t('ptz.savedOnCamera')} withinPortal openDelay={400}>
                    <Button size="compact-sm" variant="subtle" justify="flex-start" disabled={blocked || snap.busy} data-testid="ptz-preset" data-token={p.token} onClick={() => void c.gotoPreset(p.token)}>
                      {p.name}
                    </Button>
                  </Tooltip>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
          <Group gap={6} grow>
            {snap.homeSupported !== false && (
              <Button size="compact-sm" variant="default" disabled={blocked || snap.busy} data-testid="ptz-home" onClick={() => void c.home()}>
                {t('ptz.home')}
              </Button>
            )}
            {holder?.mine && (
              <Button size="compact-sm" variant="default" data-testid="ptz-release" onClick={() => void c.release()}>
                {t('ptz.release')}
              </Button>
            )}
          </Group>
          {canPresets && (
            <>
              <Divider label={t('ptz.saveTitle')} labelPosition="left" />
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (trimmed) void save();
                }}
              >
                <Group gap={6} wrap="nowrap" align="flex-end">
                  <TextInput
                    size="xs"
                    style={{ flex: 1 }}
                    aria-label={t('ptz.presetName')}
                    placeholder={t('ptz.presetName')}
                    maxLength={PTZ_PRESET_NAME_MAX}
                    value={name}
                    data-testid="ptz-preset-name"
                    onChange={(e) => setName(e.currentTarget.value)}
                  />
                  <Button size="xs" type="submit" disabled={!trimmed || blocked || snap.busy} data-testid="ptz-save-preset">
                    {snap.presets.some((p) => p.name.toLocaleLowerCase() === trimmed.toLocaleLowerCase()) ? t('ptz.overwrite') : t('ptz.save')}
                  </Button>
                </Group>
              </form>
            </>
          )}
          {errorText && (
            <Text size="xs" c="red.5" data-testid="ptz-panel-error" title={snap.error?.error.message}>
              {errorText}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
