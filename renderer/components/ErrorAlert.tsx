import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../shared/result';
import { errorLines, type ErrorContext } from '../i18n/error-text';

/** An engine error in the interface language; null renders nothing. `text`, when given, says it
 *  more precisely than the generic wording (a refusal a form knows how to explain). */
export function ErrorAlert({
  error,
  context,
  testId,
  text,
}: {
  error: CommandError | null;
  context?: ErrorContext;
  testId?: string;
  text?: string | null;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const lines = text ? [text] : errorLines(t, error, context);
  return (
    <Alert color="red" data-testid={testId ?? 'error'} data-error-kind={error.kind} py={6}>
      {lines.length === 1 ? (
        lines[0]
      ) : (
        <List size="xs" spacing={2}>
          {lines.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
