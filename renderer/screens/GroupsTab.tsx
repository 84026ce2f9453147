// Camera groups: what a user may see is decided per group (docs/design/overview.md §6).
import { useState } from 'react';
import { Button, Group, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMMANDS, type GroupView } from '../../shared/contract';
import { formatDate } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useContractForm } from '../kit/zod-form';

type Dialog = { kind: 'create' } | { kind: 'rename' | 'delete'; group: GroupView } | null;

export function GroupsTab() {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const list = useCommand('groups.list', {}, []);
  const groups = list.value?.groups ?? null;
  const done = () => {
    setDialog(null);
    list.reload();
  };

  const columns: Column<GroupView>[] = [
    { key: 'name', header: t('admin.groups.columns.name'), cell: (g) => <Text fw={600} size="sm">{g.name}</Text> },
    { key: 'description', header: t('admin.groups.columns.description'), cell: (g) => <Text c="dimmed" size="sm">{g.description}</Text> },
    { key: 'members', header: t('admin.groups.columns.members'), width: 90, cellProps: () => ({ 'data-testid': 'group-members' }), cell: (g) => g.memberCount },
    { key: 'created', header: t('admin.groups.columns.created'), width: 120, cell: (g) => formatDate(g.createdAtMs) },
    {
      key: 'actions',
      header: t('common.actions'),
      width: 170,
      cell: (g) => (
        <Group gap={4} wrap="nowrap">
          <Button variant="default" size="compact-xs" data-testid="group-rename" onClick={() => setDialog({ kind: 'rename', group: g })}>
            {t('admin.groups.rename')}
          </Button>
          <Button variant="subtle" color="red" size="compact-xs" data-testid="group-delete" onClick={() => setDialog({ kind: 'delete', group: g })}>
            {t('admin.groups.delete')}
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <FilteredRecordTable
      name="groups"
      screenTestId="groups-tab"
      filters={
        <Text size="xs" c="dimmed">
          {groups ? t('admin.groups.count', { count: groups.length }) : ''}
        </Text>
      }
      actions={
        <Button data-testid="groups-create" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.groups.create')}
        </Button>
      }
      error={list.error}
      rows={groups}
      columns={columns}
      rowAttributes={(g) => ({ 'data-testid': 'group-row', 'data-group-name': g.name })}
      empty={t('admin.groups.empty')}
    >
      {(dialog?.kind === 'create' || dialog?.kind === 'rename') && <GroupFormModal group={dialog.kind === 'rename' ? dialog.group : null} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'delete' && <DeleteGroupModal group={dialog.group} onClose={() => setDialog(null)} onDone={done} />}
    </FilteredRecordTable>
  );
}

function GroupFormModal({ group, onClose, onDone }: { group: GroupView | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const form = useContractForm({ name: group?.name ?? '', description: group?.description ?? '' }, { schema: COMMANDS['groups.create'].request, toRequest: (v) => v });
  const submit = form.onSubmit(async (values) => {
    const saved = group ? await action.run('groups.update', { groupId: group.id, ...values }) : await action.run('groups.create', values);
    if (saved) onDone();
  });
  return (
    <FormModal
      title={t(group ? 'admin.groups.renameTitle' : 'admin.groups.createTitle')}
      onClose={onClose}
      onSubmit={() => submit()}
      submitLabel={t(group ? 'common.save' : 'common.create')}
      busy={action.busy}
      error={action.error}
      submitTestId="group-form-submit"
      errorTestId="group-form-error"
    >
      <TextInput data-testid="group-form-name" label={t('admin.groups.form.name')} data-autofocus {...form.getInputProps('name')} />
      <Textarea data-testid="group-form-description" label={t('admin.groups.form.description')} autosize minRows={2} {...form.getInputProps('description')} />
    </FormModal>
  );
}

function DeleteGroupModal({ group, onClose, onDone }: { group: GroupView; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const remove = async () => {
    if (await action.run('groups.delete', { groupId: group.id })) onDone();
  };
  return (
    <FormModal
      title={t('admin.groups.deleteTitle', { name: group.name })}
      onClose={onClose}
      onSubmit={() => void remove()}
      submitLabel={t('admin.groups.delete')}
      submitColor="red"
      busy={action.busy}
      error={action.error}
      submitTestId="group-delete-confirm"
      errorTestId="group-delete-error"
    >
      <Text size="sm">{t('admin.groups.deleteIntro')}</Text>
    </FormModal>
  );
}
