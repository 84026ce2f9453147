// Marking an incident on the live wall (issue 5 §4; KRK §1.16). The time is the moment the guard
// pressed M or the flag, captured by the caller, never the moment the form is saved: a guard may
// take a minute to write the note, and the incident must point at what was on the screen.
import { useState, type KeyboardEvent } from 'react';
import { Alert, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LIVE_MARK_MAX_AGE_MS, type IncidentView } from '../../shared/contract';
import { FormModal } from '../kit/FormModal';
import { useAction } from '../kit/use-action';
import { FlagIcon } from './FlagIcon';
import { formatLongDate, formatTimeOfDay } from '../kit/format-time';
import { MAX_NOTE } from './incidents-model';
import { activeCategoryOptions, useIncidentCategories } from './use-categories';

export function MarkIncidentModal({
  cameraId,
  cameraName,
  atMs,
  onClose,
  onMarked,
}: {
  cameraId: number;
  cameraName: string;
  /** When the key was pressed (epoch ms). */
  atMs: number;
  onClose: () => void;
  onMarked: (incident: IncidentView) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const { categories, error: loadError } = useIncidentCategories();
  const options = activeCategoryOptions(categories);
  const [chosen, setChosen] = useState<string | null>(null);
  const category = chosen ?? (options.length === 1 ? (options[0]?.value ?? null) : null);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [tooOld, setTooOld] = useState(false);

  const submit = async () => {
    setTried(true);
    if (!category) return;
    if (Date.now() - atMs > LIVE_MARK_MAX_AGE_MS) {
      setTooOld(true);
      return;
    }
    const incident = await action.run('incidents.mark', { cameraId, atMs, category, note });
    if (incident) onMarked(incident);
  };
  // Ctrl+Enter saves without reaching for the mouse; Enter alone is a new line.
  const saveKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  };

  return (
    <FormModal
      title={t('incidents.mark.title')}
      size={520}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('incidents.mark.submit')}
      submitColor="red"
      submitIcon={<FlagIcon />}
      submitDisabled={tooOld}
      busy={action.busy}
      error={loadError ?? action.error}
      testId="mark-incident-modal"
      submitTestId="mark-incident-submit"
      errorTestId="mark-incident-error"
    >
      <Paper withBorder bg="dark.8" px="md" py="sm">
        <Group gap="sm" wrap="nowrap" align="center">
          <Text c="red.5" style={{ display: 'flex' }}>
            <FlagIcon size={28} />
          </Text>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed">
              {t('incidents.mark.markedAt')}
            </Text>
            <Text fz={32} fw={700} ff="monospace" lh={1.1} data-testid="mark-incident-time" data-at-ms={atMs}>
              {formatTimeOfDay(atMs)}
            </Text>
            <Text size="xs" c="dimmed" truncate="end" data-testid="mark-incident-camera">
              {formatLongDate(atMs)} · {cameraName}
            </Text>
          </Stack>
        </Group>
      </Paper>
      <Select
        data-testid="mark-incident-category"
        label={t('incidents.fields.category')}
        placeholder={t('incidents.mark.categoryPlaceholder')}
        data={options}
        value={category}
        onChange={setChosen}
        error={tried && !category ? t('incidents.problems.category') : undefined}
        allowDeselect={false}
        searchable
        selectFirstOptionOnChange
        withAsterisk
        data-autofocus
        comboboxProps={{ withinPortal: true }}
      />
      <Textarea
        data-testid="mark-incident-note"
        label={t('incidents.fields.note')}
        description={t('incidents.mark.noteHint')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        onKeyDown={saveKey}
        autosize
        minRows={3}
        maxRows={8}
        maxLength={MAX_NOTE}
      />
      {tooOld && (
        <Alert color="orange" py={6} data-testid="mark-incident-too-old">
          {t('incidents.mark.tooOld', { minutes: LIVE_MARK_MAX_AGE_MS / 60_000 })}
        </Alert>
      )}
    </FormModal>
  );
}
