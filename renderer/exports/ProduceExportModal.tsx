// Producing an approved export (issue 6 §3): copy without re-encoding (fastest, the picture as
// recorded, no burned-in time) or burn-in (wall-clock time, camera name and case reference in every
// frame; only this mode can apply redaction boxes). The engine runs it in the background; the
// request's drawer shows the progress.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Paper, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { MAX_REDACTIONS } from './exports-model';
import { boxProblem, toRedactions, type BoxDraft } from './redaction-model';
import { RedactionEditor } from './RedactionEditor';

type Mode = 'copy' | 'burn_in';

export function ProduceExportModal({ view, onClose, onStarted }: { view: ExportView; onClose: () => void; onStarted: (view: ExportView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const dataSubject = view.bodyType === 'data_subject';
  // A data subject's copy must not identify others (JON 19): that needs boxes, so burn-in first.
  const [mode, setMode] = useState<Mode>(dataSubject ? 'burn_in' : 'copy');
  const [boxes, setBoxes] = useState<BoxDraft[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const unfinished = mode === 'burn_in' && boxes.some((b) => boxProblem(b) !== null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (unfinished) return;
    setBusy(true);
    const r = await api.call('exports.produce', { exportId: view.id, mode, redactions: mode === 'burn_in' ? toRedactions(boxes) : [] });
    setBusy(false);
    if (r.ok) onStarted(r.value);
    else setError(r.error);
  };

  const option = (value: Mode) => (
    <Paper withBorder p="sm" bg={mode === value ? 'dark.5' : 'dark.7'} style={{ flex: 1, cursor: 'pointer' }} onClick={() => setMode(value)}>
      <Radio value={value} data-testid={`export-produce-mode-${value}`} label={<Text fw={600}>{t(`exports.mode.${value}`)}</Text>} description={t(`exports.modeHint.${value}`)} />
    </Paper>
  );

  return (
    <Modal opened onClose={onClose} title={t('exports.produce.title', { number: view.number })} size={mode === 'burn_in' ? 860 : 640} attributes={{ content: { 'data-testid': 'export-produce-modal' } }}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('exports.produce.intro')}
          </Text>
          <Radio.Group value={mode} onChange={(v) => setMode(v === 'burn_in' ? 'burn_in' : 'copy')}>
            <Group grow align="stretch">
              {option('copy')}
              {option('burn_in')}
            </Group>
          </Radio.Group>
          {dataSubject && (
            <Alert color="orange" py={6} data-testid="export-produce-data-subject">
              {t('exports.produce.dataSubject')}
            </Alert>
          )}
          {mode === 'burn_in' ? (
            <>
              <Text size="sm" fw={600}>
                {t('exports.redact.title', { count: boxes.length, max: MAX_REDACTIONS })}
              </Text>
              <RedactionEditor items={view.items} boxes={boxes} onChange={setBoxes} />
            </>
          ) : (
            <Text size="xs" c="dimmed" data-testid="export-produce-no-redaction">
              {t('exports.produce.copyNoRedaction')}
            </Text>
          )}
          {unfinished && (
            <Text size="xs" c="red.4" data-testid="export-produce-unfinished">
              {t('exports.redact.unfinished')}
            </Text>
          )}
          <ErrorAlert error={error} testId="export-produce-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={unfinished} data-testid="export-produce-submit">
              {t('exports.produce.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
