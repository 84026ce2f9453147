// The data protection officer's steps on a breach (BRN 36-38): the assessment (category 1, 2 or 3;
// for 3 the decision on the data subjects, or why not), a notification (time, channel, reference),
// and closing the record. The engine checks every rule again.
import { useState } from 'react';
import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BREACH_CATEGORIES, type BreachCategory, type BreachView } from '../../shared/contract';
import { fieldAccepts, textLimits } from '../kit/contract-limits';
import { DateTimeInput } from '../kit/DateTimeInput';
import { fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { ReasonModal } from '../kit/ReasonModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';

export function AssessBreachModal({ breach, onClose, onDone }: { breach: BreachView; onClose: () => void; onDone: (b: BreachView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [category, setCategory] = useState<BreachCategory | null>(breach.category);
  const [reasoning, setReasoning] = useState(breach.reasoning ?? '');
  const [notice, setNotice] = useState<'notify' | 'not_notify'>(breach.subjectsNotice ?? 'notify');
  const [whyNot, setWhyNot] = useState(breach.subjectsNotNotifiedReason ?? '');
  const [tried, setTried] = useState(false);
  const bounds = textLimits('breaches.assess', 'reasoning');
  const problems = {
    category: category === null && t('breaches.assess.problems.category'),
    reasoning: !fieldAccepts('breaches.assess', ['reasoning'], reasoning) && t('breaches.assess.problems.reasoning', bounds),
    whyNot: category === 3 && notice === 'not_notify' && !fieldAccepts('breaches.assess', ['subjectsNotNotifiedReason'], whyNot) && t('breaches.assess.problems.whyNot', bounds),
  };
  const submit = async () => {
    setTried(true);
    if (category === null || problems.reasoning || problems.whyNot) return;
    const b = await action.run('breaches.assess', {
      breachId: breach.id,
      category,
      reasoning,
      ...(category === 3 ? { subjectsNotice: notice, ...(notice === 'not_notify' ? { subjectsNotNotifiedReason: whyNot } : {}) } : {}),
    });
    if (b) onDone(b);
  };
  return (
    <FormModal
      title={t('breaches.assess.title', { reference: breach.reference })}
      intro={t('breaches.assess.intro')}
      size={640}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('breaches.assess.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="breach-assess-form"
      submitTestId="breach-assess-submit"
      errorTestId="breach-assess-error"
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>{t('breaches.fields.category')}</Text>
        <SegmentedControl
          data-testid="breach-assess-category"
          value={category === null ? '' : String(category)}
          onChange={(v) => setCategory(Number(v) as BreachCategory)}
          data={BREACH_CATEGORIES.map((c) => ({ value: String(c), label: t(`breaches.category.${c}`) }))}
        />
        <Text size="xs" c={tried && problems.category ? 'red' : 'dimmed'}>
          {category === null ? t('breaches.assess.problems.category') : t(`breaches.categoryHint.${category}`)}
        </Text>
      </Stack>
      <TextAreaField testId="breach-assess-reasoning" value={reasoning} onChange={setReasoning} problem={tried && problems.reasoning} limit={['breaches.assess', 'reasoning']} label={t('breaches.fields.reasoning')} withAsterisk minRows={3} />
      {category === 3 && (
        <>
          <SegmentedControl
            data-testid="breach-assess-notice"
            value={notice}
            onChange={(v) => setNotice(v === 'not_notify' ? 'not_notify' : 'notify')}
            data={[{ value: 'notify', label: t('breaches.subjectsNotice.notify') }, { value: 'not_notify', label: t('breaches.subjectsNotice.not_notify') }]}
          />
          {notice === 'not_notify' && <TextAreaField testId="breach-assess-why-not" value={whyNot} onChange={setWhyNot} problem={tried && problems.whyNot} limit={['breaches.assess', 'subjectsNotNotifiedReason']} label={t('breaches.fields.whyNot')} withAsterisk minRows={2} />}
        </>
      )}
    </FormModal>
  );
}

export function NotificationModal({ breach, to, onClose, onDone }: { breach: BreachView; to: 'authority' | 'data_subjects'; onClose: () => void; onDone: (b: BreachView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [at, setAt] = useState(() => toLocalDateTimeInput(Date.now()));
  const [channel, setChannel] = useState('');
  const [reference, setReference] = useState('');
  const [tried, setTried] = useState(false);
  const atMs = fromLocalDateTimeInput(at);
  const problems = {
    at: atMs === null && t('breaches.notify.problems.at'),
    channel: !channel.trim() && t('breaches.notify.problems.required'),
    reference: !reference.trim() && t('breaches.notify.problems.required'),
  };
  const submit = async () => {
    setTried(true);
    if (atMs === null || problems.channel || problems.reference) return;
    const b = await action.run('breaches.recordNotification', { breachId: breach.id, to, atMs, channel, reference });
    if (b) onDone(b);
  };
  return (
    <FormModal
      title={t(to === 'authority' ? 'breaches.notify.authorityTitle' : 'breaches.notify.subjectsTitle', { reference: breach.reference })}
      intro={t('breaches.notify.intro')}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('breaches.notify.submit')}
      busy={action.busy}
      error={action.error}
      formTestId="breach-notify-form"
      submitTestId="breach-notify-submit"
      errorTestId="breach-notify-error"
    >
      <DateTimeInput kind="datetime" testId="breach-notify-at" value={at} onChange={setAt} problem={tried && problems.at} label={t('breaches.notify.at')} withAsterisk />
      <TextField testId="breach-notify-channel" value={channel} onChange={setChannel} problem={tried && problems.channel} limit={['breaches.recordNotification', 'channel']} label={t('breaches.notify.channel')} placeholder={t('breaches.notify.channelPlaceholder')} withAsterisk />
      <TextField testId="breach-notify-reference" value={reference} onChange={setReference} problem={tried && problems.reference} limit={['breaches.recordNotification', 'reference']} label={t('breaches.notify.reference')} withAsterisk />
    </FormModal>
  );
}

export function CloseBreachModal({ breach, onClose, onDone }: { breach: BreachView; onClose: () => void; onDone: (b: BreachView) => void }) {
  const { t } = useTranslation();
  return (
    <ReasonModal
      command="breaches.close"
      request={(reason) => ({ breachId: breach.id, reason })}
      onDone={onDone}
      onClose={onClose}
      title={t('breaches.close.title', { reference: breach.reference })}
      submitLabel={t('breaches.close.submit')}
      inputTestId="breach-close-reason"
      submitTestId="breach-close-submit"
      errorTestId="breach-close-error"
    />
  );
}
