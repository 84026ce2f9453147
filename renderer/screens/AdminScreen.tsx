import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView, StorageView } from '../../shared/contract';
import { CategoriesTab } from '../incidents/CategoriesTab';
import { StorageScreen } from '../storage/StorageScreen';
import { CamerasTab } from './CamerasTab';
import { GroupsTab } from './GroupsTab';
import { SecurityTab } from './SecurityTab';
import { UsersTab } from './UsersTab';

export type AdminTab = 'users' | 'groups' | 'cameras' | 'storage' | 'security' | 'incidents';
const ADMIN_TABS: readonly AdminTab[] = ['users', 'groups', 'cameras', 'storage', 'security', 'incidents'];
const isAdminTab = (v: string | null): v is AdminTab => ADMIN_TABS.some((tab) => tab === v);

export function AdminScreen({
  session,
  tab,
  onTabChange,
  onStorageView,
}: {
  session: SessionView;
  tab: AdminTab;
  onTabChange: (tab: AdminTab) => void;
  onStorageView: (view: StorageView) => void;
}) {
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  return (
    <Tabs value={tab} onChange={(v) => isAdminTab(v) && onTabChange(v)} keepMounted={false} variant="outline" data-testid="admin-screen" h="100%" style={{ display: 'flex', flexDirection: 'column' }}>
      <Tabs.List>
        {can('users.manage') && (
          <Tabs.Tab value="users" data-testid="admin-tab-users">
            {t('admin.tabs.users')}
          </Tabs.Tab>
        )}
        {can('groups.manage') && (
          <Tabs.Tab value="groups" data-testid="admin-tab-groups">
            {t('admin.tabs.groups')}
          </Tabs.Tab>
        )}
        {can('cameras.manage') && (
          <Tabs.Tab value="cameras" data-testid="admin-tab-cameras">
            {t('admin.tabs.cameras')}
          </Tabs.Tab>
        )}
        {can('storage.view') && (
          <Tabs.Tab value="storage" data-testid="admin-tab-storage">
            {t('admin.tabs.storage')}
          </Tabs.Tab>
        )}
        {can('settings.manage') && (
          <Tabs.Tab value="security" data-testid="admin-tab-security">
            {t('admin.tabs.security')}
          </Tabs.Tab>
        )}
        {can('settings.manage') && (
          <Tabs.Tab value="incidents" data-testid="admin-tab-incidents">
            {t('incidentsAdmin.tab')}
          </Tabs.Tab>
        )}
      </Tabs.List>
      <Tabs.Panel value="users" pt="xs" style={{ flex: 1, minHeight: 0 }}>
        <UsersTab session={session} canGroups={can('groups.manage')} />
      </Tabs.Panel>
      <Tabs.Panel value="groups" pt="xs" style={{ flex: 1, minHeight: 0 }}>
        <GroupsTab />
      </Tabs.Panel>
      <Tabs.Panel value="cameras" pt="xs" style={{ flex: 1, minHeight: 0 }}>
        <CamerasTab />
      </Tabs.Panel>
      <Tabs.Panel value="storage" pt="xs" style={{ flex: 1, minHeight: 0 }}>
        <StorageScreen session={session} onStorageView={onStorageView} />
      </Tabs.Panel>
      <Tabs.Panel value="security" pt="xs">
        <SecurityTab />
      </Tabs.Panel>
      <Tabs.Panel value="incidents" pt="xs" style={{ flex: 1, minHeight: 0 }}>
        <CategoriesTab />
      </Tabs.Panel>
    </Tabs>
  );
}
