// Camera groups: what a user may see is decided per group (DESIGN §6).
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, ScrollArea, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GroupView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { currentLocale } from '../i18n';

type Dialog = { kind: 'create' } | { kind: 'rename'; group: GroupView } | { kind: 'delete'; group: GroupView } | null;

export function GroupsTab() {
  const api = useApi();
  const { t } = useTranslation();
  const [groups, setGroups] = useState<GroupView[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void api.call('groups.list', {}).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setGroups(result.value.groups);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, reloadKey]);

  const done = () => {
    setDialog(null);
    setReloadKey((k) => k + 1);
  };
  const date = new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' });

  return (
    <Stack gap="xs" h="100%" data-testid="groups-tab">
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {groups ? t('admin.groups.count', { count: groups.length }) : ''}
        </Text>
        <Button data-testid="groups-create" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.groups.create')}
        </Button>
      </Group>
      <ErrorAlert error={error} testId="groups-error" />
      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="groups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.groups.columns.name')}</Table.Th>
              <Table.Th>{t('admin.groups.columns.description')}</Table.Th>
              <Table.Th w={90}>{t('admin.groups.columns.members')}</Table.Th>
              <Table.Th w={120}>{t('admin.groups.columns.created')}</Table.Th>
              <Table.Th w={170}>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="xs" c="dimmed" ta="center" py="md">
                    {t('admin.groups.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {groups?.map((g) => (
              <Table.Tr key={g.id} data-testid="group-row" data-group-name={g.name}>
                <Table.Td fw={600}>{g.name}</Table.Td>
                <Table.Td c="dimmed">{g.description}</Table.Td>
                <Table.Td data-testid="group-members">{g.memberCount}</Table.Td>
                <Table.Td>{date.format(g.createdAtMs)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button variant="default" size="compact-xs" data-testid="group-rename" onClick={() => setDialog({ kind: 'rename', group: g })}>
                      {t('admin.groups.rename')}
                    </Button>
                    <Button variant="subtle" color="red" size="compact-xs" data-testid="group-delete" onClick={() => setDialog({ kind: 'delete', group: g })}>
                      {t('admin.groups.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {dialog && dialog.kind !== 'delete' && (
        <GroupFormModal group={dialog.kind === 'rename' ? dialog.group : null} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'delete' && <DeleteGroupModal group={dialog.group} onClose={() => setDialog(null)} onDone={done} />}
    </Stack>
  );
}

function GroupFormModal({ group, onClose, onDone }: { group: GroupView | null; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = group
      ? await api.call('groups.update', { groupId: group.id, name, description })
      : await api.call('groups.create', { name, description });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t(group ? 'admin.groups.renameTitle' : 'admin.groups.createTitle')}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <TextInput data-testid="group-form-name" label={t('admin.groups.form.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Textarea
            data-testid="group-form-description"
            label={t('admin.groups.form.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <ErrorAlert error={error} testId="group-form-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" data-testid="group-form-submit" loading={busy}>
              {t(group ? 'common.save' : 'common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteGroupModal({ group, onClose, onDone }: { group: GroupView; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    const result = await api.call('groups.delete', { groupId: group.id });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };
  return (
    <Modal opened onClose={onClose} title={t('admin.groups.deleteTitle', { name: group.name })}>
      <Stack gap="sm">
        <Text size="sm">{t('admin.groups.deleteIntro')}</Text>
        <ErrorAlert error={error} testId="group-delete-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" data-testid="group-delete-confirm" loading={busy} onClick={() => void remove()}>
            {t('admin.groups.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
