// "Report a breach", in the top bar for every signed-in user (JON 21): one dialog, one step — what
// happened, when it was discovered, which cameras or records. The engine tells the data protection
// officer and the supervisors at once; the reporter gets the record's reference.
import { useState } from 'react';
import { Button, MultiSelect, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { fieldAccepts, textLimits } from '../kit/contract-limits';
import { DateTimeInput } from '../kit/DateTimeInput';
import { fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { TextAreaField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import { useCameraOptions } from '../kit/use-camera-options';
import { useNow } from './BreachClockBadge';

export function ReportBreachButton({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reported, setReported] = useState<string | null>(null);
  return (
    <>
      {reported && (
        <Text size="xs" c="green.4" data-testid="breach-reported">
          {t('breaches.report.done', { reference: reported })}
        </Text>
      )}
      <Button variant="light" color="red" data-testid="report-breach-button" onClick={() => setOpen(true)}>
        {t('breaches.report.button')}
      </Button>
      {open && (
        <ReportBreachModal
          canWatch={session.permissions.includes('live.view')}
          onClose={() => setOpen(false)}
          onDone={(reference) => {
            setOpen(false);
            setReported(reference);
          }}
        />
      )}
    </>
  );
}

function ReportBreachModal({ canWatch, onClose, onDone }: { canWatch: boolean; onClose: () => void; onDone: (reference: string) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const cameras = useCameraOptions(canWatch);
  const [what, setWhat] = useState('');
  const [discovered, setDiscovered] = useState(() => toLocalDateTimeInput(Date.now()));
  const [cameraIds, setCameraIds] = useState<string[]>([]);
  const [records, setRecords] = useState('');
  const [tried, setTried] = useState(false);
  const whatBounds = textLimits('breaches.report', 'what');
  const now = useNow(10_000);
  const discoveredAtMs = fromLocalDateTimeInput(discovered);
  const problems = {
    what: !fieldAccepts('breaches.report', ['what'], what) && t('breaches.report.problems.what', whatBounds),
    discovered: (discoveredAtMs === null || discoveredAtMs > now + 60_000) && t('breaches.report.problems.discovered'),
  };

  const submit = async () => {
    setTried(true);
    if (problems.what || problems.discovered || discoveredAtMs === null) return;
    const r = await action.run('breaches.report', {
      what,
      discoveredAtMs,
      ...(cameraIds.length ? { cameraIds: cameraIds.map(Number) } : {}),
      ...(records.trim() ? { records } : {}),
    });
    if (r) onDone(r.reference);
  };

  return (
    <FormModal
      title={t('breaches.report.title')}
      intro={t('breaches.report.intro')}
      size={620}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('breaches.report.submit')}
      submitColor="red"
      busy={action.busy}
      error={action.error}
      formTestId="breach-report-form"
      submitTestId="breach-report-submit"
      errorTestId="breach-report-error"
    >
      <TextAreaField testId="breach-report-what" value={what} onChange={setWhat} problem={tried && problems.what} limit={['breaches.report', 'what']} label={t('breaches.fields.what')} placeholder={t('breaches.report.whatPlaceholder')} withAsterisk minRows={3} data-autofocus />
      <DateTimeInput kind="datetime" testId="breach-report-discovered" value={discovered} onChange={setDiscovered} problem={tried && problems.discovered} label={t('breaches.fields.discoveredAt')} description={t('breaches.report.discoveredHint')} withAsterisk />
      {cameras.watchable.length > 0 && (
        <MultiSelect data-testid="breach-report-cameras" label={t('breaches.fields.cameras')} data={cameras.watchable} value={cameraIds} onChange={setCameraIds} searchable clearable comboboxProps={{ withinPortal: true }} />
      )}
      <TextAreaField testId="breach-report-records" value={records} onChange={setRecords} limit={['breaches.report', 'records']} label={t('breaches.fields.records')} placeholder={t('breaches.report.recordsPlaceholder')} minRows={2} />
    </FormModal>
  );
}
