// The administrators' privacy-mask editor for one camera (R7; KRK §6.2-6.3, JON 8-9;
// docs/design/privacy-masks.md): the camera's still with its permanent masks already blacked out by
// the engine (or a grey frame when it sends none), the masks drawn over it, a list to describe,
// change or delete them, saving the whole set as a new version with a reason, and the versions kept.
// Footage is always shown with the masks of its own time as well as the current ones, so a change
// here never uncovers older footage; the editor says so.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraAdminView, MaskVersionView } from '../../shared/contract';
import { MASK_KINDS, type MaskKind, type MaskPoint } from '../../shared/privacy-masks';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';
import { errorLines } from '../i18n/error-text';
import { formatDateTimeSeconds } from '../kit/format-time';
import { isTextEntry } from '../kit/keys';
import { ReasonModal } from '../kit/ReasonModal';
import { TextField } from '../kit/TextField';
import { useCommand } from '../kit/use-command';
import { MaskCanvas } from './MaskCanvas';
import { MAX_CORNERS, MAX_MASKS, MIN_CORNERS, changedFrom, draftsOf, labelOk, masksOf, newMask, type MaskDraft } from './mask-model';

/** The grey frame's proportions when the camera sends no picture. */
const GREY = { width: 1600, height: 900 };

export function MaskEditor({ camera, onClose }: { camera: Pick<CameraAdminView, 'id' | 'name'>; onClose: () => void }) {
  const { t } = useTranslation();
  const get = useCommand('masks.get', { cameraId: camera.id }, [camera.id]);
  const still = useCommand('masks.still', { cameraId: camera.id }, [camera.id]);
  const [drafts, setDrafts] = useState<MaskDraft[] | null>(null);
  const [selectedKey, setSelectedKey] = useState<number | null>(null);
  const [drawing, setDrawing] = useState<MaskPoint[] | null>(null);
  const [newKind, setNewKind] = useState<MaskKind>('permanent');
  const [tried, setTried] = useState(false);
  const [asking, setAsking] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);

  const current = get.value?.current ?? null;
  // The drafts start from the version in force, once it is known (set while rendering, as React
  // documents for state derived from an answer).
  if (get.value && drafts === null) setDrafts(draftsOf(get.value.current?.masks ?? []));

  const masks = drafts ?? [];
  const dirty = drafts !== null && changedFrom(drafts, current?.masks ?? []);
  const selectedIndex = masks.findIndex((m) => m.key === selectedKey);
  const unlabelled = masks.filter((m) => !labelOk(m.label));

  const finishOutline = () => {
    if (!drawing || drawing.length < MIN_CORNERS) return;
    const mask = newMask(newKind, drawing);
    setDrafts([...masks, mask]);
    setDrawing(null);
    setSelectedKey(mask.key);
    setSavedVersion(null);
  };

  // Enter closes the outline being drawn, Esc drops it (the dialog itself does not close on Esc, so
  // a half-drawn outline is never lost by the key that cancels it). Captured before a focused button
  // takes Enter as a click.
  useEffect(() => {
    if (!drawing) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTextEntry(e.target instanceof Element ? e.target : null)) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        e.stopPropagation();
        finishOutline();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setDrawing(null);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  const update = (key: number, patch: Partial<MaskDraft>) => {
    setDrafts(masks.map((m) => (m.key === key ? { ...m, ...patch } : m)));
    setSavedVersion(null);
  };
  const remove = (key: number) => {
    setDrafts(masks.filter((m) => m.key !== key));
    if (selectedKey === key) setSelectedKey(null);
    setSavedVersion(null);
  };

  const askReason = () => {
    setTried(true);
    const first = unlabelled[0];
    if (first) {
      setSelectedKey(first.key);
      return;
    }
    setDrawing(null);
    setAsking(true);
  };

  const saved = (version: MaskVersionView) => {
    setAsking(false);
    setTried(false);
    setDrafts(draftsOf(version.masks));
    setSelectedKey(null);
    setSavedVersion(version.version);
    get.setValue((v) => (v ? { ...v, current: version, history: [...v.history, version] } : v));
    get.reload();
    // The new permanent masks are blacked out in the next still.
    still.reload();
  };

  const requestClose = () => {
    if (dirty && !confirmClose) setConfirmClose(true);
    else onClose();
  };

  const picture = still.value ? { width: still.value.width, height: still.value.height, src: `data:image/jpeg;base64,${still.value.jpegBase64}` } : { ...GREY, src: null };
  const hint = drawing
    ? t(drawing.length >= MAX_CORNERS ? 'masks.hint.full' : 'masks.hint.drawing', { count: drawing.length, min: MIN_CORNERS })
    : selectedIndex >= 0
      ? t('masks.hint.selected', { n: selectedIndex + 1 })
      : masks.length >= MAX_MASKS
        ? t('masks.hint.tooMany', { max: MAX_MASKS })
        : t('masks.hint.idle');

  return (
    <Modal
      opened
      onClose={requestClose}
      closeOnEscape={false}
      closeOnClickOutside={false}
      size="calc(100vw - 48px)"
      title={<Title order={4}>{t('masks.title', { camera: camera.name })}</Title>}
      attributes={{ content: { 'data-testid': 'masks-editor', 'data-camera-id': String(camera.id) } }}
    >
      {drafts === null ? (
        get.error ? (
          <ErrorAlert error={get.error} testId="masks-load-error" />
        ) : (
          <Text size="sm" c="dimmed">
            {t('masks.loading')}
          </Text>
        )
      ) : (
        <Stack gap="sm">
          <Group align="flex-start" wrap="nowrap" gap="md">
            <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
              <MaskCanvas
                width={picture.width}
                height={picture.height}
                src={picture.src}
                greyText={t('masks.greyFrame')}
                masks={masks}
                selectedKey={selectedKey}
                drawing={drawing}
                canDraw={masks.length < MAX_MASKS}
                maxCorners={MAX_CORNERS}
                onSelect={setSelectedKey}
                onDrawing={setDrawing}
                onClose={finishOutline}
                onMoveCorner={(key, points) => update(key, { points })}
              />
              <Text size="xs" c={drawing ? 'yellow.4' : 'dimmed'} data-testid="masks-hint">
                {hint}
              </Text>
              <StillLine still={still.value} error={still.error} loading={still.loading} onRefresh={still.reload} />
            </Stack>
            <Stack gap="xs" w={380} style={{ flexShrink: 0 }}>
              <div>
                <Text size="xs" fw={600} mb={4}>
                  {t('masks.newKind')}
                </Text>
                <SegmentedControl
                  data-testid="masks-new-kind"
                  size="xs"
                  fullWidth
                  value={newKind}
                  onChange={(v) => setNewKind(v === 'liftable' ? 'liftable' : 'permanent')}
                  data={MASK_KINDS.map((k) => ({ value: k, label: t(`masks.kind.${k}`) }))}
                />
                <Text size="xs" c="dimmed" mt={4}>
                  {t(`masks.kindHint.${newKind}`)}
                </Text>
              </div>
              <Text size="sm" fw={600}>
                {t('masks.list', { count: masks.length, max: MAX_MASKS })}
              </Text>
              <ScrollArea.Autosize mah="calc(100vh - 520px)" type="auto" offsetScrollbars>
                <Stack gap={6} data-testid="masks-list">
                  {masks.length === 0 && (
                    <Text size="xs" c="dimmed" data-testid="masks-none">
                      {t('masks.none')}
                    </Text>
                  )}
                  {masks.map((m, i) => (
                    <MaskRow key={m.key} mask={m} n={i + 1} selected={m.key === selectedKey} showProblem={tried} onSelect={() => setSelectedKey(m.key)} onChange={(patch) => update(m.key, patch)} onDelete={() => remove(m.key)} />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
              <Alert color="blue" variant="light" p="xs" data-testid="masks-old-footage">
                <Text size="xs">{t('masks.oldFootage')}</Text>
                <Text size="xs" c="dimmed" mt={4}>
                  {t('masks.sameFit')}
                </Text>
              </Alert>
              {tried && unlabelled.length > 0 && (
                <Text size="xs" c="red.5" data-testid="masks-problem">
                  {t('masks.fixFirst')}
                </Text>
              )}
              {savedVersion !== null && (
                <Text size="sm" c="green.4" data-testid="masks-saved" data-version={savedVersion}>
                  {t('masks.saved', { version: savedVersion })}
                </Text>
              )}
              {confirmClose ? (
                <Paper withBorder p="xs" data-testid="masks-discard">
                  <Text size="xs" mb={6}>
                    {t('masks.discardQuestion')}
                  </Text>
                  <Group gap="xs" justify="flex-end">
                    <Button size="xs" variant="default" onClick={() => setConfirmClose(false)} data-testid="masks-keep-editing">
                      {t('masks.keepEditing')}
                    </Button>
                    <Button size="xs" color="red" onClick={onClose} data-testid="masks-discard-confirm">
                      {t('masks.discard')}
                    </Button>
                  </Group>
                </Paper>
              ) : (
                <Group gap="xs" justify="flex-end">
                  {dirty && (
                    <Badge color="yellow" variant="light" mr="auto" data-testid="masks-unsaved">
                      {t('masks.unsaved')}
                    </Badge>
                  )}
                  <Button variant="default" onClick={requestClose} data-testid="masks-close">
                    {t('masks.close')}
                  </Button>
                  <Button onClick={askReason} disabled={!dirty || drawing !== null} data-testid="masks-save">
                    {t('masks.save')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Group>
          <MaskHistory history={get.value?.history ?? []} />
        </Stack>
      )}
      {asking && (
        <ReasonModal
          command="masks.save"
          request={(reason) => ({ cameraId: camera.id, masks: masksOf(masks), reason })}
          onDone={saved}
          onClose={() => setAsking(false)}
          title={t('masks.reasonTitle', { camera: camera.name })}
          intro={t('masks.reasonIntro', { count: masks.length })}
          hintKey="masks.reasonHint"
          submitLabel={t('masks.saveSubmit')}
          testId="masks-reason-modal"
          inputTestId="masks-reason"
          submitTestId="masks-reason-submit"
          errorTestId="masks-save-error"
        />
      )}
    </Modal>
  );
}

function MaskRow({
  mask,
  n,
  selected,
  showProblem,
  onSelect,
  onChange,
  onDelete,
}: {
  mask: MaskDraft;
  n: number;
  selected: boolean;
  showProblem: boolean;
  onSelect: () => void;
  onChange: (patch: Partial<MaskDraft>) => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const missing = !labelOk(mask.label);
  return (
    <Paper
      withBorder
      p={6}
      bg={selected ? 'dark.5' : 'dark.7'}
      data-testid="masks-row"
      data-kind={mask.kind}
      data-selected={String(selected)}
      onClick={selected ? undefined : onSelect}
      style={{ cursor: selected ? undefined : 'pointer', borderColor: showProblem && missing ? 'var(--mantine-color-red-6)' : undefined }}
    >
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Text size="sm" fw={700} w={22} ta="right" style={{ flexShrink: 0 }}>
          {n}
        </Text>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <Badge size="sm" variant={mask.kind === 'permanent' ? 'filled' : 'outline'} color={mask.kind === 'permanent' ? 'dark' : 'yellow'} style={{ flexShrink: 0 }} data-testid="masks-row-kind">
              {t(`masks.kind.${mask.kind}`)}
            </Badge>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {t('masks.corners', { count: mask.points.length })}
            </Text>
          </Group>
          {selected ? (
            <Stack gap={6}>
              <SegmentedControl
                data-testid="masks-row-kind-choice"
                size="xs"
                fullWidth
                value={mask.kind}
                onChange={(v) => onChange({ kind: v === 'liftable' ? 'liftable' : 'permanent' })}
                data={MASK_KINDS.map((k) => ({ value: k, label: t(`masks.kind.${k}`) }))}
              />
              <TextField
                testId="masks-row-label"
                size="xs"
                label={t('masks.label')}
                placeholder={t('masks.labelPlaceholder')}
                value={mask.label}
                onChange={(label) => onChange({ label })}
                problem={showProblem && missing && t('masks.labelMissing')}
                limit={['masks.save', 'masks', '[]', 'label']}
                withAsterisk
                data-autofocus
                autoFocus={mask.label === ''}
              />
              <Group justify="flex-end">
                <Button size="compact-xs" color="red" variant="subtle" onClick={onDelete} data-testid="masks-row-delete">
                  {t('masks.delete')}
                </Button>
              </Group>
            </Stack>
          ) : (
            <Text size="xs" c={missing ? (showProblem ? 'red.5' : 'dimmed') : undefined} fs={missing ? 'italic' : undefined} data-testid="masks-row-label-text" style={{ overflowWrap: 'anywhere' }}>
              {missing ? t('masks.noLabel') : mask.label}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

/** What the picture is: a still and when it was taken, or why there is none. */
function StillLine({ still, error, loading, onRefresh }: { still: { capturedAtMs: number } | null; error: CommandError | null; loading: boolean; onRefresh: () => void }) {
  const { t } = useTranslation();
  const words = still
    ? t('masks.stillAt', { time: formatDateTimeSeconds(still.capturedAtMs) })
    : error
      ? error.kind === 'Unavailable' || error.kind === 'FailedPrecondition'
        ? t(`masks.noStill.${error.kind}`)
        : t('masks.noStill.other', { error: errorLines(t, error).join(' ') })
      : t('masks.loading');
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="xs" c={error && !still ? 'yellow.4' : 'dimmed'} style={{ flex: 1 }} data-testid="masks-still-line" data-error-kind={error?.kind}>
        {words}
      </Text>
      <Button size="compact-xs" variant="default" onClick={onRefresh} loading={loading} data-testid="masks-still-refresh" style={{ flexShrink: 0 }}>
        {t('masks.stillRefresh')}
      </Button>
    </Group>
  );
}

/** Every version of the camera's masks, newest first. */
function MaskHistory({ history }: { history: readonly MaskVersionView[] }) {
  const { t } = useTranslation();
  const rows = [...history].reverse();
  return (
    <Stack gap={4} data-testid="masks-history">
      <Title order={5}>{t('masks.history.title')}</Title>
      {rows.length === 0 ? (
        <Text size="xs" c="dimmed" data-testid="masks-history-none">
          {t('masks.history.none')}
        </Text>
      ) : (
        <Table striped withTableBorder verticalSpacing={4} fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={150}>{t('masks.history.version')}</Table.Th>
              <Table.Th w={170}>{t('masks.history.at')}</Table.Th>
              <Table.Th w={160}>{t('masks.history.by')}</Table.Th>
              <Table.Th w={70}>{t('masks.history.masks')}</Table.Th>
              <Table.Th>{t('masks.history.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((v, i) => (
              <Table.Tr key={v.version} data-testid="masks-history-row" data-version={v.version}>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Text size="xs" fw={600}>
                      {v.version}
                    </Text>
                    {i === 0 && (
                      <Badge size="xs" variant="light" color="green" style={{ flexShrink: 0, overflow: 'visible' }}>
                        {t('masks.history.current')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeSeconds(v.createdAtMs)}</Table.Td>
                <Table.Td>{v.createdBy}</Table.Td>
                <Table.Td data-testid="masks-history-count">{v.masks.length}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{v.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
