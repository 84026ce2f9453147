// A screen that lists records: the filters in a row (actions to the right), a line that counts
// what is shown, the engine's error, the table with its empty state and paging, and what the
// screen adds (the open record's drawer, dialogs). Holds, incidents and exports are built on it.
import type { ReactNode } from 'react';
import { Group, Stack } from '@mantine/core';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';
import { DRAWER_WIDTH } from './DetailDrawer';
import { RecordTable, byId, type RecordTableProps } from './RecordTable';
import type { PagedState } from './use-paged-command';

export interface FilteredRecordTableProps<T> extends Omit<RecordTableProps<T>, 'testId' | 'emptyTestId' | 'rowKey' | 'paging'> {
  /** Names the parts for tests: `<name>-screen`, `-error`, `-table`, `-empty`, `-more`. */
  name: string;
  /** When the screen is a tab: `<name>-tab`. */
  screenTestId?: string;
  /** Default: the record's id. */
  rowKey?: (row: T) => string | number;
  /** A list read page by page: its "load more" button (`<name>-more`). */
  more?: { list: Pick<PagedState<T>, 'hasMore' | 'loadingMore' | 'loadMore'>; label: string };
  filters: ReactNode;
  /** Right end of the filter row (refresh, new). */
  actions?: ReactNode;
  /** Above the filters (a queue of records that need a decision). */
  above?: ReactNode;
  /** Under the filters: counts, notices. */
  summary?: ReactNode;
  error: CommandError | null;
  /** The open record's drawer and the screen's dialogs. */
  children?: ReactNode;
  /** A record's drawer is open: the list keeps its room free, so nothing of the list is hidden. */
  detailOpen?: boolean;
}

export function FilteredRecordTable<T>({ name, screenTestId, filters, actions, above, summary, error, children, detailOpen = false, rowKey = byId, more, ...table }: FilteredRecordTableProps<T>) {
  return (
    <Stack gap="xs" h="100%" data-testid={screenTestId ?? `${name}-screen`} pr={detailOpen ? DRAWER_WIDTH : undefined}>
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
      <ErrorAlert error={error} testId={`${name}-error`} />
      <RecordTable
        {...table}
        rowKey={rowKey}
        testId={`${name}-table`}
        emptyTestId={`${name}-empty`}
        paging={more && { hasMore: more.list.hasMore, loadingMore: more.list.loadingMore, onMore: more.list.loadMore, label: more.label, testId: `${name}-more` }}
      />
      {children}
    </Stack>
  );
}
