// Camera and time-range rows of a legal hold (to the minute) and of an export request (to the
// second: what is exported is exactly what is listed). The row model and its checks are in
// holds/hold-form-model.ts; the engine checks the ranges again (R5).
import { ActionIcon, Button, Group, Select, Stack, Text } from '@mantine/core';
import { itemProblem, newItemRow, type ItemRow } from '../holds/hold-form-model';
import type { CameraOption } from '../kit/use-camera-options';
import { DateTimeInput } from '../kit/DateTimeInput';

export interface ItemRowsText {
  title: string;
  camera: string;
  from: string;
  to: string;
  remove: string;
  add: string;
  hint: string;
  /** Shown when there is no row (extending a hold may add none). */
  none?: string;
  problems: Record<'camera' | 'from' | 'to' | 'order', string>;
}

export function ItemRowsEditor({
  rows,
  onChange,
  cameras,
  showProblems,
  minRows,
  maxRows,
  withSeconds = false,
  nowMs,
  text,
  testPrefix,
}: {
  rows: ItemRow[];
  onChange: (rows: ItemRow[]) => void;
  cameras: CameraOption[];
  /** After a first submit attempt: say what is wrong in each row. */
  showProblems: boolean;
  minRows: number;
  maxRows: number;
  withSeconds?: boolean;
  /** A new row covers the hour up to this moment (default: when it is added). */
  nowMs?: number;
  text: ItemRowsText;
  testPrefix: string;
}) {
  const update = (key: number, patch: Partial<ItemRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const add = () => onChange([...rows, newItemRow(nowMs ?? Date.now(), rows.at(-1)?.cameraId ?? null)]);
  const timeWidth = withSeconds ? 215 : 190;
  /** A row's start or end (the same input for both ends). */
  const timeInput = (row: ItemRow, edge: 'from' | 'to', error: string | undefined) => (
    <DateTimeInput
      kind={withSeconds ? 'datetime-seconds' : 'datetime'}
      aria-label={text[edge]}
      testId={`${testPrefix}-item-${edge}`}
      value={row[edge]}
      onChange={(v) => update(row.key, edge === 'from' ? { from: v } : { to: v })}
      w={timeWidth}
      problem={error}
    />
  );

  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {text.title}
      </Text>
      {rows.length === 0 && text.none && (
        <Text size="xs" c="dimmed">
          {text.none}
        </Text>
      )}
      {rows.map((row, index) => {
        const problem = showProblems ? itemProblem(row) : null;
        return (
          <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid={`${testPrefix}-item`} data-index={index}>
            <Select
              aria-label={text.camera}
              placeholder={text.camera}
              data-testid={`${testPrefix}-item-camera`}
              data={cameras}
              value={row.cameraId}
              onChange={(v) => update(row.key, { cameraId: v })}
              searchable
              style={{ flex: 1, minWidth: 180 }}
              error={problem === 'camera' ? text.problems.camera : undefined}
              comboboxProps={{ withinPortal: true }}
            />
            {timeInput(row, 'from', problem === 'from' || problem === 'order' ? text.problems[problem] : undefined)}
            <Text size="sm" pt={6} c="dimmed">
              –
            </Text>
            {timeInput(row, 'to', problem === 'to' ? text.problems.to : undefined)}
            <ActionIcon
              variant="subtle"
              color="gray"
              mt={4}
              aria-label={text.remove}
              title={text.remove}
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
        <Button variant="default" size="compact-sm" data-testid={`${testPrefix}-add-item`} disabled={rows.length >= maxRows} onClick={add}>
          + {text.add}
        </Button>
        <Text size="xs" c="dimmed">
          {text.hint}
        </Text>
      </Group>
    </Stack>
  );
}
