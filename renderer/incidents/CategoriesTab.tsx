// Incident categories (docs/design/playback.md "Incidents"), configured by administrators (settings.manage). A key is the
// stable name records keep; a label can change at any time. A category in use cannot be removed,
// only retired (not offered for new incidents): the engine refuses the removal and we show why.
import { Fragment, useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Button, Group, Loader, Paper, ScrollArea, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentCategoryView } from '../../shared/contract';
import { LANGUAGES, LANGUAGE_NAMES } from '../../shared/i18n-languages';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { MAX_CATEGORY_LABEL, categoryProblems, newCategoryRow, relabel, removedKeys, rowsFromCategories, toSaveRequest, usedCategoryKeys, type CategoryRow } from './incidents-model';

export function CategoriesTab() {
  const { t } = useTranslation();
  const loaded = useCommand('incidents.categories', {}, []);
  const action = useAction();
  const [original, setOriginal] = useState<IncidentCategoryView[] | null>(null);
  const [rows, setRows] = useState<CategoryRow[]>([]);
  const [newLabel, setNewLabel] = useState('');
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  // The first answer becomes the list being edited (adjusted while rendering, once).
  if (original === null && loaded.value) {
    setOriginal(loaded.value.categories);
    setRows(rowsFromCategories(loaded.value.categories));
  }
  const error = action.error ?? loaded.error;

  const problems = categoryProblems(rows);
  const valid = problems.rows.size === 0 && problems.list === null;
  const removed = original ? removedKeys(original, rows) : [];
  const dirty = original !== null && JSON.stringify(toSaveRequest(rows).categories) !== JSON.stringify(toSaveRequest(rowsFromCategories(original)).categories);
  const [namesOpen, setNamesOpen] = useState<ReadonlySet<number>>(new Set());

  const update = (rowKey: number, change: (row: CategoryRow) => CategoryRow) => {
    setSaved(false);
    setRows((prev) => prev.map((r) => (r.rowKey === rowKey ? change(r) : r)));
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!newLabel.trim()) return;
    setSaved(false);
    setRows((prev) => [...prev, newCategoryRow(newLabel.trim(), prev)]);
    setNewLabel('');
  };

  const save = async () => {
    setTried(true);
    if (!valid) return;
    setSaved(false);
    const next = await action.run('incidents.saveCategories', toSaveRequest(rows));
    if (!next) return;
    setOriginal(next.categories);
    setRows(rowsFromCategories(next.categories));
    setTried(false);
    setSaved(true);
  };

  const undo = () => {
    if (!original) return;
    setRows(rowsFromCategories(original));
    action.setError(null);
    setTried(false);
    setSaved(false);
  };

  if (!original) return error ? <ErrorAlert error={error} testId="categories-error" /> : <Loader size="sm" />;

  const inUse = usedCategoryKeys(error);
  const rowProblem = (row: CategoryRow) => (tried || !row.saved ? problems.rows.get(row.rowKey) : undefined);

  return (
    <Paper withBorder bg="dark.7" p="md" maw={940} data-testid="incident-categories" style={{ display: 'flex', flexDirection: 'column', maxHeight: '100%' }}>
      <Stack gap="sm" style={{ minHeight: 0 }}>
        <Text size="xs" c="dimmed">
          {t('incidentsAdmin.intro')}
        </Text>
        <ScrollArea.Autosize mah="55vh" type="auto" offsetScrollbars>
          <Table verticalSpacing={4} data-testid="categories-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incidentsAdmin.columns.label')}</Table.Th>
                <Table.Th w={260}>{t('incidentsAdmin.columns.key')}</Table.Th>
                <Table.Th w={110}>{t('incidentsAdmin.columns.active')}</Table.Th>
                <Table.Th w={110} />
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => {
                const problem = rowProblem(row);
                return (
                  <Fragment key={row.rowKey}>
                  <Table.Tr data-testid={`category-row-${row.key || row.rowKey}`} data-saved={String(row.saved)} data-active={String(row.active)}>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        data-testid="category-label"
                        aria-label={t('incidentsAdmin.columns.label')}
                        value={row.label}
                        maxLength={MAX_CATEGORY_LABEL}
                        onChange={(e) => {
                          const label = e.currentTarget.value;
                          update(row.rowKey, (r) => relabel(r, label, rows));
                        }}
                        error={problem === 'label' ? t('incidentsAdmin.problems.label') : undefined}
                      />
                    </Table.Td>
                    <Table.Td>
                      {row.saved ? (
                        <Text size="xs" ff="monospace" c="dimmed" data-testid="category-key">
                          {row.key}
                        </Text>
                      ) : (
                        <TextInput
                          size="xs"
                          ff="monospace"
                          data-testid="category-key-input"
                          aria-label={t('incidentsAdmin.columns.key')}
                          value={row.key}
                          maxLength={40}
                          onChange={(e) => {
                            const key = e.currentTarget.value.toLowerCase();
                            update(row.rowKey, (r) => ({ ...r, key, keyEdited: true }));
                          }}
                          error={problem === 'key' ? t('incidentsAdmin.problems.key') : problem === 'duplicate' ? t('incidentsAdmin.problems.duplicate') : undefined}
                        />
                      )}
                      {row.saved && problem === 'duplicate' && (
                        <Text size="xs" c="red.4">
                          {t('incidentsAdmin.problems.duplicate')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        size="sm"
                        data-testid="category-active"
                        aria-label={t('incidentsAdmin.columns.active')}
                        checked={row.active}
                        onChange={(e) => {
                          const active = e.currentTarget.checked;
                          update(row.rowKey, (r) => ({ ...r, active }));
                        }}
                        label={row.active ? t('incidentsAdmin.active') : t('incidentsAdmin.retired')}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant={namesOpen.has(row.rowKey) ? 'light' : 'subtle'}
                        color="gray"
                        data-testid="category-names-toggle"
                        aria-expanded={namesOpen.has(row.rowKey)}
                        title={t('incidentsAdmin.namesHint')}
                        onClick={() => setNamesOpen((open) => toggled(open, row.rowKey))}
                      >
                        {t('incidentsAdmin.names', { count: LANGUAGES.filter((l) => row.names[l].trim()).length })}
                      </Button>
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        data-testid="category-remove"
                        aria-label={t('incidentsAdmin.remove', { label: row.label })}
                        title={t(row.saved ? 'incidentsAdmin.removeSavedHint' : 'incidentsAdmin.removeNewHint')}
                        onClick={() => {
                          setSaved(false);
                          setRows((prev) => prev.filter((r) => r.rowKey !== row.rowKey));
                        }}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                  {namesOpen.has(row.rowKey) && (
                    <Table.Tr data-testid={`category-names-${row.key || row.rowKey}`}>
                      <Table.Td colSpan={5}>
                        <Group gap="xs" grow wrap="nowrap">
                          {LANGUAGES.map((l) => (
                            <TextInput
                              key={l}
                              size="xs"
                              label={LANGUAGE_NAMES[l]}
                              placeholder={row.label}
                              data-testid={`category-name-${l}`}
                              value={row.names[l]}
                              maxLength={MAX_CATEGORY_LABEL}
                              onChange={(e) => {
                                const name = e.currentTarget.value;
                                update(row.rowKey, (r) => ({ ...r, names: { ...r.names, [l]: name } }));
                              }}
                            />
                          ))}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        <form onSubmit={add} noValidate>
          <Group gap="xs" align="flex-end">
            <TextInput
              size="xs"
              data-testid="category-new-label"
              label={t('incidentsAdmin.newLabel')}
              placeholder={t('incidentsAdmin.newPlaceholder')}
              value={newLabel}
              maxLength={MAX_CATEGORY_LABEL}
              onChange={(e) => setNewLabel(e.currentTarget.value)}
              w={300}
            />
            <Button size="xs" type="submit" variant="default" data-testid="category-add" disabled={!newLabel.trim()}>
              {t('incidentsAdmin.add')}
            </Button>
          </Group>
        </form>
        {removed.length > 0 && (
          <Text size="xs" c="yellow.4" data-testid="categories-removed">
            {t('incidentsAdmin.removedNotice', { keys: removed.join(', ') })}
          </Text>
        )}
        {tried && problems.list && (
          <Text size="xs" c="red.4" data-testid="categories-list-problem">
            {t(`incidentsAdmin.problems.${problems.list}`)}
          </Text>
        )}
        {inUse.length > 0 ? (
          <Alert color="red" py={6} data-testid="categories-error" data-error-kind={error?.kind}>
            {t('incidentsAdmin.removalRefused', { keys: inUse.join(', ') })}
          </Alert>
        ) : (
          <ErrorAlert error={error} testId="categories-error" />
        )}
        {saved && (
          <Alert color="green" py={6} data-testid="categories-saved">
            {t('common.saved')}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" data-testid="categories-undo" disabled={!dirty} onClick={undo}>
            {t('incidentsAdmin.undo')}
          </Button>
          <Button data-testid="categories-save" loading={action.busy} disabled={!dirty} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function toggled(set: ReadonlySet<number>, key: number): ReadonlySet<number> {
  const next = new Set(set);
  if (!next.delete(key)) next.add(key);
  return next;
}
