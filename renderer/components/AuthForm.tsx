// The form of the screens before the console (first-run setup, sign-in, unlock, password change):
// credential fields, the engine's refusal in words, and one wide submit button.
import type { FormEvent, ReactNode } from 'react';
import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import type { ErrorContext } from '../i18n/error-text';
import type { ActionState } from '../kit/use-action';
import { ErrorAlert } from './ErrorAlert';

export function AuthForm({
  onSubmit,
  action: { busy, error },
  errorContext,
  name,
  submitLabel,
  children,
  after,
  aside,
}: {
  onSubmit: () => void;
  /** The command the form sends (its busy state and refusal). */
  action: Pick<ActionState, 'busy' | 'error'>;
  errorContext?: ErrorContext;
  /** Names the parts for tests: `<name>-error`, `<name>-submit`. */
  name: string;
  submitLabel: string;
  children: ReactNode;
  /** Below the button (other ways out). */
  after?: ReactNode;
  /** Left of the button, which then is not full width (signing out instead). */
  aside?: ReactNode;
}) {
  const submitTestId = `${name}-submit`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {children}
        <ErrorAlert error={error} context={errorContext} testId={`${name}-error`} />
        {aside ? (
          <Group justify="space-between">
            {aside}
            <Button type="submit" data-testid={submitTestId} loading={busy} size="sm">
              {submitLabel}
            </Button>
          </Group>
        ) : (
          <Button type="submit" data-testid={submitTestId} loading={busy} size="sm" fullWidth>
            {submitLabel}
          </Button>
        )}
        {after}
      </Stack>
    </form>
  );
}

const AUTOCOMPLETE = { text: undefined, username: 'username', current: 'current-password', new: 'new-password' } as const;

/** A name or a password, with what the browser's password manager should offer for it. */
export function CredentialInput({
  kind,
  testId,
  label,
  value,
  onChange,
  error,
  autoFocus,
  required,
}: {
  kind: keyof typeof AUTOCOMPLETE;
  testId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
  autoFocus?: boolean;
  required?: boolean;
}) {
  const props = { 'data-testid': testId, label, value, error, autoFocus, withAsterisk: required, autoComplete: AUTOCOMPLETE[kind], onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value) };
  return kind === 'username' || kind === 'text' ? <TextInput {...props} /> : <PasswordInput {...props} />;
}
