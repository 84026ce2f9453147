// The Live section (docs/design/overview.md §3, docs/design/live-pipeline.md): a camera tree (site, then group) and a wall of 1, 4,
// 9 or 16 tiles showing sub streams; a double-click gives a single view of the main stream.
// Cameras are placed by drag and drop or by keyboard (arrows select a tile, Enter on a camera
// places it, Delete clears). The wall is saved per user and restored on the next visit. M (or a
// tile's flag) marks an incident on the selected tile's camera at the moment of the key press.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { ActionIcon, Alert, Box, Button, Group, Loader, ScrollArea, SegmentedControl, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useElementSize, useMergedRef } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { WALL_LAYOUTS, type StreamKind, type TileState, type WallLayout } from '../../shared/cameras';
import { wallTilesOf, type CameraView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { currentLocale } from '../i18n';
import { MarkIncidentModal } from '../incidents/MarkIncidentModal';
import { isShortcut, openPopup } from '../kit/keys';
import { useCommand } from '../kit/use-command';
import { useHasPermission } from '../kit/use-permission';
import { useConnection } from '../kit/use-engine-events';
import { markCameraFor } from '../incidents/incidents-model';
import { LiveStatusStore } from './live-status';
import { CAMERA_DRAG_TYPE, LiveTile, StateDot } from './LiveTile';
import { installWallHook } from './player-handle';
import { wallOfWindow, wallWindowUrl } from '../../shared/wall-window';
import { keepWall, keptWall } from './wall-memory';
import { lookBackIntent, requestPlayback, setLastWatched } from '../playback/look-back';
import { WallPicker } from './WallPicker';
import { buildTree, clearTile, columnsOf, DEFAULT_WALL, initialWall, isWallLayout, latestWall, moveSelection, nextEmptyTile, normaliseSlots, placeCamera, switchLayout, withTiles, type Arrangements, type ArrowKey } from './wall-model';

const SAVE_DEBOUNCE_MS = 800;
/** A tile at least this wide shows the main stream (sub streams are 640 px wide or less). */
const MAIN_STREAM_MIN_TILE_PX = 900;
const LAYOUT_LABELS: Record<WallLayout, string> = { 1: '1', 4: '2×2', 9: '3×3', 16: '4×4' };
const ARROWS: ReadonlySet<string> = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);
const MARK_NOTICE_MS = 8000;
type MarkTarget = { cameraId: number; cameraName: string; atMs: number };

