// An incident for a range of recorded footage, opened from playback (issue 5 §4). The range and
// the cameras come from the timeline; the user gives a category, a title and an optional note.
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatIncidentTime } from './incident-format';
import { MAX_NOTE, MAX_TITLE } from './incidents-model';
import { activeCategoryOptions, useIncidentCategories } from './use-categories';

/** incidents.create takes at most four cameras. */
const MAX_CAMERAS = 4;

export function CreateIncidentModal({
  cameras,
  fromMs,
  toMs,
  onClose,
  onCreated,
}: {
  cameras: { id: number; name: string }[];
  fromMs: number;
  toMs: number;
  onClose: () => void;
  onCreated: (incident: IncidentView) => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const { categories, error: loadError } = useIncidentCategories();
  const options = activeCategoryOptions(categories);
  const [chosen, setChosen] = useState<string | null>(null);
  const category = chosen ?? (options.length === 1 ? (options[0]?.value ?? null) : null);
  const [cameraIds, setCameraIds] = useState<number[]>(() => cameras.slice(0, MAX_CAMERAS).map((c) => c.id));
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  const problems = {
    category: !category,
    title: !title.trim(),
    cameras: cameraIds.length === 0 || cameraIds.length > MAX_CAMERAS,
    range: !(toMs > fromMs),
  };
  const valid = !Object.values(problems).some(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!valid || !category) return;
    setBusy(true);
    const r = await api.call('incidents.create', { cameraIds, fromMs, toMs, category, title, note });
    setBusy(false);
    if (r.ok) onCreated(r.value);
    else setError(r.error);
  };

  const toggle = (id: number, on: boolean) => setCameraIds((prev) => (on ? [...prev.filter((c) => c !== id), id] : prev.filter((c) => c !== id)));

  return (
    <Modal opened onClose={onClose} title={t('incidents.create.title')} size={560} attributes={{ content: { 'data-testid': 'create-incident-modal' } }}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Paper withBorder bg="dark.8" px="sm" py={6}>
            <Text size="xs" c="dimmed">
              {t('incidents.fields.time')}
            </Text>
            <Text fw={600} ff="monospace" data-testid="create-incident-range">
              {formatIncidentTime({ startMs: fromMs, endMs: toMs })}
            </Text>
          </Paper>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('incidents.fields.cameras')}
            </Text>
            <Group gap="md">
              {cameras.map((c) => (
                <Checkbox
                  key={c.id}
                  data-testid={`create-incident-camera-${c.id}`}
                  label={c.name}
                  checked={cameraIds.includes(c.id)}
                  onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                />
              ))}
            </Group>
            {tried && problems.cameras && (
              <Text size="xs" c="red.4" data-testid="create-incident-cameras-problem">
                {t('incidents.problems.cameras', { max: MAX_CAMERAS })}
              </Text>
            )}
          </Stack>
          <Select
            data-testid="create-incident-category"
            label={t('incidents.fields.category')}
            placeholder={t('incidents.mark.categoryPlaceholder')}
            data={options}
            value={category}
            onChange={setChosen}
            error={tried && problems.category ? t('incidents.problems.category') : undefined}
            allowDeselect={false}
            searchable
            selectFirstOptionOnChange
            withAsterisk
          />
          <TextInput
            data-testid="create-incident-title"
            label={t('incidents.fields.title')}
            placeholder={t('incidents.create.titlePlaceholder')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={tried && problems.title ? t('incidents.problems.title') : undefined}
            maxLength={MAX_TITLE}
            withAsterisk
            data-autofocus
          />
          <Textarea
            data-testid="create-incident-note"
            label={t('incidents.fields.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={8}
            maxLength={MAX_NOTE}
          />
          {tried && problems.range && (
            <Text size="xs" c="red.4" data-testid="create-incident-range-problem">
              {t('incidents.problems.range')}
            </Text>
          )}
          <ErrorAlert error={loadError ?? error} context="recording" testId="create-incident-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="create-incident-submit">
              {t('incidents.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
