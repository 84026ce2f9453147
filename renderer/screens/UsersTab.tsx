// User accounts (JON 15.3, 15.6). Accounts are deactivated with a reason, never deleted, so the
// audit trail always names a real account.
import { useState } from 'react';
import { Badge, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView, UserView } from '../../shared/contract';
import { LANGUAGE_NAMES } from '../../shared/i18n-languages';
import { formatDateTime } from '../kit/format-time';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { ReasonModal } from '../kit/ReasonModal';
import { rowMenuColumn } from '../kit/RowMenu';
import { StatusBadge } from '../kit/StatusBadge';
import { useCommand } from '../kit/use-command';
import { AccessStateBadge } from '../access/AccessStateBadge';
import { CreateUserModal, EditUserModal, ReactivateUserModal, ResetPasswordModal, UserGroupsModal } from './UserDialogs';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'groups' | 'reset' | 'deactivate' | 'reactivate'; user: UserView } | null;

const ROLE_COLOURS: Record<UserView['role'], string> = { administrator: 'grape', auditor: 'teal', supervisor: 'indigo', reviewer: 'gray', guard: 'gray' };

export function UsersTab({ session, canGroups }: { session: SessionView; canGroups: boolean }) {
  const { t } = useTranslation();
  const [includeInactive, setIncludeInactive] = useState(true);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const users = useCommand('users.list', { includeInactive }, [includeInactive]);
  const groups = useCommand('groups.list', canGroups ? {} : null, [canGroups]);
  const groupNames = new Map((groups.value?.groups ?? []).map((g) => [g.id, g.name]));
  const groupOptions = (groups.value?.groups ?? []).map((g) => ({ value: String(g.id), label: g.name }));
  const list = users.value?.users ?? null;

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    users.reload();
  };
  const open = (kind: Exclude<Dialog, null | { kind: 'create' }>['kind'], user: UserView) => () => setDialog({ kind, user });

  const columns: Column<UserView>[] = [
    { key: 'username', header: t('admin.users.columns.username'), cell: (u) => <Text ff="monospace" fw={600} size="sm">{u.username}</Text> },
    { key: 'displayName', header: t('admin.users.columns.displayName'), cell: (u) => u.displayName },
    {
      key: 'role',
      header: t('admin.users.columns.role'),
      cell: (u) => (
        <Badge variant="light" color={ROLE_COLOURS[u.role]}>
          {t(`roles.${u.role}`)}
        </Badge>
      ),
    },
    { key: 'language', header: t('admin.users.columns.language'), cell: (u) => LANGUAGE_NAMES[u.language] },
    {
      key: 'groups',
      header: t('admin.users.columns.groups'),
      cellProps: () => ({ 'data-testid': 'user-groups' }),
      cell: (u) => (u.groupIds.length === 0 ? t('common.none') : u.groupIds.map((id) => groupNames.get(id) ?? `#${id}`).join(', ')),
    },
    {
      key: 'status',
      header: t('admin.users.columns.status'),
      cell: (u) => (
        <Stack gap={4} align="flex-start">
          <StatusBadge status={u.active ? 'active' : 'deactivated'} label={t(u.active ? 'admin.users.status.active' : 'admin.users.status.deactivated')} colour={u.active ? 'green' : 'red'} testId="user-status" />
          {/* Whether the role and groups are in force: a grant waits for a second person (KRK §5.4.5). */}
          {u.active && <AccessStateBadge state={u.accessState} validUntilMs={u.accessValidUntilMs} />}
        </Stack>
      ),
    },
    {
      key: 'commitment',
      header: t('admin.users.columns.commitment'),
      nowrap: true,
      cell: (u) => (u.commitmentAcceptedAtMs === null ? t('admin.users.commitmentNever') : formatDateTime(u.commitmentAcceptedAtMs)),
    },
    { key: 'mustChange', header: t('admin.users.columns.mustChange'), cellProps: () => ({ 'data-testid': 'user-must-change' }), cell: (u) => t(u.mustChangePassword ? 'common.yes' : 'common.no') },
    rowMenuColumn(t('common.actions'), 'user-actions', (u) => [
      { testId: 'user-action-edit', label: t('admin.users.actions.edit'), onClick: open('edit', u) },
      canGroups && { testId: 'user-action-groups', label: t('admin.users.actions.groups'), onClick: open('groups', u) },
      { testId: 'user-action-reset', label: t('admin.users.actions.resetPassword'), onClick: open('reset', u) },
      u.active
        ? { testId: 'user-action-deactivate', label: t('admin.users.actions.deactivate'), onClick: open('deactivate', u), colour: 'red', divided: true }
        : { testId: 'user-action-reactivate', label: t('admin.users.actions.reactivate'), onClick: open('reactivate', u), divided: true },
    ]),
  ];

  return (
    <FilteredRecordTable
      name="users"
      screenTestId="users-tab"
      filters={
        <Group gap="md">
          <Text size="xs" c="dimmed" data-testid="users-count">
            {list ? t('admin.users.count', { count: list.length }) : ''}
          </Text>
          <Switch data-testid="users-include-inactive" label={t('admin.users.includeInactive')} checked={includeInactive} onChange={(e) => setIncludeInactive(e.currentTarget.checked)} />
        </Group>
      }
      actions={
        <Button data-testid="users-create" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.users.create')}
        </Button>
      }
      summary={
        notice && (
          <Text size="xs" c="green.4" data-testid="users-notice">
            {notice}
          </Text>
        )
      }
      error={users.error}
      rows={list}
      columns={columns}
      rowAttributes={(u) => ({ 'data-testid': 'user-row', 'data-username': u.username, 'data-self': String(u.id === session.user.id), 'data-active': String(u.active) })}
      dimmed={(u) => !u.active}
      empty={t('admin.users.empty')}
    >
      {dialog?.kind === 'create' && <CreateUserModal groupOptions={groupOptions} onClose={() => setDialog(null)} onDone={(u) => done(t('admin.users.created', { username: u.username }))} />}
      {dialog?.kind === 'edit' && <EditUserModal user={dialog.user} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {dialog?.kind === 'groups' && <UserGroupsModal user={dialog.user} groupOptions={groupOptions} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {dialog?.kind === 'reactivate' && <ReactivateUserModal user={dialog.user} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {dialog?.kind === 'deactivate' && (
        <ReasonModal
          command="users.deactivate"
          request={(reason) => ({ userId: dialog.user.id, reason })}
          onDone={() => done(t('common.saved'))}
          onClose={() => setDialog(null)}
          title={t('admin.users.deactivateTitle', { username: dialog.user.username })}
          intro={t('admin.users.deactivateIntro')}
          submitLabel={t('admin.users.actions.deactivate')}
          submitColor="red"
          formTestId="user-form"
          inputTestId="user-form-reason"
          submitTestId="user-form-submit"
          cancelTestId="user-form-cancel"
          errorTestId="user-form-error"
        />
      )}
    </FilteredRecordTable>
  );
}
