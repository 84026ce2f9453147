// Creating and editing a user, their camera groups and a temporary password (JON 15.3, 15.6). The
// forms are checked by the contract's own request schemas (kit/zod-form.ts); the password policy
// is the engine's (its refusal names the rule).
import { MultiSelect, PasswordInput, Select, TextInput, Textarea, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMMANDS, type UserView } from '../../shared/contract';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../shared/i18n-languages';
import { ROLES, type Role } from '../../shared/roles';
import { GrantTermsFields, NO_TERMS, termsRequest, type TermsValues } from '../access/GrantTerms';
import { PasswordRules } from '../components/PasswordRules';
import { isLanguage } from '../i18n';
import { FormModal } from '../kit/FormModal';
import { useAction } from '../kit/use-action';
import { useContractForm } from '../kit/zod-form';

const LANGUAGE_OPTIONS = LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));
type Option = { value: string; label: string };
/** What a generic wording cannot explain: the user name's format. */
const MESSAGES = { username: 'errors.fields.username' };

interface Frame {
  onClose: () => void;
}

function useRoleOptions(): Option[] {
  const { t } = useTranslation();
  return ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
}

/** The dialog frame the user forms share: the same test ids, Cancel and submit. */
function UserFormModal({ title, submitLabel, onClose, onSubmit, busy, error, children, size }: Frame & { title: string; submitLabel: string; onSubmit: () => void; busy: boolean; error: ReturnType<typeof useAction>['error']; children: React.ReactNode; size?: 'md' }) {
  return (
    <FormModal title={title} size={size} onClose={onClose} onSubmit={onSubmit} submitLabel={submitLabel} busy={busy} error={error} formTestId="user-form" submitTestId="user-form-submit" cancelTestId="user-form-cancel" errorTestId="user-form-error">
      {children}
    </FormModal>
  );
}

interface CreateValues extends Record<string, unknown>, TermsValues {
  username: string;
  displayName: string;
  role: Role;
  language: Language;
  initialPassword: string;
  groupIds: string[];
}

const createRequest = ({ basis, validUntil, ...v }: CreateValues) => ({ ...v, groupIds: v.groupIds.map(Number), ...termsRequest({ basis, validUntil }) });

