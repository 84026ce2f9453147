// Marking an incident on the live wall (docs/design/playback.md "Incidents"; KRK §1.16). The time is the moment the guard
// pressed M or the flag, captured by the caller, never the moment the form is saved: a guard may
// take a minute to write the note, and the incident must point at what was on the screen.
import { useState, type KeyboardEvent } from 'react';
import { Alert, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LIVE_MARK_MAX_AGE_MS, type IncidentView } from '../../shared/contract';
import { FormModal } from '../kit/FormModal';
import { useAction } from '../kit/use-action';
import { formatLongDate, formatTimeOfDay } from '../kit/format-time';
import { CategorySelect, IncidentNoteInput, useCategoryChoice } from './CategorySelect';
import { FlagIcon } from './FlagIcon';

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
  const choice = useCategoryChoice();
  const { category, loadError } = choice;
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
      <CategorySelect choice={choice} showMissing={tried} testId="mark-incident-category" autoFocus onEscape={onClose} />
      <IncidentNoteInput testId="mark-incident-note" value={note} onChange={setNote} description={t('incidents.mark.noteHint')} onKeyDown={saveKey} />
      {tooOld && (
        <Alert color="orange" py={6} data-testid="mark-incident-too-old">
          {t('incidents.mark.tooOld', { minutes: LIVE_MARK_MAX_AGE_MS / 60_000 })}
        </Alert>
      )}
    </FormModal>
  );
}
