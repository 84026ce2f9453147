// One table of records: sticky header, striped rows, a row that is clicked to open it, an empty
// state, and (for lists that page) a "load more" button under it. Columns say what a cell shows;
// rows carry the data attributes the journeys and screen readers use.
import { Fragment, type CSSProperties, type ReactNode } from 'react';
import { Button, Group, ScrollArea, Table, Text } from '@mantine/core';

/** A record's id, for the many records that have one. */
export const byId = (row: unknown): string | number => (typeof row === 'object' && row !== null && 'id' in row && typeof row.id === 'number' ? row.id : String(row));

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  width?: number;
  align?: 'right';
  /** Keep the cell on one line (times, numbers). */
  nowrap?: boolean;
  maxWidth?: number;
  /** Extra attributes of the cell (`data-testid`, a font). */
  cellProps?: (row: T) => Record<string, string | number | undefined>;
}

export interface Paging {
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
  label: string;
  testId: string;
}

export interface RecordTableProps<T> {
  rows: readonly T[] | null;
  columns: readonly Column<T>[];
  /** Default: the record's id. */
  rowKey?: (row: T) => string | number;
  /** Data attributes of a row (`data-testid`, `data-status`). */
  rowAttributes?: (row: T) => Record<string, string | number | boolean | undefined>;
  onRowClick?: (row: T) => void;
  selectedKey?: string | number | null;
  /** Rows shown faded (released, closed, deactivated). */
  dimmed?: (row: T) => boolean;
  /** A coloured mark on the row's left edge (overdue, deadline near). */
  flag?: (row: T) => string | null;
  /** A row shown under a row (details opened in place). */
  expansion?: (row: T) => ReactNode;
  empty: ReactNode;
  emptyTestId?: string;
  testId: string;
  paging?: Paging;
  /** Faded while the rows shown answer an older request. */
  stale?: boolean;
  /** Default: fill the space left (a screen's main list); a number for a table inside a card. */
  maxHeight?: number;
  /** False for a short list whose cells say what they are (a queue). */
  withHeader?: boolean;
}

export function RecordTable<T>({ rows, columns, rowKey = byId, rowAttributes, onRowClick, selectedKey, dimmed, flag, expansion, empty, emptyTestId, testId, paging, stale, maxHeight, withHeader = true }: RecordTableProps<T>) {
  const rowStyle = (row: T, key: string | number): CSSProperties => {
    const mark = flag?.(row);
    return {
      cursor: onRowClick ? 'pointer' : undefined,
      boxShadow: mark ? `inset 3px 0 0 var(--mantine-color-${mark})` : undefined,
      background: selectedKey != null && key === selectedKey ? 'var(--mantine-color-accent-9)' : undefined,
      opacity: dimmed?.(row) ? 0.65 : undefined,
    };
  };
  const table = (
    <Table stickyHeader striped highlightOnHover data-testid={testId} data-loading={stale === undefined ? undefined : String(stale)} style={stale ? { opacity: 0.6 } : undefined}>
      {withHeader && (
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key} w={c.width} ta={c.align}>
                {c.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
      )}
      <Table.Tbody>
        {rows?.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={columns.length}>
              <Text size="xs" c="dimmed" ta="center" py="md" data-testid={emptyTestId}>
                {empty}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows?.map((row) => {
          const key = rowKey(row);
          const more = expansion?.(row);
          return (
            <Fragment key={key}>
              <Table.Tr {...rowAttributes?.(row)} aria-selected={selectedKey === undefined ? undefined : key === selectedKey} onClick={onRowClick ? () => onRowClick(row) : undefined} style={rowStyle(row, key)}>
                {columns.map((c) => (
                  <Table.Td key={c.key} w={withHeader ? undefined : c.width} ta={c.align} className={c.nowrap ? 'oc-nowrap' : undefined} style={c.maxWidth ? { maxWidth: c.maxWidth } : undefined} {...c.cellProps?.(row)}>
                    {c.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
              {more && (
                <Table.Tr>
                  <Table.Td colSpan={columns.length} bg="dark.8">
                    {more}
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
  const more = paging?.hasMore && (
    <Group justify="center" py="xs">
      <Button variant="default" size="xs" data-testid={paging.testId} loading={paging.loadingMore} onClick={paging.onMore}>
        {paging.label}
      </Button>
    </Group>
  );
  if (maxHeight !== undefined)
    return (
      <ScrollArea.Autosize mah={maxHeight} type="auto" className="oc-table-wrap">
        {table}
        {more}
      </ScrollArea.Autosize>
    );
  return (
    <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
      {table}
      {more}
    </ScrollArea>
  );
}