export function CreateUserModal({ groupOptions, onClose, onDone }: Frame & { groupOptions: Option[]; onDone: (user: UserView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const roleOptions = useRoleOptions();
  const current = document.documentElement.lang;
  const form = useContractForm<CreateValues>(
    { username: '', displayName: '', role: 'guard', language: isLanguage(current) ? current : 'en', initialPassword: '', groupIds: [], ...NO_TERMS },
    { schema: COMMANDS['users.create'].request, toRequest: createRequest, messages: MESSAGES },
  );
  const submit = form.onSubmit(async (values) => {
    const user = await action.run('users.create', createRequest(values));
    if (user) onDone(user);
  });
  return (
    <UserFormModal title={t('admin.users.createTitle')} size="md" submitLabel={t('common.create')} onClose={onClose} onSubmit={() => submit()} busy={action.busy} error={action.error}>
      <TextInput data-testid="user-form-username" label={t('admin.users.form.username')} autoComplete="off" data-autofocus {...form.getInputProps('username')} />
      <TextInput data-testid="user-form-displayname" label={t('admin.users.form.displayName')} {...form.getInputProps('displayName')} />
      <Group grow align="flex-start">
        <Select data-testid="user-form-role" label={t('admin.users.form.role')} data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
        <Select data-testid="user-form-language" label={t('admin.users.form.language')} data={LANGUAGE_OPTIONS} allowDeselect={false} {...form.getInputProps('language')} />
      </Group>
      <PasswordInput
        data-testid="user-form-password"
        label={t('admin.users.form.initialPassword')}
        description={t('admin.users.form.initialPasswordHint')}
        autoComplete="new-password"
        {...form.getInputProps('initialPassword')}
      />
      <PasswordRules />
      <GroupsSelect options={groupOptions} {...form.getInputProps('groupIds')} />
      <GrantTermsFields basis={form.getInputProps('basis')} validUntil={form.values.validUntil} onValidUntil={(v) => form.setFieldValue('validUntil', v)} hint={t('access.terms.basisHintNew')} />
    </UserFormModal>
  );
}

interface EditValues extends Record<string, unknown>, TermsValues {
  displayName: string;
  role: Role;
  language: Language;
}

export function EditUserModal({ user, onClose, onDone }: Frame & { user: UserView; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const roleOptions = useRoleOptions();
  const toRequest = ({ basis, validUntil, ...v }: EditValues) => ({ userId: user.id, ...v, ...termsRequest({ basis, validUntil }) });
  const form = useContractForm<EditValues>({ displayName: user.displayName, role: user.role, language: user.language, ...NO_TERMS }, { schema: COMMANDS['users.update'].request, toRequest });
  const submit = form.onSubmit(async (values) => {
    if (await action.run('users.update', toRequest(values))) onDone();
  });
  return (
    <UserFormModal title={t('admin.users.editTitle', { username: user.username })} submitLabel={t('common.save')} onClose={onClose} onSubmit={() => submit()} busy={action.busy} error={action.error}>
      <TextInput data-testid="user-form-displayname" label={t('admin.users.form.displayName')} data-autofocus {...form.getInputProps('displayName')} />
      <Group grow align="flex-start">
        <Select data-testid="user-form-role" label={t('admin.users.form.role')} data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
        <Select data-testid="user-form-language" label={t('admin.users.form.language')} data={LANGUAGE_OPTIONS} allowDeselect={false} {...form.getInputProps('language')} />
      </Group>
      <GrantTermsFields basis={form.getInputProps('basis')} validUntil={form.values.validUntil} onValidUntil={(v) => form.setFieldValue('validUntil', v)} hint={t('access.terms.basisHintChange')} />
    </UserFormModal>
  );
}

function GroupsSelect({ options, value, ...input }: { options: Option[]; value?: string[]; onChange?: (value: string[]) => void; error?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <MultiSelect
      data-testid="user-form-groups"
      label={t('admin.users.form.groups')}
      placeholder={value?.length ? undefined : t('admin.users.form.groupsPlaceholder')}
      data={options}
      value={value}
      searchable
      clearable
      {...input}
    />
  );
}

export function UserGroupsModal({ user, groupOptions, onClose, onDone }: Frame & { user: UserView; groupOptions: Option[]; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const toRequest = ({ basis, validUntil, groupIds }: { groupIds: string[] } & TermsValues) => ({ userId: user.id, groupIds: groupIds.map(Number), ...termsRequest({ basis, validUntil }) });
  const form = useContractForm({ groupIds: user.groupIds.map(String), ...NO_TERMS }, { schema: COMMANDS['users.setGroups'].request, toRequest });
  const submit = form.onSubmit(async (values) => {
    if (await action.run('users.setGroups', toRequest(values))) onDone();
  });
  return (
    <UserFormModal title={t('admin.users.groupsTitle', { username: user.username })} submitLabel={t('common.save')} onClose={onClose} onSubmit={() => submit()} busy={action.busy} error={action.error}>
      <GroupsSelect options={groupOptions} {...form.getInputProps('groupIds')} />
      <GrantTermsFields basis={form.getInputProps('basis')} validUntil={form.values.validUntil} onValidUntil={(v) => form.setFieldValue('validUntil', v)} hint={t('access.terms.basisHintGroups')} />
    </UserFormModal>
  );
}

/** Coming back is a new grant (KRK §5.4.5): the reason, and the basis a second person approves. */
export function ReactivateUserModal({ user, onClose, onDone }: Frame & { user: UserView; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const toRequest = ({ basis, validUntil, reason }: { reason: string } & TermsValues) => ({ userId: user.id, reason, ...termsRequest({ basis, validUntil }) });
  const form = useContractForm({ reason: '', ...NO_TERMS }, { schema: COMMANDS['users.reactivate'].request, toRequest });
  const submit = form.onSubmit(async (values) => {
    if (await action.run('users.reactivate', toRequest(values))) onDone();
  });
  return (
    <UserFormModal title={t('admin.users.reactivateTitle', { username: user.username })} submitLabel={t('admin.users.actions.reactivate')} onClose={onClose} onSubmit={() => submit()} busy={action.busy} error={action.error}>
      <Text size="sm">{t('admin.users.reactivateIntro')}</Text>
      <Textarea data-testid="user-form-reason" label={t('access.terms.reason')} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
      <GrantTermsFields basis={form.getInputProps('basis')} validUntil={form.values.validUntil} onValidUntil={(v) => form.setFieldValue('validUntil', v)} hint={t('access.terms.basisHintReactivate')} />
    </UserFormModal>
  );
}

export function ResetPasswordModal({ user, onClose, onDone }: Frame & { user: UserView; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const toRequest = (v: { temporaryPassword: string }) => ({ userId: user.id, ...v });
  const form = useContractForm({ temporaryPassword: '' }, { schema: COMMANDS['users.resetPassword'].request, toRequest });
  const submit = form.onSubmit(async (values) => {
    if (await action.run('users.resetPassword', toRequest(values))) onDone();
  });
  return (
    <UserFormModal title={t('admin.users.resetTitle', { username: user.username })} submitLabel={t('admin.users.actions.resetPassword')} onClose={onClose} onSubmit={() => submit()} busy={action.busy} error={action.error}>
      <Text size="sm">{t('admin.users.resetIntro')}</Text>
      <PasswordInput data-testid="user-form-password" label={t('admin.users.form.temporaryPassword')} autoComplete="new-password" data-autofocus {...form.getInputProps('temporaryPassword')} />
      <PasswordRules />
    </UserFormModal>
  );
}
