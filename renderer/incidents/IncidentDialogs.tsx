// Closing and reopening an incident (issue 5 §4): both need a reason of at least ten characters,
// which the engine writes to the incident's history and to the audit log.
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { MAX_INCIDENT_REASON, MIN_INCIDENT_REASON, reasonOk } from './incidents-model';

export type StatusChange = 'close' | 'reopen';

export function IncidentReasonModal({
  incident,
  change,
  onClose,
  onDone,
}: {
  incident: IncidentView;
  change: StatusChange;
  onClose: () => void;
  onDone: (incident: IncidentView) => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const ready = reasonOk(reason);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    const r = await api.call(change === 'close' ? 'incidents.close' : 'incidents.reopen', { incidentId: incident.id, reason });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t(`incidents.${change}.title`, { number: incident.number })} size={520} attributes={{ content: { 'data-testid': 'incident-reason-modal' } }}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t(`incidents.${change}.intro`)}
          </Text>
          <Textarea
            data-testid="incident-reason-input"
            label={t('incidents.fields.reason')}
            description={t('incidents.reasonHint', { min: MIN_INCIDENT_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={MAX_INCIDENT_REASON}
            withAsterisk
            data-autofocus
          />
          <ErrorAlert error={error} testId="incident-reason-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={change === 'close' ? 'red' : undefined} loading={busy} disabled={!ready} data-testid="incident-reason-submit">
              {t(`incidents.${change}.submit`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
