// Acknowledging an event alarm (alarms.acknowledge): the kit's reason dialog with the contract's
// bounds of the note; the engine checks again that the caller may and did not cause it, and
// records the note in the audit log (R4, KRK §5.4.5).
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';
import { ReasonModal } from '../kit/ReasonModal';
import { alarmWording } from './alarm-model';

/** `onDone` gets the acknowledged alarm after the dialog was closed (`onClose`). */
export function AcknowledgeAlarmModal({ alarm, viewer, onDone, onClose }: { alarm: AlarmView; viewer: string; onDone: (alarm: AlarmView) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const wording = alarmWording(t, alarm, viewer);
  const critical = alarm.severity === 'critical';
  return (
    <ReasonModal
      command="alarms.acknowledge"
      field="note"
      request={(note) => ({ alarmId: alarm.id, note })}
      onDone={(closed) => {
        onClose();
        onDone(closed);
      }}
      onClose={onClose}
      title={t('alarms.ack.title', { kind: wording.title })}
      intro={t(alarm.kind === 'audit.anchor' ? 'alarms.ack.introAnchor' : 'alarms.ack.intro')}
      label={t('alarms.ack.label')}
      hintKey="alarms.ack.hint"
      submitLabel={t('alarms.ack.submit')}
      submitColor={critical ? 'red' : undefined}
      size={600}
      testId="alarm-ack-dialog"
      formTestId="alarm-ack-form"
      inputTestId="alarm-ack-note"
      submitTestId="alarm-ack-submit"
      errorTestId="alarm-ack-error"
      cancelTestId="alarm-ack-cancel"
      contentAttributes={{ 'data-alarm-id': String(alarm.id), 'data-kind': alarm.kind }}
    >
      <Alert color={critical ? 'red' : 'yellow'} variant="light" py={6} data-testid="alarm-ack-text">
        <Text size="sm">{wording.text}</Text>
        <Text size="xs" c="dimmed" mt={2}>
          {t('alarms.strip.raised', { at: formatDateTime(alarm.raisedAtMs) })}
        </Text>
      </Alert>
    </ReasonModal>
  );
}
