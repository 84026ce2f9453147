import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { CamerasTab } from './CamerasTab';
import { GroupsTab } from './GroupsTab';
import { SecurityTab } from './SecurityTab';
import { UsersTab } from './UsersTab';

export function AdminScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  return (
    <Tabs defaultValue="users" keepMounted={false} variant="outline" data-testid="admin-screen" h="100%" style={{ display: 'flex', flexDirection: 'column' }}>
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
        {can('settings.manage') && (
          <Tabs.Tab value="security" data-testid="admin-tab-security">
            {t('admin.tabs.security')}
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
      <Tabs.Panel value="security" pt="xs">
        <SecurityTab />
      </Tabs.Panel>
    </Tabs>
  );
}
