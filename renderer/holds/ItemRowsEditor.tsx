// Camera and time-range rows of a hold (placing one, or ranges added when extending it).
import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAX_HOLD_ITEMS, itemProblem, newItemRow, type ItemRow } from './hold-form-model';

export interface CameraOption {
  value: string;
  label: string;
}

export function ItemRowsEditor({
  rows,
  onChange,
  cameras,
  showProblems,
  minRows,
  testPrefix,
}: {
  rows: ItemRow[];
  onChange: (rows: ItemRow[]) => void;
  cameras: CameraOption[];
  /** After a first submit attempt: say what is wrong in each row. */
  showProblems: boolean;
  minRows: number;
  testPrefix: string;
}) {
  const { t } = useTranslation();
  const update = (key: number, patch: Partial<ItemRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const add = () => onChange([...rows, newItemRow(Date.now(), rows.at(-1)?.cameraId ?? null)]);

  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {t('holds.form.items')}
      </Text>
      {rows.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('holds.form.noItems')}
        </Text>
      )}
      {rows.map((row, index) => {
        const problem = showProblems ? itemProblem(row) : null;
        return (
          <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid={`${testPrefix}-item`} data-index={index}>
            <Select
              aria-label={t('holds.form.camera')}
              placeholder={t('holds.form.camera')}
              data-testid={`${testPrefix}-item-camera`}
              data={cameras}
              value={row.cameraId}
              onChange={(v) => update(row.key, { cameraId: v })}
              searchable
              w={210}
              error={problem === 'camera' ? t('holds.form.problems.camera') : undefined}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="datetime-local"
              aria-label={t('holds.form.from')}
              data-testid={`${testPrefix}-item-from`}
              value={row.from}
              onChange={(e) => update(row.key, { from: e.currentTarget.value })}
              w={190}
              error={problem === 'from' ? t('holds.form.problems.from') : problem === 'order' ? t('holds.form.problems.order') : undefined}
            />
            <Text size="sm" pt={6} c="dimmed">
              –
            </Text>
            <TextInput
              type="datetime-local"
              aria-label={t('holds.form.to')}
              data-testid={`${testPrefix}-item-to`}
              value={row.to}
              onChange={(e) => update(row.key, { to: e.currentTarget.value })}
              w={190}
              error={problem === 'to' ? t('holds.form.problems.to') : undefined}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              mt={4}
              aria-label={t('holds.form.removeItem')}
              title={t('holds.form.removeItem')}
              data-testid={`${testPrefix}-item-remove`}
              disabled={rows.length <= minRows}
              onClick={() => remove(row.key)}
            >
              ✕
            </ActionIcon>
          </Group>
        );
      })}
      <Group gap="xs">
        <Button variant="default" size="compact-sm" data-testid={`${testPrefix}-add-item`} disabled={rows.length >= MAX_HOLD_ITEMS} onClick={add}>
          + {t('holds.form.addItem')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('holds.form.itemsHint', { max: MAX_HOLD_ITEMS })}
        </Text>
      </Group>
    </Stack>
  );
}
