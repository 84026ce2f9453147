// The reason for opening recorded footage (R3; KRK §5.3.4, JON 15.5): a category, words of
// one's own (as long as the contract asks) and an optional incident or case reference. Nothing plays
// before the engine has written it to the audit log. A reason given earlier in this sitting can be
// reused with one click when the selection grows (another camera, a wider range).
import { useState } from 'react';
import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PLAYBACK_REASONS } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { fieldAccepts, textLimits } from '../kit/contract-limits';
import { FormModal } from '../kit/FormModal';
import { TextAreaField, TextField } from '../kit/TextField';

export type PlaybackReason = { category: (typeof PLAYBACK_REASONS)[number]; text: string; reference?: string };

/** The contract's bounds of the reason's words and where the reference's come from (playback.open). */
const TEXT = textLimits('playback.open', 'reason', 'text');
const REFERENCE = ['playback.open', 'reason', 'reference'] as const;

const isCategory = (v: string | null): v is PlaybackReason['category'] => v !== null && (PLAYBACK_REASONS as readonly string[]).includes(v);

export function ReasonDialog({
  summary,
  previous,
  initial,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  /** What is about to open, in words: cameras and range. */
  summary: string;
  previous: PlaybackReason | null;
  /** Filled in already (an incident being played: its category and number); the user completes it. */
  initial?: Partial<PlaybackReason> | undefined;
  busy: boolean;
  error: CommandError | null;
  onSubmit: (reason: PlaybackReason) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<PlaybackReason['category'] | null>(initial?.category ?? null);
  const [text, setText] = useState(initial?.text ?? '');
  const [reference, setReference] = useState(initial?.reference ?? '');
  const [tried, setTried] = useState(false);
  const problems = { category: category === null, text: !fieldAccepts('playback.open', ['reason', 'text'], text) };

  const submit = () => {
    setTried(true);
    if (problems.category || problems.text || category === null) return;
    onSubmit({ category, text: text.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) });
  };

  return (
    <FormModal
      title={t('playback.reason.title')}
      size={560}
      intro={t('playback.reason.intro')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t('playback.reason.submit')}
      busy={busy}
      error={error}
      errorContext="recording"
      footnote={t('playback.reason.logged')}
      testId="reason-dialog"
      submitTestId="reason-submit"
      errorTestId="reason-error"
    >
      <Text size="sm" fw={600} data-testid="reason-summary">
        {summary}
      </Text>
      {previous && (
        <Alert color="gray" p="xs" data-testid="reason-previous">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('playback.reason.previous')}
              </Text>
              <Text size="sm">
                {t(`playback.reasons.${previous.category}`)}: {previous.text}
                {previous.reference ? ` [${previous.reference}]` : ''}
              </Text>
            </Stack>
            <Button data-testid="reason-reuse" loading={busy} onClick={() => onSubmit(previous)}>
              {t('playback.reason.reuse')}
            </Button>
          </Group>
        </Alert>
      )}
      <Select
        data-testid="reason-category"
        label={t('playback.reason.category')}
        placeholder={t('playback.reason.categoryPlaceholder')}
        data={PLAYBACK_REASONS.map((c) => ({ value: c, label: t(`playback.reasons.${c}`) }))}
        value={category}
        onChange={(v) => isCategory(v) && setCategory(v)}
        error={tried && problems.category ? t('playback.reason.categoryMissing') : undefined}
        withAsterisk
        comboboxProps={{ withinPortal: true }}
      />
      <TextAreaField
        testId="reason-text"
        label={t('playback.reason.text')}
        description={t('playback.reason.textHint', { min: TEXT.min })}
        value={text}
        onChange={setText}
        problem={tried && problems.text && t('playback.reason.textShort', { min: TEXT.min })}
        limit={['playback.open', 'reason', 'text']}
        withAsterisk
        data-autofocus
      />
      <TextField testId="reason-reference" label={t('playback.reason.reference')} description={t('playback.reason.referenceHint')} value={reference} onChange={setReference} limit={REFERENCE} />
    </FormModal>
  );
}
