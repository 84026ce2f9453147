// An incident for a range of recorded footage, opened from playback (docs/design/playback.md "Incidents"). The range and
// the cameras come from the timeline; the user gives a category, a title and an optional note.
import { useState } from 'react';
import { Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../shared/contract';
import { requestLimits } from '../kit/contract-limits';
import { FormModal } from '../kit/FormModal';
import { TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import { useFieldForm } from '../kit/use-field-form';
import { CategorySelect, IncidentNoteInput, useCategoryChoice } from './CategorySelect';
import { formatIncidentTime } from './incidents-model';

/** How many cameras one incident may name (the contract's bound). */
const MAX_CAMERAS = requestLimits('incidents.create', 'cameraIds').max ?? 1;

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
  const { t } = useTranslation();
  const action = useAction();
  const choice = useCategoryChoice();
  const { category, loadError } = choice;
  const [cameraIds, setCameraIds] = useState<number[]>(() => cameras.slice(0, MAX_CAMERAS).map((c) => c.id));
  const form = useFieldForm('incidents.create', { title: '', note: '' }, (v) => ({
    category: !category,
    title: !v.title.trim() && t('incidents.problems.title'),
    cameras: cameraIds.length === 0 || cameraIds.length > MAX_CAMERAS,
    range: !(toMs > fromMs),
  }));

  const submit = async () => {
    if (!form.attempt() || !category) return;
    const incident = await action.run('incidents.create', { cameraIds, fromMs, toMs, category, ...form.values });
    if (incident) onCreated(incident);
  };

  const toggle = (id: number, on: boolean) => setCameraIds((prev) => (on ? [...prev.filter((c) => c !== id), id] : prev.filter((c) => c !== id)));

  return (
    <FormModal
      title={t('incidents.create.title')}
      size={560}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('incidents.create.submit')}
      busy={action.busy}
      error={loadError ?? action.error}
      errorContext="recording"
      testId="create-incident-modal"
      submitTestId="create-incident-submit"
      errorTestId="create-incident-error"
    >
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
        {form.shown('cameras') && (
          <Text size="xs" c="red.4" data-testid="create-incident-cameras-problem">
            {t('incidents.problems.cameras', { max: MAX_CAMERAS })}
          </Text>
        )}
      </Stack>
      <CategorySelect choice={choice} showMissing={form.tried} testId="create-incident-category" onEscape={onClose} />
      <TextField {...form.text('title', 'create-incident-title')} label={t('incidents.fields.title')} placeholder={t('incidents.create.titlePlaceholder')} withAsterisk data-autofocus />
      <IncidentNoteInput testId="create-incident-note" value={form.values.note} onChange={(note) => form.set('note', note)} />
      {form.shown('range') && (
        <Text size="xs" c="red.4" data-testid="create-incident-range-problem">
          {t('incidents.problems.range')}
        </Text>
      )}
    </FormModal>
  );
}
