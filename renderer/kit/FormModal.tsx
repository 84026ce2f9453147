// The frame of every dialog that sends something to the engine: title, an optional short intro,
// the fields, the engine's error in the user's language, and Cancel / submit. Submitting runs the
// caller's handler (the browser's own validation is off: the contract's checks speak instead).
import type { FormEvent, ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';
import type { ErrorContext } from '../i18n/error-text';

export interface FormModalProps {
  title: ReactNode;
  onClose: () => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  submitLabel: string;
  children: ReactNode;
  size?: MantineSize | number;
  intro?: ReactNode;
  busy?: boolean;
  submitDisabled?: boolean;
  submitColor?: string;
  submitIcon?: ReactNode;
  error?: CommandError | null;
  /** A more precise wording of `error` than the generic one. */
  errorText?: string | null;
  errorContext?: ErrorContext;
  /** Left of the buttons: what happens with what is sent (logged, four eyes...). */
  footnote?: ReactNode;
  testId?: string;
  formTestId?: string;
  submitTestId?: string;
  cancelTestId?: string;
  errorTestId?: string;
  /** Extra attributes of the dialog's content for tests (`data-approve`). */
  contentAttributes?: Record<string, string>;
}

export function FormModal({
  title,
  onClose,
  onSubmit,
  submitLabel,
  children,
  size,
  intro,
  busy = false,
  submitDisabled = false,
  submitColor,
  submitIcon,
  error = null,
  errorText,
  errorContext,
  footnote,
  testId,
  formTestId,
  submitTestId,
  cancelTestId,
  errorTestId,
  contentAttributes,
}: FormModalProps) {
  const { t } = useTranslation();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!busy) onSubmit(event);
  };
  const buttons = (
    <Group gap="xs" justify="flex-end">
      <Button variant="default" onClick={onClose} data-testid={cancelTestId}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" color={submitColor} leftSection={submitIcon} loading={busy} disabled={submitDisabled} data-testid={submitTestId}>
        {submitLabel}
      </Button>
    </Group>
  );
  return (
    <Modal opened onClose={onClose} title={title} size={size} attributes={{ content: { 'data-testid': testId, ...contentAttributes } }}>
      <form onSubmit={submit} noValidate data-testid={formTestId}>
        <Stack gap="sm">
          {intro && (
            <Text size="xs" c="dimmed" component="div">
              {intro}
            </Text>
          )}
          {children}
          <ErrorAlert error={error} text={errorText} context={errorContext} testId={errorTestId} />
          {footnote ? (
            <Group justify="space-between" wrap="nowrap">
              <Text size="xs" c="dimmed">
                {footnote}
              </Text>
              {buttons}
            </Group>
          ) : (
            buttons
          )}
        </Stack>
      </form>
    </Modal>
  );
}
