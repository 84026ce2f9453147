// User accounts (JON 15.3, 15.6). Accounts are deactivated with a reason, never deleted, so the
// audit trail always names a real account.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Badge, Button, Group, Menu, Modal, MultiSelect, PasswordInput, ScrollArea, Select, Stack, Switch, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GroupView, SessionView, UserView } from '../../shared/contract';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../shared/i18n-languages';
import type { CommandError } from '../../shared/result';
import { ROLES, type Role } from '../../shared/roles';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { PasswordRules } from '../components/PasswordRules';
import { currentLocale, isLanguage } from '../i18n';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: UserView }
  | { kind: 'groups'; user: UserView }
  | { kind: 'reset'; user: UserView }
  | { kind: 'deactivate'; user: UserView }
  | { kind: 'reactivate'; user: UserView }
  | null;

const LANGUAGE_OPTIONS = LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export function UsersTab({ session, canGroups }: { session: SessionView; canGroups: boolean }) {
  const api = useApi();
  const { t } = useTranslation();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [groups, setGroups] = useState<GroupView[]>([]);
  const [includeInactive, setIncludeInactive] = useState(true);
  const [error, setError] = useState<CommandError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([api.call('users.list', { includeInactive }), canGroups ? api.call('groups.list', {}) : Promise.resolve(null)]).then(
      ([u, g]) => {
        if (cancelled) return;
        if (u.ok) {
          setUsers(u.value.users);
          setError(null);
        } else setError(u.error);
        if (g?.ok) setGroups(g.value.groups);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, includeInactive, canGroups, reloadKey]);

  const groupNames = useMemo(() => new Map(groups.map((g) => [g.id, g.name])), [groups]);
  const groupOptions = useMemo(() => groups.map((g) => ({ value: String(g.id), label: g.name })), [groups]);
  const dateTime = new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'short', timeStyle: 'short' });

  const done = (message?: string) => {
    setDialog(null);
    setNotice(message ?? null);
    setReloadKey((k) => k + 1);
  };

  return (
    <Stack gap="xs" h="100%" data-testid="users-tab">
      <Group justify="space-between">
        <Group gap="md">
          <Text size="xs" c="dimmed" data-testid="users-count">
            {users ? t('admin.users.count', { count: users.length }) : ''}
          </Text>
          <Switch
            data-testid="users-include-inactive"
            label={t('admin.users.includeInactive')}
            checked={includeInactive}
            onChange={(e) => setIncludeInactive(e.currentTarget.checked)}
          />
        </Group>
        <Button data-testid="users-create" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.users.create')}
        </Button>
      </Group>
      {notice && (
        <Text size="xs" c="green.4" data-testid="users-notice">
          {notice}
        </Text>
      )}
      <ErrorAlert error={error} testId="users-error" />
      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.users.columns.username')}</Table.Th>
              <Table.Th>{t('admin.users.columns.displayName')}</Table.Th>
              <Table.Th>{t('admin.users.columns.role')}</Table.Th>
              <Table.Th>{t('admin.users.columns.language')}</Table.Th>
              <Table.Th>{t('admin.users.columns.groups')}</Table.Th>
              <Table.Th>{t('admin.users.columns.status')}</Table.Th>
              <Table.Th>{t('admin.users.columns.commitment')}</Table.Th>
              <Table.Th>{t('admin.users.columns.mustChange')}</Table.Th>
              <Table.Th w={90}>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text size="xs" c="dimmed" ta="center" py="md">
                    {t('admin.users.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {users?.map((u) => (
              <Table.Tr key={u.id} data-testid="user-row" data-username={u.username} data-self={String(u.id === session.user.id)} data-active={String(u.active)} style={u.active ? undefined : { opacity: 0.55 }}>
                <Table.Td ff="monospace" fw={600}>
                  {u.username}
                </Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={u.role === 'administrator' ? 'grape' : u.role === 'auditor' ? 'teal' : u.role === 'supervisor' ? 'indigo' : 'gray'}>
                    {t(`roles.${u.role}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{LANGUAGE_NAMES[u.language]}</Table.Td>
                <Table.Td data-testid="user-groups">
                  {u.groupIds.length === 0
                    ? t('common.none')
                    : u.groupIds.map((id) => groupNames.get(id) ?? `#${id}`).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={u.active ? 'green' : 'red'} data-testid="user-status">
                    {t(u.active ? 'admin.users.status.active' : 'admin.users.status.deactivated')}
                  </Badge>
                </Table.Td>
                <Table.Td className="oc-nowrap">{u.commitmentAcceptedAtMs === null ? t('admin.users.commitmentNever') : dateTime.format(u.commitmentAcceptedAtMs)}</Table.Td>
                <Table.Td data-testid="user-must-change">{t(u.mustChangePassword ? 'common.yes' : 'common.no')}</Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button variant="default" size="compact-xs" data-testid="user-actions">
                        {t('common.actions')} ▾
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item data-testid="user-action-edit" onClick={() => setDialog({ kind: 'edit', user: u })}>
                        {t('admin.users.actions.edit')}
                      </Menu.Item>
                      {canGroups && (
                        <Menu.Item data-testid="user-action-groups" onClick={() => setDialog({ kind: 'groups', user: u })}>
                          {t('admin.users.actions.groups')}
                        </Menu.Item>
                      )}
                      <Menu.Item data-testid="user-action-reset" onClick={() => setDialog({ kind: 'reset', user: u })}>
                        {t('admin.users.actions.resetPassword')}
                      </Menu.Item>
                      <Menu.Divider />
                      {u.active ? (
                        <Menu.Item color="red" data-testid="user-action-deactivate" onClick={() => setDialog({ kind: 'deactivate', user: u })}>
                          {t('admin.users.actions.deactivate')}
                        </Menu.Item>
                      ) : (
                        <Menu.Item data-testid="user-action-reactivate" onClick={() => setDialog({ kind: 'reactivate', user: u })}>
                          {t('admin.users.actions.reactivate')}
                        </Menu.Item>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {dialog?.kind === 'create' && (
        <CreateUserModal groupOptions={groupOptions} onClose={() => setDialog(null)} onDone={(u) => done(t('admin.users.created', { username: u.username }))} />
      )}
      {dialog?.kind === 'edit' && <EditUserModal user={dialog.user} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {dialog?.kind === 'groups' && (
        <UserGroupsModal user={dialog.user} groupOptions={groupOptions} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />
      )}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
      {(dialog?.kind === 'deactivate' || dialog?.kind === 'reactivate') && (
        <ActivationModal user={dialog.user} kind={dialog.kind} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />
      )}
    </Stack>
  );
}

function useRoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
}

function ModalButtons({ onClose, submitLabel, busy, testId, danger }: { onClose: () => void; submitLabel: string; busy: boolean; testId: string; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose} data-testid="user-form-cancel">
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={busy} data-testid={testId} color={danger ? 'red' : undefined}>
        {submitLabel}
      </Button>
    </Group>
  );
}

function CreateUserModal({ groupOptions, onClose, onDone }: { groupOptions: { value: string; label: string }[]; onClose: () => void; onDone: (user: UserView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const roleOptions = useRoleOptions();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('guard');
  const [language, setLanguage] = useState<Language>(() => {
    const current = document.documentElement.lang;
    return isLanguage(current) ? current : 'en';
  });
  const [initialPassword, setInitialPassword] = useState('');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('users.create', { username, displayName, role, language, initialPassword, groupIds: groupIds.map(Number) });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.createTitle')} size="md">
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-form">
        <Stack gap="sm">
          <TextInput data-testid="user-form-username" label={t('admin.users.form.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" data-autofocus />
          <TextInput data-testid="user-form-displayname" label={t('admin.users.form.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} />
          <Group grow>
            <Select data-testid="user-form-role" label={t('admin.users.form.role')} data={roleOptions} value={role} onChange={(v) => isRole(v) && setRole(v)} />
            <Select data-testid="user-form-language" label={t('admin.users.form.language')} data={LANGUAGE_OPTIONS} value={language} onChange={(v) => isLanguage(v) && setLanguage(v)} />
          </Group>
          <PasswordInput
            data-testid="user-form-password"
            label={t('admin.users.form.initialPassword')}
            description={t('admin.users.form.initialPasswordHint')}
            value={initialPassword}
            onChange={(e) => setInitialPassword(e.currentTarget.value)}
            autoComplete="new-password"
          />
          <PasswordRules />
          <MultiSelect
            data-testid="user-form-groups"
            label={t('admin.users.form.groups')}
            placeholder={groupIds.length ? undefined : t('admin.users.form.groupsPlaceholder')}
            data={groupOptions}
            value={groupIds}
            onChange={setGroupIds}
            searchable
            clearable
          />
          <ErrorAlert error={error} testId="user-form-error" />
          <ModalButtons onClose={onClose} submitLabel={t('common.create')} busy={busy} testId="user-form-submit" />
        </Stack>
      </form>
    </Modal>
  );
}

function EditUserModal({ user, onClose, onDone }: { user: UserView; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const roleOptions = useRoleOptions();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [language, setLanguage] = useState<Language>(user.language);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('users.update', { userId: user.id, displayName, role, language });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.editTitle', { username: user.username })}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-form">
        <Stack gap="sm">
          <TextInput data-testid="user-form-displayname" label={t('admin.users.form.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} data-autofocus />
          <Group grow>
            <Select data-testid="user-form-role" label={t('admin.users.form.role')} data={roleOptions} value={role} onChange={(v) => isRole(v) && setRole(v)} />
            <Select data-testid="user-form-language" label={t('admin.users.form.language')} data={LANGUAGE_OPTIONS} value={language} onChange={(v) => isLanguage(v) && setLanguage(v)} />
          </Group>
          <ErrorAlert error={error} testId="user-form-error" />
          <ModalButtons onClose={onClose} submitLabel={t('common.save')} busy={busy} testId="user-form-submit" />
        </Stack>
      </form>
    </Modal>
  );
}

function UserGroupsModal({ user, groupOptions, onClose, onDone }: { user: UserView; groupOptions: { value: string; label: string }[]; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [groupIds, setGroupIds] = useState<string[]>(user.groupIds.map(String));
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('users.setGroups', { userId: user.id, groupIds: groupIds.map(Number) });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.groupsTitle', { username: user.username })}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-form">
        <Stack gap="sm">
          <MultiSelect
            data-testid="user-form-groups"
            label={t('admin.users.form.groups')}
            placeholder={groupIds.length ? undefined : t('admin.users.form.groupsPlaceholder')}
            data={groupOptions}
            value={groupIds}
            onChange={setGroupIds}
            searchable
            clearable
          />
          <ErrorAlert error={error} testId="user-form-error" />
          <ModalButtons onClose={onClose} submitLabel={t('common.save')} busy={busy} testId="user-form-submit" />
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose, onDone }: { user: UserView; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('users.resetPassword', { userId: user.id, temporaryPassword });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.resetTitle', { username: user.username })}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-form">
        <Stack gap="sm">
          <Text size="sm">{t('admin.users.resetIntro')}</Text>
          <PasswordInput
            data-testid="user-form-password"
            label={t('admin.users.form.temporaryPassword')}
            value={temporaryPassword}
            onChange={(e) => setTemporaryPassword(e.currentTarget.value)}
            autoComplete="new-password"
            data-autofocus
          />
          <PasswordRules />
          <ErrorAlert error={error} testId="user-form-error" />
          <ModalButtons onClose={onClose} submitLabel={t('admin.users.actions.resetPassword')} busy={busy} testId="user-form-submit" />
        </Stack>
      </form>
    </Modal>
  );
}

const MIN_REASON_LENGTH = 5;

function ActivationModal({ user, kind, onClose, onDone }: { user: UserView; kind: 'deactivate' | 'reactivate'; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonOk = reason.trim().length >= MIN_REASON_LENGTH;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reasonOk) return;
    setBusy(true);
    const result = await api.call(kind === 'deactivate' ? 'users.deactivate' : 'users.reactivate', { userId: user.id, reason });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Modal opened onClose={onClose} title={t(kind === 'deactivate' ? 'admin.users.deactivateTitle' : 'admin.users.reactivateTitle', { username: user.username })}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-form">
        <Stack gap="sm">
          <Text size="sm">{t(kind === 'deactivate' ? 'admin.users.deactivateIntro' : 'admin.users.reactivateIntro')}</Text>
          <Textarea
            data-testid="user-form-reason"
            label={t('common.reason')}
            description={t('common.reasonHint')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            data-autofocus
          />
          <ErrorAlert error={error} testId="user-form-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="user-form-cancel">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!reasonOk} data-testid="user-form-submit" color={kind === 'deactivate' ? 'red' : undefined}>
              {t(kind === 'deactivate' ? 'admin.users.actions.deactivate' : 'admin.users.actions.reactivate')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
