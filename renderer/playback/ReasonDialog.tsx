// The reason for opening recorded footage (R3; KRK §5.3.4, JON 15.5): a category, words of
// one's own (as long as the contract asks) and an optional incident or case reference. Nothing plays
// before the engine has written it to the audit log. A reason given earlier in this sitting can be
// reused with one click when the selection grows (another camera, a wider range).
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PLAYBACK_REASONS } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';
import { fieldAccepts, requestLimits, textLimits } from '../kit/contract-limits';

export type PlaybackReason = { category: (typeof PLAYBACK_REASONS)[number]; text: string; reference?: string };

/** The contract's bounds of the reason's words and reference (playback.open). */
const TEXT = textLimits('playback.open', 'reason', 'text');
const REFERENCE = requestLimits('playback.open', 'reason', 'reference');

const isCategory = (v: string | null): v is PlaybackReason['category'] => v !== null && (PLAYBACK_REASONS as readonly string[]).includes(v);

export function ReasonDialog({
  summary,
  previous,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  /** What is about to open, in words: cameras and range. */
  summary: string;
  previous: PlaybackReason | null;
  busy: boolean;
  error: CommandError | null;
  onSubmit: (reason: PlaybackReason) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<PlaybackReason['category'] | null>(null);
  const [text, setText] = useState('');
  const [reference, setReference] = useState('');
  const [tried, setTried] = useState(false);
  const problems = { category: category === null, text: !fieldAccepts('playback.open', ['reason', 'text'], text) };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problems.category || problems.text || category === null) return;
    onSubmit({ category, text: text.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) });
  };

  return (
    <Modal opened onClose={onClose} title={t('playback.reason.title')} size={560} attributes={{ content: { 'data-testid': 'reason-dialog' } }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('playback.reason.intro')}
          </Text>
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
          <Textarea
            data-testid="reason-text"
            label={t('playback.reason.text')}
            description={t('playback.reason.textHint', { min: TEXT.min })}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={tried && problems.text ? t('playback.reason.textShort', { min: TEXT.min }) : undefined}
            autosize
            minRows={2}
            maxLength={TEXT.max}
            withAsterisk
            data-autofocus
          />
          <TextInput
            data-testid="reason-reference"
            label={t('playback.reason.reference')}
            description={t('playback.reason.referenceHint')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            maxLength={REFERENCE.max}
          />
          <ErrorAlert error={error} context="recording" testId="reason-error" />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {t('playback.reason.logged')}
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="reason-submit">
                {t('playback.reason.submit')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
