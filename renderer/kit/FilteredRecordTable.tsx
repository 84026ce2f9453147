// A screen that lists records: the filters in a row (actions to the right), a line that counts
// what is shown, the engine's error, the table with its empty state and paging, and what the
// screen adds (the open record's drawer, dialogs). Holds, incidents and exports are built on it.
import type { ReactNode } from 'react';
import { Group, Stack } from '@mantine/core';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';
import { DRAWER_WIDTH } from './DetailDrawer';
import { RecordTable, type RecordTableProps } from './RecordTable';

export interface FilteredRecordTableProps<T> extends RecordTableProps<T> {
  screenTestId: string;
  filters: ReactNode;
  /** Right end of the filter row (refresh, new). */
  actions?: ReactNode;
  /** Above the filters (a queue of records that need a decision). */
  above?: ReactNode;
  /** Under the filters: counts, notices. */
  summary?: ReactNode;
  error: CommandError | null;
  errorTestId: string;
  /** The open record's drawer and the screen's dialogs. */
  children?: ReactNode;
  /** A record's drawer is open: the list keeps its room free, so nothing of the list is hidden. */
  detailOpen?: boolean;
}

export function FilteredRecordTable<T>({ screenTestId, filters, actions, above, summary, error, errorTestId, children, detailOpen = false, ...table }: FilteredRecordTableProps<T>) {
  return (
    <Stack gap="xs" h="100%" data-testid={screenTestId} pr={detailOpen ? DRAWER_WIDTH : undefined}>
      {above}
      <Group gap="xs" align="flex-end" wrap="wrap">
        {filters}
        {actions && (
          <Group gap="xs" ml="auto">
            {actions}
          </Group>
        )}
      </Group>
      {summary}
      <ErrorAlert error={error} testId={errorTestId} />
      <RecordTable {...table} />
      {children}
    </Stack>
  );
}
