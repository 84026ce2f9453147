// The "Actions" menu at the end of an administration table's row.
import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Column } from './RecordTable';

export interface RowAction {
  testId: string;
  label: string;
  onClick: () => void;
  colour?: string;
  /** A line above this action (the ones that change whether the record is in use). */
  divided?: boolean;
}

export function RowMenu({ testId, actions }: { testId: string; actions: readonly (RowAction | false)[] }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" size="compact-xs" data-testid={testId}>
          {t('common.actions')} ▾
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {actions.map(
          (a) =>
            a && [
              a.divided && <Menu.Divider key={`${a.testId}-divider`} />,
              <Menu.Item key={a.testId} data-testid={a.testId} color={a.colour} onClick={a.onClick}>
                {a.label}
              </Menu.Item>,
            ],
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The last column of an administration table: each row's actions. */
export function rowMenuColumn<T>(header: string, testId: string, actions: (row: T) => readonly (RowAction | false)[]): Column<T> {
  return { key: 'actions', header, width: 90, cell: (row) => <RowMenu testId={testId} actions={actions(row)} /> };
}
