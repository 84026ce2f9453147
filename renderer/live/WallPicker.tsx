// The guard's named walls: which one is shown, a new one, deleting the one shown. Each wall keeps
// every layout's arrangement (wall-model.ts); the engine stores them per user (walls.save).
import { useState } from 'react';
import { ActionIcon, Button, Group, Modal, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../kit/FormModal';
import { TextField } from '../kit/TextField';
import { DEFAULT_WALL } from './wall-model';

export function WallPicker({
  current,
  names,
  onOpen,
  onCreate,
  onDelete,
}: {
  current: string;
  names: readonly string[];
  onOpen: (name: string) => void;
  onCreate: (name: string) => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(false);
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
        data={[...names].sort((a, b) => (a === DEFAULT_WALL ? -1 : b === DEFAULT_WALL ? 1 : a.localeCompare(b))).map((n) => ({ value: n, label: label(n) }))}
        value={current}
        allowDeselect={false}
        onChange={(v) => v && v !== current && onOpen(v)}
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
