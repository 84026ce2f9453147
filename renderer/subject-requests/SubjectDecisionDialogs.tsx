// The decision on a data-subject request and what follows it (docs/design/subject-requests.md): the
// decision (a refusal, whole or partial, with its reason and the remedies told; a fee only with its
// reason: BRN 16.2, 16.5), the answer to the requester (JON 20: with the time to come), a link to the
// hold or the data subject's export request it caused (JON 19), and a viewing on site. The engine
// checks every rule again.
import { useState } from 'react';
import { Checkbox, MultiSelect, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FEE_CURRENCY, SUBJECT_DECISIONS, SUBJECT_REASON_MIN_CHARS, exportNumber, type SubjectDecision, type SubjectRequestView } from '../../shared/contract';
import { textLimits } from '../kit/contract-limits';
import { DateTimeInput } from '../kit/DateTimeInput';
import { fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { feeMinorFromInput } from './subject-model';

type Done = (r: SubjectRequestView) => void;
interface Props {
  request: SubjectRequestView;
  onClose: () => void;
  onDone: Done;
}

export function DecideModal({ request, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const action = useAction();
  const identified = request.identity !== null;
  const [outcome, setOutcome] = useState<SubjectDecision>(identified ? 'granted' : 'refused');
  const [reason, setReason] = useState('');
  const [remediesTold, setRemediesTold] = useState(false);
  const [feeCharged, setFeeCharged] = useState(false);
  const [fee, setFee] = useState('');
  const [feeReason, setFeeReason] = useState('');
  const [tried, setTried] = useState(false);
  const refusing = outcome !== 'granted';
  const charging = feeCharged && outcome !== 'refused';
  const feeMinor = feeMinorFromInput(fee);
  const bounds = { min: SUBJECT_REASON_MIN_CHARS, max: textLimits('subjects.decide', 'reason').max };
  const problems = {
    reason: refusing && reason.trim().length < bounds.min && t('subjects.decide.problems.reason', bounds),
    remedies: refusing && !remediesTold && t('subjects.decide.problems.remedies'),
    fee: charging && feeMinor === null && t('subjects.decide.problems.fee'),
    feeReason: charging && feeReason.trim().length < bounds.min && t('subjects.decide.problems.reason', bounds),
  };
  const submit = async () => {
    setTried(true);
    if (problems.reason || problems.remedies || problems.fee || problems.feeReason) return;
    const r = await action.run('subjects.decide', {
      requestId: request.id,
      outcome,
      ...(reason.trim() ? { reason } : {}),
      ...(refusing ? { remediesTold: true } : {}),
      ...(charging && feeMinor !== null ? { feeAmountMinor: feeMinor, feeReason } : {}),
    });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.decide.title', { reference: request.reference })}
      intro={t('subjects.decide.intro')}
      size={640}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.decide.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="subject-decide-form"
      submitTestId="subject-decide-submit"
      errorTestId="subject-decide-error"
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('subjects.decide.outcome')}</Text>
        <SegmentedControl
          data-testid="subject-decide-outcome"
          value={outcome}
          onChange={(v) => setOutcome(v as SubjectDecision)}
          data={SUBJECT_DECISIONS.map((d) => ({ value: d, label: t(`subjects.decision.${d}`), disabled: !identified && d !== 'refused' }))}
        />
        {!identified && <Text size="xs" c="orange">{t('subjects.decide.noIdentity')}</Text>}
      </Stack>
      <TextAreaField
        testId="subject-decide-reason"
        value={reason}
        onChange={setReason}
        problem={tried && problems.reason}
        limit={['subjects.decide', 'reason']}
        label={refusing ? t('subjects.decide.reason') : t('subjects.decide.reasonOptional')}
        withAsterisk={refusing}
        minRows={3}
      />
      {refusing && (
        <Checkbox
          data-testid="subject-decide-remedies"
          checked={remediesTold}
          onChange={(e) => setRemediesTold(e.currentTarget.checked)}
          label={t('subjects.decide.remediesTold')}
          error={tried && problems.remedies}
        />
      )}
      {outcome !== 'refused' && (
        <Checkbox data-testid="subject-decide-fee-charged" checked={feeCharged} onChange={(e) => setFeeCharged(e.currentTarget.checked)} label={t('subjects.decide.feeCharged')} />
      )}
      {charging && (
        <>
          <TextField testId="subject-decide-fee" value={fee} onChange={setFee} problem={tried && problems.fee} label={t('subjects.decide.feeAmount', { currency: FEE_CURRENCY[request.country] })} inputMode="decimal" w={200} withAsterisk />
          <TextAreaField testId="subject-decide-fee-reason" value={feeReason} onChange={setFeeReason} problem={tried && problems.feeReason} limit={['subjects.decide', 'feeReason']} label={t('subjects.decide.feeReason')} withAsterisk />
        </>
      )}
    </FormModal>
  );
}

export function AnswerModal({ request, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const action = useAction();
  const [at, setAt] = useState(() => toLocalDateTimeInput(Date.now()));
  const [channel, setChannel] = useState(() => t(`subjects.channel.${request.channel}`));
  const [appointment, setAppointment] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const atMs = fromLocalDateTimeInput(at);
  const appointmentAtMs = fromLocalDateTimeInput(appointment);
  const problems = { at: atMs === null && t('subjects.answer.problems.at'), channel: !channel.trim() && t('subjects.answer.problems.required') };
  const submit = async () => {
    setTried(true);
    if (atMs === null || problems.channel) return;
    const r = await action.run('subjects.recordAnswer', { requestId: request.id, answeredAtMs: atMs, channel, ...(appointmentAtMs !== null ? { appointmentAtMs } : {}), ...(note.trim() ? { note } : {}) });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.answer.title', { reference: request.reference })}
      intro={t('subjects.answer.intro')}
      size={560}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.answer.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="subject-answer-form"
      submitTestId="subject-answer-submit"
      errorTestId="subject-answer-error"
    >
      <DateTimeInput kind="datetime" testId="subject-answer-at" value={at} onChange={setAt} problem={tried && problems.at} label={t('subjects.answer.at')} withAsterisk />
      <TextField testId="subject-answer-channel" value={channel} onChange={setChannel} problem={tried && problems.channel} limit={['subjects.recordAnswer', 'channel']} label={t('subjects.answer.channel')} placeholder={t('subjects.answer.channelPlaceholder')} withAsterisk />
      {request.decision?.outcome !== 'refused' && <DateTimeInput kind="datetime" testId="subject-answer-appointment" value={appointment} onChange={setAppointment} label={t('subjects.answer.appointment')} />}
      <TextAreaField testId="subject-answer-note" value={note} onChange={setNote} limit={['subjects.recordAnswer', 'note']} label={t('subjects.answer.note')} />
    </FormModal>
  );
}

export function LinkModal({ request, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const action = useAction();
  const exportable = request.kind === 'copy';
  const [kind, setKind] = useState<'export' | 'hold'>(exportable ? 'export' : 'hold');
  const [target, setTarget] = useState<string | null>(null);
  const linked = new Set(request.links.map((l) => `${l.kind}-${l.targetId}`));
  const exports = useCommand('exports.list', kind === 'export' ? { limit: 200 } : null, [kind]);
  const holds = useCommand('holds.list', kind === 'hold' ? { status: 'active' } : null, [kind]);
  const options =
    kind === 'export'
      ? (exports.value?.exports ?? []).filter((e) => e.bodyType === 'data_subject' && !linked.has(`export-${e.id}`)).map((e) => ({ value: String(e.id), label: `${exportNumber(e.id)} · ${e.bodyName} · ${t(`exports.status.${e.status}`)}` }))
      : (holds.value?.holds ?? []).filter((h) => !linked.has(`hold-${h.id}`)).map((h) => ({ value: String(h.id), label: `${h.caseReference} · ${h.requestingBody}` }));
  const loaded = kind === 'export' ? exports.value !== null : holds.value !== null;
  const submit = async () => {
    if (!target) return;
    const id = Number(target);
    const r = await action.run('subjects.link', kind === 'export' ? { requestId: request.id, exportId: id } : { requestId: request.id, holdId: id });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.linkDialog.title', { reference: request.reference })}
      intro={t('subjects.linkDialog.intro')}
      size={600}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.linkDialog.submit')}
      submitDisabled={!target}
      busy={action.busy}
      error={action.error ?? exports.error ?? holds.error}
      formTestId="subject-link-form"
      submitTestId="subject-link-submit"
      errorTestId="subject-link-error"
    >
      {exportable && (
        <SegmentedControl
          data-testid="subject-link-kind"
          value={kind}
          onChange={(v) => {
            setKind(v === 'hold' ? 'hold' : 'export');
            setTarget(null);
          }}
          data={[
            { value: 'export', label: t('subjects.linkDialog.export') },
            { value: 'hold', label: t('subjects.linkDialog.hold') },
          ]}
        />
      )}
      <Select
        label={kind === 'export' ? t('subjects.linkDialog.chooseExport') : t('subjects.linkDialog.chooseHold')}
        data-testid="subject-link-target"
        value={target}
        onChange={setTarget}
        data={options}
        searchable
        comboboxProps={{ withinPortal: true }}
      />
      {loaded && options.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="subject-link-none">
          {kind === 'export' ? t('subjects.linkDialog.noExports') : t('subjects.linkDialog.noHolds')}
        </Text>
      )}
    </FormModal>
  );
}

export function ViewingModal({ request, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const action = useAction();
  // Every camera of the site, for those who keep the register (storage.view: supervisors, the officer).
  const cameras = useCommand('recordings.status', {}, []);
  const [cameraIds, setCameraIds] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [shownBy, setShownBy] = useState('');
  const [shownAt, setShownAt] = useState(() => toLocalDateTimeInput(Date.now()));
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const fromMs = fromLocalDateTimeInput(from);
  const toMs = fromLocalDateTimeInput(to);
  const shownAtMs = fromLocalDateTimeInput(shownAt);
  const problems = {
    cameras: cameraIds.length === 0 && t('subjects.viewing.problems.cameras'),
    from: fromMs === null && t('subjects.viewing.problems.at'),
    to: toMs === null ? t('subjects.viewing.problems.at') : fromMs !== null && toMs <= fromMs && t('subjects.viewing.problems.range'),
    shownBy: !shownBy.trim() && t('subjects.viewing.problems.required'),
    shownAt: shownAtMs === null && t('subjects.viewing.problems.at'),
  };
  const options = (cameras.value?.cameras ?? []).map((c) => ({ value: String(c.cameraId), label: c.site ? `${c.name} · ${c.site}` : c.name }));
  const submit = async () => {
    setTried(true);
    if (problems.cameras || fromMs === null || toMs === null || problems.to || problems.shownBy || shownAtMs === null) return;
    const r = await action.run('subjects.recordViewing', { requestId: request.id, cameraIds: cameraIds.map(Number), fromMs, toMs, shownBy, shownAtMs, ...(note.trim() ? { note } : {}) });
    if (r) onDone(r);
  };
  return (
    <FormModal
      title={t('subjects.viewing.title', { reference: request.reference })}
      intro={t('subjects.viewing.intro')}
      size={620}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('subjects.viewing.submit')}
      busy={action.busy}
      error={action.error ?? cameras.error}
      formTestId="subject-viewing-form"
      submitTestId="subject-viewing-submit"
      errorTestId="subject-viewing-error"
    >
      <MultiSelect data-testid="subject-viewing-cameras" label={t('subjects.viewing.cameras')} data={options} value={cameraIds} onChange={setCameraIds} error={tried && problems.cameras} searchable withAsterisk comboboxProps={{ withinPortal: true }} />
      <DateTimeInput kind="datetime" testId="subject-viewing-from" value={from} onChange={setFrom} problem={tried && problems.from} label={t('subjects.viewing.from')} withAsterisk />
      <DateTimeInput kind="datetime" testId="subject-viewing-to" value={to} onChange={setTo} problem={tried && problems.to} label={t('subjects.viewing.to')} withAsterisk />
      <TextField testId="subject-viewing-shown-by" value={shownBy} onChange={setShownBy} problem={tried && problems.shownBy} limit={['subjects.recordViewing', 'shownBy']} label={t('subjects.viewing.shownBy')} withAsterisk />
      <DateTimeInput kind="datetime" testId="subject-viewing-shown-at" value={shownAt} onChange={setShownAt} problem={tried && problems.shownAt} label={t('subjects.viewing.shownAt')} withAsterisk />
      <TextAreaField testId="subject-viewing-note" value={note} onChange={setNote} limit={['subjects.recordViewing', 'note']} label={t('subjects.viewing.note')} placeholder={t('subjects.viewing.notePlaceholder')} />
    </FormModal>
  );
}
