// Cameras and time ranges of an export request: like a hold's rows (hold-form-model), but to the
// second (what is exported is exactly what is listed) and at most 16 per request.
import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { itemProblem, newItemRow, type ItemRow } from '../holds/hold-form-model';
import type { CameraOption } from '../holds/ItemRowsEditor';
import { MAX_EXPORT_ITEMS } from './exports-model';

export function ExportItemRows({
  rows,
  onChange,
  cameras,
  showProblems,
  nowMs,
}: {
  rows: ItemRow[];
  onChange: (rows: ItemRow[]) => void;
  cameras: CameraOption[];
  /** After a first submit attempt: say what is wrong in each row. */
  showProblems: boolean;
  /** For a new row: the hour up to this moment. */
  nowMs: number;
}) {
  const { t } = useTranslation();
  const update = (key: number, patch: Partial<ItemRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const add = () => onChange([...rows, newItemRow(nowMs, rows.at(-1)?.cameraId ?? null)]);

  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {t('exports.items.title')}
      </Text>
      {rows.map((row, index) => {
        const problem = showProblems ? itemProblem(row) : null;
        return (
          <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="export-form-item" data-index={index}>
            <Select
              aria-label={t('exports.items.camera')}
              placeholder={t('exports.items.camera')}
              data-testid="export-form-item-camera"
              data={cameras}
              value={row.cameraId}
              onChange={(v) => update(row.key, { cameraId: v })}
              searchable
              style={{ flex: 1, minWidth: 180 }}
              error={problem === 'camera' ? t('exports.items.problemCamera') : undefined}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="datetime-local"
              step={1}
              aria-label={t('exports.items.from')}
              data-testid="export-form-item-from"
              value={row.from}
              onChange={(e) => update(row.key, { from: e.currentTarget.value })}
              w={215}
              error={problem === 'from' ? t('exports.items.problemTime') : problem === 'order' ? t('exports.items.problemOrder') : undefined}
            />
            <Text size="sm" pt={6} c="dimmed">
              –
            </Text>
            <TextInput
              type="datetime-local"
              step={1}
              aria-label={t('exports.items.to')}
              data-testid="export-form-item-to"
              value={row.to}
              onChange={(e) => update(row.key, { to: e.currentTarget.value })}
              w={215}
              error={problem === 'to' ? t('exports.items.problemTime') : undefined}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              mt={4}
              aria-label={t('exports.items.remove')}
              title={t('exports.items.remove')}
              data-testid="export-form-item-remove"
              disabled={rows.length <= 1}
              onClick={() => remove(row.key)}
            >
              ✕
            </ActionIcon>
          </Group>
        );
      })}
      <Group gap="xs">
        <Button variant="default" size="compact-sm" data-testid="export-form-add-item" disabled={rows.length >= MAX_EXPORT_ITEMS} onClick={add}>
          + {t('exports.items.add')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('exports.items.hint', { max: MAX_EXPORT_ITEMS })}
        </Text>
      </Group>
    </Stack>
  );
}