/** `username`: whose wall this is; a wall kept on this page for them (after a lost engine) comes back first. */
export function LiveScreen({ username = null }: { username?: string | null }) {
  const api = useApi();
  const { t } = useTranslation();
  const [status] = useState(() => new LiveStatusStore(api));
  const statusSnap = useSyncExternalStore(status.subscribe, status.get);
  const cameraList = useCommand('cameras.list', {}, []);
  const walls = useCommand('walls.list', {}, []);
  const cameras = cameraList.value?.cameras ?? null;
  const engineLost = useConnection().state === 'lost';
  const error = cameraList.error;
  const [wallName, setWallName] = useState(DEFAULT_WALL);
  const [layout, setLayout] = useState<WallLayout>(4);
  const [arrangements, setArrangements] = useState<Arrangements>({});
  const slots = useMemo(() => normaliseSlots(wallTilesOf(arrangements, layout)), [arrangements, layout]);
  const [selected, setSelected] = useState(0);
  const [single, setSingle] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  // The camera list folds away; wall-only mode (F11) gives the wall the whole screen.
  const [treeFolded, setTreeFolded] = useState(false);
  // A window opened for one wall (a second monitor: shared/wall-window.ts) shows that wall alone.
  const [windowWall] = useState(() => wallOfWindow(location.href));
  const [wallOnly, setWallOnly] = useState(windowWall !== null);
  const [streamChoice, setStreamChoice] = useState<'auto' | StreamKind>('auto');
  const [saveError, setSaveError] = useState<CommandError | null>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const { ref: gridSizeRef, width: gridWidth } = useElementSize();
  const gridRefs = useMergedRef(gridRef, gridSizeRef);
  // The wall is not given the session: its permission is asked once (the engine checks again).
  const canMark = useHasPermission('incidents.create');
  const canPublish = useHasPermission('walls.publish');
  // PTZ on the tiles of cameras that can be steered (docs/design/ptz.md); presets saved by supervisors.
  const canSteer = useHasPermission('ptz.control');
  const canSavePresets = useHasPermission('ptz.presets');
  const ptz = useMemo(() => (canSteer ? { presets: canSavePresets } : undefined), [canSteer, canSavePresets]);
  // "What just happened?": the last 30 s of a tile's camera in Playback, for those who may play back.
  const canReplay = useHasPermission('playback.view');
  const replay = canReplay ? (cameraId: number, atMs: number) => requestPlayback(lookBackIntent(cameraId, atMs)) : undefined;
  const [markTarget, setMarkTarget] = useState<MarkTarget | null>(null);
  const [markNotice, setMarkNotice] = useState<{ text: string; ok: boolean } | null>(null);

  useEffect(() => {
    if (!markNotice) return;
    const timer = setTimeout(() => setMarkNotice(null), MARK_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [markNotice]);

  useEffect(() => {
    status.start();
    const uninstall = installWallHook();
    return () => {
      status.stop();
      uninstall();
    };
  }, [status]);

  // The last-used wall, once the cameras and the walls are both read (adjusted while rendering, once).
  const [restored, setRestored] = useState(false);
  const [restoredFromPage, setRestoredFromPage] = useState(false);
  if (!restored && cameras && (walls.value || walls.error)) {
    setRestored(true);
    const forWindow = walls.value?.walls.find((w) => w.name === windowWall);
    const kept = forWindow ? null : username ? keptWall(username) : null;
    const last = forWindow ?? latestWall(walls.value?.walls ?? []);
    const first = initialWall(cameras.filter((cam) => cam.enabled).map((cam) => cam.id));
    const wall =
      kept ??
      (last && isWallLayout(last.layout)
        ? { name: last.name, layout: last.layout, arrangements: last.arrangements }
        : { name: DEFAULT_WALL, layout: first.layout, arrangements: withTiles({}, first.layout, first.slots) });
    setWallName(wall.name);
    setLayout(wall.layout);
    setArrangements(wall.arrangements);
    if (kept) {
      setSelected(Math.min(kept.selected, kept.layout - 1));
      setRestoredFromPage(true);
    }
  }
  // Playback opens on the camera selected here.
  useEffect(() => setLastWatched(slots[selected] ?? null), [slots, selected]);
  // Kept on this page while shown, so a lost engine and a new sign-in bring the same wall back.
  useEffect(() => {
    if (restored && username) keepWall(username, { name: wallName, layout, arrangements, selected });
  }, [restored, username, wallName, layout, arrangements, selected]);

  // A camera added to or removed from the user's groups shows up in live.status: reload the list.
  const statusIds = [...statusSnap.cameras.keys()].sort((a, b) => a - b).join(',');
  const listIds = cameras ? cameras.map((c) => c.id).sort((a, b) => a - b).join(',') : null;
  const listStale = statusSnap.generation > 0 && listIds !== null && statusIds !== listIds;
  useEffect(() => {
    if (!listStale) return;
    const timer = setTimeout(cameraList.reload, 500);
    return () => clearTimeout(timer);
  }, [listStale, cameraList.reload]);

  useEffect(
    () => () => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
    },
    [],
  );

  // Every layout's arrangement is saved with the wall, so switching layouts never loses a camera.
  const reloadWalls = walls.reload;
  const save = useCallback(
    (name: string, nextLayout: WallLayout, next: Arrangements, now = false) => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
      const send = () => {
        saveTimer.current = null;
        void api.call('walls.save', { name, layout: nextLayout, tiles: wallTilesOf(next, nextLayout), arrangements: next }).then((r) => {
          setSaveError(r.ok ? null : r.error);
          if (r.ok && now) reloadWalls();
        });
      };
      if (now) send();
      else saveTimer.current = setTimeout(send, SAVE_DEBOUNCE_MS);
    },
    [api, reloadWalls],
  );

  // A wall brought back from the page is saved again: its last change may never have reached the engine.
  useEffect(() => {
    if (restoredFromPage) save(wallName, layout, arrangements);
    // Once, when restored from the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [restoredFromPage]);

  const byId = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c])), [cameras]);
  const stateOf = (c: CameraView): TileState => statusSnap.cameras.get(c.id)?.main.state ?? c.main.state;

  const changeLayout = (next: WallLayout) => {
    const arranged = switchLayout(arrangements, layout, next);
    setArrangements(arranged);
    setLayout(next);
    setSelected((s) => Math.min(s, next - 1));
    setSingle(null);
    save(wallName, next, arranged);
  };

  const place = (index: number, cameraId: number) => {
    const next = placeCamera(slots, layout, index, cameraId);
    const arranged = withTiles(arrangements, layout, next);
    setArrangements(arranged);
    save(wallName, layout, arranged);
    return next;
  };

  const clear = (index: number) => {
    const arranged = withTiles(arrangements, layout, clearTile(slots, index));
    setArrangements(arranged);
    save(wallName, layout, arranged);
  };

  /** Shows `next` as the user's wall `name`, saved at once (the wall left is saved first if a change is pending). */
  const showWall = (name: string, next: { layout: WallLayout; arrangements: Arrangements }) => {
    if (saveTimer.current) save(wallName, layout, arrangements, true);
    setWallName(name);
    setLayout(next.layout);
    setArrangements(next.arrangements);
    setSelected(0);
    setSingle(null);
    save(name, next.layout, next.arrangements, true);
  };

  /** Shows another saved wall, or a new empty one under a new name. */
  const openWall = (name: string, fresh: boolean) => {
    const saved = walls.value?.walls.find((w) => w.name === name);
    showWall(name, !fresh && saved && isWallLayout(saved.layout) ? saved : { layout: 4, arrangements: withTiles({}, 4, []) });
  };

  /** A wall published for this seat's room becomes the user's own wall of that name, as published now. */
  const openRoomWall = (room: string, name: string) => {
    const published = walls.value?.roomWalls.find((w) => w.room === room && w.name === name);
    if (published && isWallLayout(published.layout)) showWall(name, published);
  };

  const publishWall = async (room: string, name: string) => {
    const r = await api.call('walls.publish', { room, name, layout, tiles: wallTilesOf(arrangements, layout), arrangements });
    setSaveError(r.ok ? null : r.error);
    if (r.ok) walls.reload();
  };

  const deleteWall = async () => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    const r = await api.call('walls.delete', { name: wallName });
    if (!r.ok) return setSaveError(r.error);
    const other = latestWall((walls.value?.walls ?? []).filter((w) => w.name !== wallName));
    if (other) openWall(other.name, false);
    else openWall(DEFAULT_WALL, true);
  };

  const onGridKey = (e: KeyboardEvent) => {
    if (/^[1-9]$/.test(e.key) && !e.ctrlKey && !e.altKey && !e.metaKey) {
      // A digit picks a tile (1 is the top left), as on a monitoring keyboard.
      const index = Number(e.key) - 1;
      if (index < layout) {
        e.preventDefault();
        setSelected(index);
      }
    } else if (ARROWS.has(e.key)) {
      e.preventDefault();
      setSelected((s) => moveSelection(s, e.key as ArrowKey, layout));
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      clear(selected);
    } else if (e.key === 'Enter' && slots[selected] != null && byId.has(slots[selected])) {
      e.preventDefault();
      setSingle(selected);
    }
  };

  const onTreeKey = (e: KeyboardEvent, cameraId: number) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    const next = place(selected, cameraId);
    setSelected(nextEmptyTile(next, layout, selected));
  };

  // F11 enters and leaves wall-only mode (and the browser's full screen where it is allowed); Esc leaves it.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'F11') {
        e.preventDefault();
        setWallOnly((w) => !w);
      } else if (e.key === 'Escape' && wallOnly && single === null && !openPopup()) {
        setWallOnly(false);
      }
    };
    // In the capture phase, before a dialog or a list handles the same Esc and disappears: an Esc
    // that closes a dialog does not also leave wall-only mode.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [wallOnly, single]);
  // The browser leaves its full screen on any Esc (one that closed a dialog too); wall-only mode
  // stays, filling the window, until Esc or F11 is pressed for it.
  useEffect(() => {
    if (wallOnly) void document.documentElement.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, [wallOnly]);

  // Esc leaves the single view.
  useEffect(() => {
    if (single === null) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') {
        setSingle(null);
        gridRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [single]);

  const startMark = useCallback(
    (cameraId: number | null, atMs: number) => {
      const camera = cameraId !== null ? byId.get(cameraId) : undefined;
      if (!camera) {
        setMarkNotice({ text: t('incidents.mark.noTarget'), ok: false });
        return;
      }
      setMarkNotice(null);
      setMarkTarget({ cameraId: camera.id, cameraName: camera.name, atMs });
    },
    [byId, t],
  );

  // M marks an incident: the time is taken at the key press, before anything else happens.
  useEffect(() => {
    if (!canMark || markTarget !== null) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'm' && e.key !== 'M') return;
      const atMs = Date.now();
      if (e.repeat || !isShortcut(e)) return;
      e.preventDefault();
      startMark(markCameraFor({ slots, layout, selected, single }, (id) => byId.has(id)), atMs);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canMark, markTarget, slots, layout, selected, single, byId, startMark]);

  const tree = useMemo(() => {
    const f = filter.trim().toLocaleLowerCase();
    const shown = (cameras ?? []).filter((c) => !f || `${c.name} ${c.site} ${c.groupName}`.toLocaleLowerCase().includes(f));
    return buildTree(shown, currentLocale());
  }, [cameras, filter]);
  const onWall = new Set(slots.slice(0, layout).filter((id): id is number => id !== null));
  const cols = columnsOf(layout);
  // The sub stream on small tiles, the main stream on a tile large enough to show more than the sub
  // stream has (chosen by the tile's size on screen); the operator may fix either.
  const tileWidth = gridWidth / cols;
  const wallStream: StreamKind = streamChoice === 'auto' ? (tileWidth >= MAIN_STREAM_MIN_TILE_PX ? 'main' : 'sub') : streamChoice;
  const singleCamera = single !== null ? byId.get(slots[single] ?? -1) ?? null : null;

  if (cameras === null) {
    return (
      <Stack h="100%" align="center" justify="center" data-testid="live-screen">
        {error ? <ErrorAlert error={error} testId="live-error" /> : <Loader size="sm" />}
      </Stack>
    );
  }

  return (
    <Group h="100%" gap="xs" wrap="nowrap" align="stretch" data-testid="live-screen" data-wall-only={String(wallOnly)}>
      {treeFolded && !wallOnly && (
        <Tooltip label={t('live.showCameras')} position="right" withinPortal>
          <ActionIcon variant="default" size="sm" data-testid="camera-tree-unfold" aria-label={t('live.showCameras')} onClick={() => setTreeFolded(false)}>
            »
          </ActionIcon>
        </Tooltip>
      )}
      <Stack w={240} gap={6} style={{ flex: 'none', minHeight: 0, display: treeFolded || wallOnly ? 'none' : undefined }} data-testid="camera-pane">
        <Group justify="space-between" gap={4} wrap="nowrap">
          <Text className="oc-nav-label">{t('live.cameras', { count: cameras.length })}</Text>
          <Tooltip label={t('live.hideCameras')} withinPortal>
            <ActionIcon variant="subtle" color="gray" size="sm" data-testid="camera-tree-fold" aria-label={t('live.hideCameras')} onClick={() => setTreeFolded(true)}>
              «
            </ActionIcon>
          </Tooltip>
        </Group>
        <TextInput size="xs" placeholder={t('live.filter')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} data-testid="camera-filter" aria-label={t('live.filter')} />
        {/* While the engine is lost the states below are old: greyed, as the tiles are covered. */}
        <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0, opacity: engineLost ? 0.4 : 1 }} type="auto" data-engine-lost={String(engineLost)}>
          <Box data-testid="camera-tree" role="tree" aria-label={t('live.treeLabel')} p={4}>
            {cameras.length === 0 && (
              <Text size="xs" c="dimmed" p="xs" data-testid="live-no-cameras">
                {t('live.noCameras')}
              </Text>
            )}
            {tree.map((site) => (
              <Box key={site.site} mb={6} role="group" aria-label={site.site}>
                <Text className="oc-nav-label" px={4} pt={4} data-testid="camera-tree-site">
                  {site.site}
                </Text>
                {site.groups.map((g) => (
                  <Box key={g.groupName} role="group" aria-label={g.groupName}>
                    <Text size="xs" c="dark.1" px={4} pt={2} fs="italic">
                      {g.groupName}
                    </Text>
                    {g.cameras.map((c) => {
                      const state = stateOf(c);
                      return (
                        <Group
                          key={c.id}
                          role="treeitem"
                          tabIndex={0}
                          draggable
                          gap={6}
                          wrap="nowrap"
                          px={6}
                          py={3}
                          className="oc-camera-item"
                          data-testid="camera-item"
                          data-camera-id={c.id}
                          data-state={state}
                          data-on-wall={String(onWall.has(c.id))}
                          title={t('live.itemHint')}
                          onDragStart={(e) => {
                            e.dataTransfer.setData(CAMERA_DRAG_TYPE, String(c.id));
                            e.dataTransfer.setData('text/plain', c.name);
                            e.dataTransfer.effectAllowed = 'copy';
                          }}
                          onKeyDown={(e) => onTreeKey(e, c.id)}
                          onDoubleClick={() => {
                            const next = place(selected, c.id);
                            setSelected(nextEmptyTile(next, layout, selected));
                          }}
                        >
                          <StateDot state={state} />
                          <Text size="xs" fw={onWall.has(c.id) ? 700 : 400} truncate="end" style={{ flex: 1, minWidth: 0 }}>
                            {c.name}
                          </Text>
                          <Text size="10px" c="dimmed" className="oc-nowrap" data-testid="camera-item-state">
                            {t(`live.state.${state}`)}
                          </Text>
                        </Group>
                      );
                    })}
                  </Box>
                ))}
              </Box>
            ))}
          </Box>
        </ScrollArea>
      </Stack>

      <Stack
        gap={6}
        style={wallOnly ? { position: 'fixed', inset: 0, zIndex: 150, background: '#000', padding: 4 } : { flex: 1, minWidth: 0, minHeight: 0 }}
        data-testid="wall-area"
      >
        {/* Above the shell's header and menu (z-index 100), below dialogs (200): M still opens the mark dialog. */}
        <Group justify="space-between" gap="xs" wrap="nowrap" style={wallOnly ? { display: 'none' } : undefined}>
          <WallPicker
            current={wallName}
            names={[...new Set([wallName, ...(walls.value?.walls ?? []).map((w) => w.name)])]}
            roomWalls={walls.value?.roomWalls ?? []}
            rooms={walls.value?.rooms ?? []}
            onOpen={(name) => openWall(name, false)}
            onOpenRoomWall={openRoomWall}
            onCreate={(name) => openWall(name, true)}
            onDelete={() => void deleteWall()}
            onPublish={canPublish ? (room, name) => void publishWall(room, name) : undefined}
            onRefresh={walls.reload}
          />
          <Group gap={4} wrap="nowrap" role="group" aria-label={t('live.layout')}>
            <Text size="xs" c="dimmed" mr={4}>
              {t('live.layout')}
            </Text>
            {WALL_LAYOUTS.map((l) => (
              <Button
                key={l}
                size="compact-xs"
                variant={l === layout ? 'filled' : 'default'}
                data-testid={`wall-layout-${l}`}
                aria-pressed={l === layout}
                aria-label={t('live.layoutN', { label: LAYOUT_LABELS[l] })}
                onClick={() => changeLayout(l)}
              >
                {LAYOUT_LABELS[l]}
              </Button>
            ))}
            <SegmentedControl
              size="xs"
              ml={6}
              data-testid="wall-stream"
              aria-label={t('live.stream.label')}
              value={streamChoice}
              onChange={(v) => setStreamChoice(v as 'auto' | StreamKind)}
              data={[
                { value: 'auto', label: t('live.stream.auto') },
                { value: 'sub', label: t('live.stream.sub') },
                { value: 'main', label: t('live.stream.main') },
              ]}
            />
            <Tooltip label={t('live.wallWindow')} withinPortal>
              <ActionIcon
                variant="default"
                size="md"
                ml={4}
                data-testid="wall-new-window"
                aria-label={t('live.wallWindow')}
                onClick={() => {
                  // Saved first: the new window reads the wall from the engine. Not `noopener`: a
                  // browser seat's new tab keeps the page's session storage (its seat key) that way.
                  save(wallName, layout, arrangements, true);
                  window.open(wallWindowUrl(location.href, wallName), '_blank');
                }}
              >
                <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6">
                  <path d="M5 1h8v6M1 5h8v8H1z" />
                </svg>
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('live.wallOnly')} withinPortal>
              <ActionIcon variant="default" size="md" ml={4} data-testid="wall-only" aria-label={t('live.wallOnly')} onClick={() => setWallOnly(true)}>
                <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6">
                  <path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9" />
                </svg>
              </ActionIcon>
            </Tooltip>
          </Group>
          {markNotice ? (
            <Text size="xs" fw={600} c={markNotice.ok ? 'green.4' : 'orange.4'} truncate="end" data-testid="live-mark-notice">
              {markNotice.text}
            </Text>
          ) : (
            <Text size="xs" c="dimmed" truncate="end" data-testid="live-hint">
              {single === null ? t('live.hint') : t('live.singleHint')}
            </Text>
          )}
        </Group>
        {saveError && (
          <Alert color="orange" py={4} data-testid="wall-save-error">
            {t('live.saveFailed')}
          </Alert>
        )}
        <Box style={{ position: 'relative', flex: 1, minHeight: 0 }}>
          {wallOnly && (
            <Tooltip label={t('live.leaveWallOnly')} withinPortal>
              <ActionIcon
                variant="filled"
                color="dark"
                size="md"
                data-testid="wall-only-leave"
                aria-label={t('live.leaveWallOnly')}
                onClick={() => setWallOnly(false)}
                style={{ position: 'absolute', top: 4, right: 4, zIndex: 5, opacity: 0.75 }}
              >
                ×
              </ActionIcon>
            </Tooltip>
          )}
          <Box
            ref={gridRefs}
            data-testid="wall-grid"
            data-layout={layout}
            tabIndex={0}
            role="grid"
            aria-label={t('live.wallLabel')}
            onKeyDown={onGridKey}
            style={{
              position: 'absolute',
              inset: 0,
              display: 'grid',
              gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
              gridTemplateRows: `repeat(${cols}, minmax(0, 1fr))`,
              gap: 2,
              outline: 'none',
              visibility: single === null ? 'visible' : 'hidden',
            }}
          >
            {Array.from({ length: layout }, (_, i) => {
              const id = slots[i] ?? null;
              return (
                <LiveTile
                  key={i}
                  index={i}
                  camera={id !== null ? byId.get(id) ?? null : null}
                  stream={wallStream}
                  status={status}
                  selected={i === selected && single === null}
                  single={false}
                  onSelect={(index) => {
                    setSelected(index);
                    // A click on a PTZ tile leaves the keys with the tile (arrows steer it, renderer/ptz/PtzLayer.tsx).
                    if (!document.activeElement?.closest('[data-ptz-layer]')) gridRef.current?.focus();
                  }}
                  onDropCamera={(index, cameraId) => {
                    if (!byId.has(cameraId)) return;
                    place(index, cameraId);
                    setSelected(index);
                  }}
                  onOpenSingle={(index) => setSingle(index)}
                  onMark={canMark ? (_index, atMs) => startMark(id, atMs) : undefined}
                  onReplay={replay}
                  ptz={ptz}
                />
              );
            })}
          </Box>
          {single !== null && singleCamera && (
            <Stack gap={4} style={{ position: 'absolute', inset: 0 }} data-testid="single-view-panel">
              <Group justify="space-between" gap="xs">
                <Text size="sm" fw={600}>
                  {singleCamera.name}
                  <Text span size="xs" c="dimmed" ml={8}>
                    {[singleCamera.site, singleCamera.groupName, singleCamera.location].filter(Boolean).join(' · ')}
                  </Text>
                </Text>
                <Tooltip label={t('live.backHint')}>
                  <Button
                    size="compact-xs"
                    variant="default"
                    data-testid="single-view-back"
                    onClick={() => {
                      setSingle(null);
                      gridRef.current?.focus();
                    }}
                  >
                    {t('live.backToWall')}
                  </Button>
                </Tooltip>
              </Group>
              <Box style={{ position: 'relative', flex: 1, minHeight: 0, display: 'grid' }}>
                <LiveTile
                  index={single}
                  camera={singleCamera}
                  stream="main"
                  status={status}
                  selected={false}
                  single
                  onMark={canMark ? (_index, atMs) => startMark(singleCamera.id, atMs) : undefined}
                  onReplay={replay}
                  ptz={ptz}
                />
              </Box>
            </Stack>
          )}
        </Box>
      </Stack>
      {markTarget && (
        <MarkIncidentModal
          cameraId={markTarget.cameraId}
          cameraName={markTarget.cameraName}
          atMs={markTarget.atMs}
          onClose={() => {
            setMarkTarget(null);
            gridRef.current?.focus();
          }}
          onMarked={(incident) => {
            setMarkTarget(null);
            setMarkNotice({ text: t('incidents.mark.done', { number: incident.number, camera: markTarget.cameraName }), ok: true });
            gridRef.current?.focus();
          }}
        />
      )}
    </Group>
  );
}
