// Recording a data-subject request and its first steps (docs/design/subject-requests.md): the
// request itself (what, when received and how, the requester's name and one contact, the footage
// concerned, the identity check if done at once), the identity check later, and the one extension of
// the month's deadline (GDPR art. 12(3)). The engine checks every rule again.
import { useState } from 'react';
import { Checkbox, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IDENTITY_METHODS, SUBJECT_REQUEST_CHANNELS, SUBJECT_REQUEST_KINDS, type SubjectRequestView } from '../../shared/contract';
import { fieldAccepts, textLimits } from '../kit/contract-limits';
import { DateTimeInput } from '../kit/DateTimeInput';
import { formatDate, fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';

type Done = (r: SubjectRequestView) => void;
type Kind = SubjectRequestView['kind'];
type Channel = SubjectRequestView['channel'];
type Method = (typeof IDENTITY_METHODS)[number];

function IdentityFields({ method, setMethod, checkedBy, setCheckedBy, note, setNote, tried, command }: {
  method: Method;
  setMethod: (m: Method) => void;
  checkedBy: string;
  setCheckedBy: (s: string) => void;
  note: string;
  setNote: (s: string) => void;
  tried: boolean;
  command: 'subjects.verifyIdentity' | 'subjects.record';
}) {
  const { t } = useTranslation();
  const path = command === 'subjects.record' ? ['identity'] : [];
  return (
    <>
      <Group grow align="flex-start">
        <Select
          label={t('subjects.identity.method')}
          data-testid="subject-identity-method"
          allowDeselect={false}
          value={method}
          onChange={(v) => v && setMethod(v as Method)}
          data={IDENTITY_METHODS.map((m) => ({ value: m, label: t(`subjects.identityMethod.${m}`) }))}
          comboboxProps={{ withinPortal: true }}
        />
        <TextField
          testId="subject-identity-checked-by"
          value={checkedBy}
          onChange={setCheckedBy}
          problem={tried && !checkedBy.trim() && t('subjects.record.problems.required')}
          limit={[command, ...path, 'checkedBy']}
          label={t('subjects.identity.checkedBy')}
          placeholder={t('subjects.identity.checkedByPlaceholder')}
          withAsterisk
        />
      </Group>
      <TextField testId="subject-identity-note" value={note} onChange={setNote} limit={[command, ...path, 'note']} label={t('subjects.identity.note')} />
    </>
  );
}

export function RecordRequestModal({ onClose, onDone }: { onClose: () => void; onDone: Done }) {
  const { t } = useTranslation();
  const action = useAction();
  const [kind, setKind] = useState<Kind>('copy');
  const [received, setReceived] = useState(() => toLocalDateTimeInput(Date.now()));
  const [channel, setChannel] = useState<Channel>('letter');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [footage, setFootage] = useState('');
  const [identityNow, setIdentityNow] = useState(false);
  const [method, setMethod] = useState<Method>('id_document');
  const [checkedBy, setCheckedBy] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const receivedAtMs = fromLocalDateTimeInput(received);
  const required = t('subjects.record.problems.required');
  const problems = {
    received: receivedAtMs === null && t('subjects.record.problems.receivedAt'),
    name: !name.trim() && required,
    contact: !contact.trim() && required,
    checkedBy: identityNow && !checkedBy.trim(),
  };
  const submit = async () => {
    setTried(true);
    if (receivedAtMs === null || problems.name || problems.contact || problems.checkedBy) return;
    const r = await action.run('subjects.record', {
      kind,
      receivedAtMs,
      channel,
      requesterName: name,
      requesterContact: contact,
      ...(footage.trim() ? { footage } : {}),
      ...(identityNow ? { identity: { method, checkedBy, ...(note.trim() ? { note } : {}) } } : {}),
    });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.record.title')}
      intro={t('subjects.record.intro')}
      size={620}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.record.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="subject-record-form"
      submitTestId="subject-record-submit"
      errorTestId="subject-record-error"
    >
      <Stack gap={4}>
        <Select
          label={t('subjects.fields.kind')}
          data-testid="subject-record-kind"
          allowDeselect={false}
          value={kind}
          onChange={(v) => v && setKind(v as Kind)}
          data={SUBJECT_REQUEST_KINDS.map((k) => ({ value: k, label: t(`subjects.kind.${k}`) }))}
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="xs" c="dimmed" data-testid="subject-record-kind-hint">
          {t(`subjects.kindHint.${kind}`)}
        </Text>
      </Stack>
      <Group grow align="flex-start">
        <DateTimeInput kind="datetime" testId="subject-record-received" value={received} onChange={setReceived} problem={tried && problems.received} label={t('subjects.record.receivedAt')} withAsterisk />
        <Select
          label={t('subjects.fields.channel')}
          data-testid="subject-record-channel"
          allowDeselect={false}
          value={channel}
          onChange={(v) => v && setChannel(v as Channel)}
          data={SUBJECT_REQUEST_CHANNELS.map((c) => ({ value: c, label: t(`subjects.channel.${c}`) }))}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <Group grow align="flex-start">
        <TextField testId="subject-record-name" value={name} onChange={setName} problem={tried && problems.name} limit={['subjects.record', 'requesterName']} label={t('subjects.fields.requester')} placeholder={t('subjects.record.namePlaceholder')} withAsterisk />
        <TextField testId="subject-record-contact" value={contact} onChange={setContact} problem={tried && problems.contact} limit={['subjects.record', 'requesterContact']} label={t('subjects.fields.contact')} placeholder={t('subjects.record.contactPlaceholder')} withAsterisk />
      </Group>
      <TextField testId="subject-record-footage" value={footage} onChange={setFootage} limit={['subjects.record', 'footage']} label={t('subjects.fields.footage')} placeholder={t('subjects.record.footagePlaceholder')} />
      <Checkbox data-testid="subject-record-identity-now" checked={identityNow} onChange={(e) => setIdentityNow(e.currentTarget.checked)} label={t('subjects.record.identityNow')} />
      {identityNow && <IdentityFields {...{ method, setMethod, checkedBy, setCheckedBy, note, setNote, tried }} command="subjects.record" />}
    </FormModal>
  );
}

export function IdentityModal({ request, onClose, onDone }: { request: SubjectRequestView; onClose: () => void; onDone: Done }) {
  const { t } = useTranslation();
  const action = useAction();
  const [method, setMethod] = useState<Method>('id_document');
  const [checkedBy, setCheckedBy] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const submit = async () => {
    setTried(true);
    if (!checkedBy.trim()) return;
    const r = await action.run('subjects.verifyIdentity', { requestId: request.id, method, checkedBy, ...(note.trim() ? { note } : {}) });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.identity.title', { reference: request.reference })}
      intro={t('subjects.identity.intro')}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.identity.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="subject-identity-form"
      submitTestId="subject-identity-submit"
      errorTestId="subject-identity-error"
    >
      <IdentityFields {...{ method, setMethod, checkedBy, setCheckedBy, note, setNote, tried }} command="subjects.verifyIdentity" />
    </FormModal>
  );
}

export function ExtendModal({ request, onClose, onDone }: { request: SubjectRequestView; onClose: () => void; onDone: Done }) {
  const { t } = useTranslation();
  const action = useAction();
  const [months, setMonths] = useState<1 | 2>(2);
  const [reason, setReason] = useState('');
  const [told, setTold] = useState(() => toLocalDateTimeInput(Date.now()));
  const [tried, setTried] = useState(false);
  const toldAtMs = fromLocalDateTimeInput(told);
  const bounds = textLimits('subjects.extend', 'reason');
  const problems = {
    reason: !fieldAccepts('subjects.extend', ['reason'], reason) && t('subjects.extend.problems.reason', bounds),
    told: toldAtMs === null && t('subjects.extend.problems.toldAt'),
  };
  const submit = async () => {
    setTried(true);
    if (problems.reason || toldAtMs === null) return;
    const r = await action.run('subjects.extend', { requestId: request.id, months, reason, toldRequesterAtMs: toldAtMs });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.extend.title', { reference: request.reference })}
      intro={t('subjects.extend.intro', { date: formatDate(request.deadline.dueMs) })}
      size={560}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.extend.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="subject-extend-form"
      submitTestId="subject-extend-submit"
      errorTestId="subject-extend-error"
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('subjects.extend.months')}</Text>
        <SegmentedControl
          data-testid="subject-extend-months"
          value={String(months)}
          onChange={(v) => setMonths(v === '1' ? 1 : 2)}
          data={[
            { value: '1', label: t('subjects.extend.month1') },
            { value: '2', label: t('subjects.extend.month2') },
          ]}
        />
      </Stack>
      <TextAreaField testId="subject-extend-reason" value={reason} onChange={setReason} problem={tried && problems.reason} limit={['subjects.extend', 'reason']} label={t('subjects.extend.reason')} withAsterisk minRows={3} />
      <DateTimeInput kind="datetime" testId="subject-extend-told" value={told} onChange={setTold} problem={tried && problems.told} label={t('subjects.extend.toldAt')} withAsterisk />
    </FormModal>
  );
}
