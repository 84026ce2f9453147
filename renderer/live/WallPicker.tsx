// The guard's named walls: which one is shown, a new one, deleting the one shown. Each wall keeps
// every layout's arrangement (wall-model.ts); the engine stores them per user (walls.save). Below
// them, the walls a supervisor published for this seat's room: opening one copies it into the
// user's own walls under its name. A supervisor publishes the wall shown for a room (walls.publish).
import { useState } from 'react';
import { ActionIcon, Autocomplete, Button, Group, Modal, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../kit/FormModal';
import { TextField } from '../kit/TextField';
import { DEFAULT_WALL } from './wall-model';

/** Select values of room walls: a prefix no own wall name can have (names are visible text). */
const ROOM_VALUE = '\u0000room\u0000';

export function WallPicker({
  current,
  names,
  roomWalls = [],
  rooms = [],
  onOpen,
  onOpenRoomWall,
  onCreate,
  onDelete,
  onPublish,
  onRefresh,
}: {
  current: string;
  names: readonly string[];
  roomWalls?: readonly { room: string; name: string; publishedBy: string }[];
  /** Rooms a wall can be published for; `onPublish` only for those who may publish. */
  rooms?: readonly string[];
  onOpen: (name: string) => void;
  onOpenRoomWall?: (room: string, name: string) => void;
  onCreate: (name: string) => void;
  onDelete: () => void;
  onPublish?: (room: string, name: string) => void;
  /** Asked when the list opens: a wall published for the room a moment ago is offered at once. */
  onRefresh?: () => void;
}) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [room, setRoom] = useState('');
  const [name, setName] = useState('');
  const label = (n: string) => (n === DEFAULT_WALL ? t('live.walls.defaultName') : n);
  const trimmed = name.trim();
  const taken = names.includes(trimmed) || (trimmed !== '' && label(DEFAULT_WALL) === trimmed);
  const problem = trimmed === '' ? null : taken ? t('live.walls.nameTaken') : null;

  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        w={170}
        aria-label={t('live.walls.label')}
        data-testid="wall-select"
        data={[
          { group: t('live.walls.mine'), items: [...names].sort((a, b) => (a === DEFAULT_WALL ? -1 : b === DEFAULT_WALL ? 1 : a.localeCompare(b))).map((n) => ({ value: n, label: label(n) })) },
          ...[...new Set(roomWalls.map((w) => w.room))].map((r) => ({
            group: t('live.walls.room', { room: r }),
            items: roomWalls.filter((w) => w.room === r).map((w) => ({ value: `${ROOM_VALUE}${w.room}${ROOM_VALUE}${w.name}`, label: w.name })),
          })),
        ]}
        value={current}
        allowDeselect={false}
        onDropdownOpen={onRefresh}
        onChange={(v) => {
          if (!v || v === current) return;
          if (!v.startsWith(ROOM_VALUE)) return onOpen(v);
          const [, r = '', n = ''] = v.split(ROOM_VALUE);
          onOpenRoomWall?.(r, n);
        }}
        comboboxProps={{ withinPortal: true }}
      />
      <Tooltip label={t('live.walls.new')} withinPortal>
        <ActionIcon size="md" variant="default" data-testid="wall-new" aria-label={t('live.walls.new')} onClick={() => (setName(''), setCreating(true))}>
          +
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('live.walls.delete')} withinPortal>
        <ActionIcon size="md" variant="default" color="red" data-testid="wall-delete" aria-label={t('live.walls.delete')} onClick={() => setDeleting(true)}>
          ×
        </ActionIcon>
      </Tooltip>

      {onPublish && (
        <Tooltip label={t('live.walls.publish')} withinPortal>
          <ActionIcon size="md" variant="default" data-testid="wall-publish" aria-label={t('live.walls.publish')} onClick={() => (setName(label(current)), setRoom(rooms[0] ?? ''), setPublishing(true))}>
            ⇪
          </ActionIcon>
        </Tooltip>
      )}

      {publishing && onPublish && (
        <FormModal
          title={t('live.walls.publish')}
          onClose={() => setPublishing(false)}
          onSubmit={(e) => {
            e.preventDefault();
            if (trimmed === '' || room.trim() === '') return;
            setPublishing(false);
            onPublish(room.trim(), trimmed);
          }}
          submitLabel={t('live.walls.publishSubmit')}
          submitDisabled={trimmed === '' || room.trim() === ''}
          testId="wall-publish-modal"
          submitTestId="wall-publish-submit"
        >
          <Text size="xs" c="dimmed">
            {t('live.walls.publishHint')}
          </Text>
          <Autocomplete label={t('live.walls.publishRoom')} data-testid="wall-publish-room" data={[...rooms]} value={room} onChange={setRoom} maxLength={64} comboboxProps={{ withinPortal: true }} />
          <TextField label={t('live.walls.name')} testId="wall-publish-name" value={name} onChange={setName} problem={null} limit={['walls.publish', 'name']} />
        </FormModal>
      )}
      {creating && (
        <FormModal
          title={t('live.walls.new')}
          onClose={() => setCreating(false)}
          onSubmit={(e) => {
            e.preventDefault();
            if (trimmed === '' || taken) return;
            setCreating(false);
            onCreate(trimmed);
          }}
          submitLabel={t('live.walls.create')}
          submitDisabled={trimmed === '' || taken}
          testId="wall-new-modal"
          submitTestId="wall-new-submit"
        >
          <TextField label={t('live.walls.name')} testId="wall-new-name" value={name} onChange={setName} problem={problem} limit={['walls.save', 'name']} data-autofocus />
        </FormModal>
      )}
      {deleting && (
        <Modal opened onClose={() => setDeleting(false)} title={t('live.walls.delete')} data-testid="wall-delete-modal">
          <Stack gap="sm">
            <Text size="sm">{t('live.walls.deleteConfirm', { name: label(current) })}</Text>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setDeleting(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                data-testid="wall-delete-submit"
                onClick={() => {
                  setDeleting(false);
                  onDelete();
                }}
              >
                {t('live.walls.delete')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Group>
  );
}
