// Producing an approved export (docs/design/exports.md "Production"): copy without re-encoding (fastest, the picture as
// recorded, no burned-in time) or burn-in (wall-clock time, camera name and case reference in every
// frame; only this mode can apply redaction boxes). The engine runs it in the background; the
// request's drawer shows the progress. A data subject's package (JON 19; docs/design/exports.md
// "Data-subject packages") also needs the producer's confirmation that the boxes cover every other
// person, or their attestation with a reason that nobody else is visible: the engine refuses it
// otherwise, this dialog says so first.
import { useState } from 'react';
import { Alert, Checkbox, Group, Paper, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import { FormModal } from '../kit/FormModal';
import { useAction } from '../kit/use-action';
import { MAX_REDACTIONS } from './exports-model';
import { boxProblem, toRedactions, type BoxDraft } from './redaction-model';
import { RedactionEditor } from './RedactionEditor';
import { ATTESTATION_LIMITS, canConfirmBoxes, dataSubjectFields, dataSubjectProblem, emptyDataSubjectDraft, type DataSubjectDraft } from './data-subject-model';

type Mode = 'copy' | 'burn_in';

export function ProduceExportModal({ view, onClose, onStarted }: { view: ExportView; onClose: () => void; onStarted: (view: ExportView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const dataSubject = view.bodyType === 'data_subject';
  // A data subject's copy must not identify others (JON 19): that needs boxes, so burn-in first.
  const [mode, setMode] = useState<Mode>(dataSubject ? 'burn_in' : 'copy');
  const [boxes, setBoxes] = useState<BoxDraft[]>([]);
  const unfinished = mode === 'burn_in' && boxes.some((b) => boxProblem(b) !== null);
  const [subject, setSubject] = useState<DataSubjectDraft>(emptyDataSubjectDraft);
  const boxCount = mode === 'burn_in' ? boxes.length : 0;
  const subjectProblem = dataSubject ? dataSubjectProblem(mode, boxCount, subject) : null;

  const submit = async () => {
    if (unfinished || subjectProblem) return;
    const redactions = mode === 'burn_in' ? toRedactions(boxes) : [];
    const next = await action.run('exports.produce', { exportId: view.id, mode, redactions, ...dataSubjectFields(dataSubject, mode, redactions.length, subject) });
    if (next) onStarted(next);
  };

  const option = (value: Mode) => (
    <Paper withBorder p="sm" bg={mode === value ? 'dark.5' : 'dark.7'} style={{ flex: 1, cursor: 'pointer' }} onClick={() => setMode(value)}>
      <Radio value={value} data-testid={`export-produce-mode-${value}`} label={<Text fw={600}>{t(`exports.mode.${value}`)}</Text>} description={t(`exports.modeHint.${value}`)} />
    </Paper>
  );

  return (
    <FormModal
      title={t('exports.produce.title', { number: view.number })}
      size={mode === 'burn_in' ? 860 : 640}
      intro={t('exports.produce.intro')}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('exports.produce.submit')}
      busy={action.busy}
      submitDisabled={unfinished || subjectProblem !== null}
      error={action.error}
      testId="export-produce-modal"
      submitTestId="export-produce-submit"
      errorTestId="export-produce-error"
    >
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
          <RedactionEditor exportId={view.id} items={view.items} boxes={boxes} onChange={setBoxes} />
        </>
      ) : (
        <Text size="xs" c="dimmed" data-testid="export-produce-no-redaction">
          {t('exports.produce.copyNoRedaction')}
        </Text>
      )}
      {dataSubject && (
        <Paper withBorder p="sm" bg="dark.7" data-testid="export-produce-others">
          <Stack gap={8}>
            <Text size="sm" fw={600}>
              {t('exports.produce.othersTitle')}
            </Text>
            {canConfirmBoxes(mode, boxCount) && (
              <Checkbox
                data-testid="export-produce-confirm-boxes"
                checked={subject.confirmBoxes}
                onChange={(e) => setSubject({ ...subject, confirmBoxes: e.currentTarget.checked })}
                label={t('exports.produce.confirmBoxes', { count: boxCount })}
              />
            )}
            <Checkbox
              data-testid="export-produce-attest"
              checked={subject.attest}
              onChange={(e) => setSubject({ ...subject, attest: e.currentTarget.checked })}
              label={t('exports.produce.attest')}
              description={t('exports.produce.attestHint')}
            />
            {subject.attest && (
              <Textarea
                data-testid="export-produce-attest-reason"
                label={t('exports.produce.attestReason')}
                description={t('exports.produce.attestReasonHint', { min: ATTESTATION_LIMITS.min })}
                placeholder={t('exports.produce.attestReasonPlaceholder')}
                value={subject.reason}
                onChange={(e) => setSubject({ ...subject, reason: e.currentTarget.value })}
                maxLength={ATTESTATION_LIMITS.max}
                autosize
                minRows={2}
                error={subjectProblem === 'reason' && subject.reason.trim().length > 0 ? t('exports.produce.attestReasonShort', { min: ATTESTATION_LIMITS.min }) : undefined}
              />
            )}
            {subjectProblem === 'choose' && (
              <Text size="xs" c="orange.4" data-testid="export-produce-others-missing">
                {t(canConfirmBoxes(mode, boxCount) ? 'exports.produce.othersMissing' : 'exports.produce.othersMissingNoBoxes')}
              </Text>
            )}
          </Stack>
        </Paper>
      )}
      {unfinished && (
        <Text size="xs" c="red.4" data-testid="export-produce-unfinished">
          {t('exports.redact.unfinished')}
        </Text>
      )}
    </FormModal>
  );
}
