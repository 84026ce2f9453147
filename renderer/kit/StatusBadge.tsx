// The state of a record as a coloured dot and a word (active, closed, pending...), the same on
// every list and drawer; `data-status` carries the state for tests.
import { Badge } from '@mantine/core';

export function StatusBadge({ status, label, colour, testId }: { status: string; label: string; colour: string; testId?: string }) {
  return (
    <Badge variant="dot" color={colour} tt="none" style={{ minWidth: 'max-content' }} data-testid={testId} data-status={status}>
      {label}
    </Badge>
  );
}
