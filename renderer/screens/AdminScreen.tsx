import type { ReactNode } from 'react';
import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView, StorageView } from '../../shared/contract';
import { CategoriesTab } from '../incidents/CategoriesTab';
import { NodesPanel } from '../nodes/NodesPanel';
import { StorageScreen } from '../storage/StorageScreen';
import { CamerasTab } from './CamerasTab';
import { GroupsTab } from './GroupsTab';
import { SeatsTab } from './SeatsTab';
import { SecurityTab } from './SecurityTab';
import { UsersTab } from './UsersTab';

export type AdminTab = 'users' | 'groups' | 'cameras' | 'storage' | 'security' | 'incidents' | 'seats' | 'nodes';
const ADMIN_TABS: readonly AdminTab[] = ['users', 'groups', 'cameras', 'storage', 'security', 'incidents', 'seats', 'nodes'];
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
  const tabs: { id: AdminTab; permission: SessionView['permissions'][number]; label: string; content: ReactNode; fill: boolean }[] = [
    { id: 'users', permission: 'users.manage', label: t('admin.tabs.users'), content: <UsersTab session={session} canGroups={can('groups.manage')} />, fill: true },
    { id: 'groups', permission: 'groups.manage', label: t('admin.tabs.groups'), content: <GroupsTab />, fill: true },
    { id: 'cameras', permission: 'cameras.manage', label: t('admin.tabs.cameras'), content: <CamerasTab />, fill: true },
    { id: 'storage', permission: 'storage.view', label: t('admin.tabs.storage'), content: <StorageScreen session={session} onStorageView={onStorageView} />, fill: true },
    // The site's nodes (docs/design/scale.md "Nodes in the console"): read-only, beside the storage they hold.
    { id: 'nodes', permission: 'storage.view', label: t('nodes.tab'), content: <NodesPanel canRetire={can('settings.manage')} />, fill: true },
    { id: 'security', permission: 'settings.manage', label: t('admin.tabs.security'), content: <SecurityTab />, fill: false },
    { id: 'incidents', permission: 'settings.manage', label: t('incidentsAdmin.tab'), content: <CategoriesTab />, fill: true },
    { id: 'seats', permission: 'settings.manage', label: t('seats.tab'), content: <SeatsTab />, fill: true },
  ];
  return (
    <Tabs value={tab} onChange={(v) => isAdminTab(v) && onTabChange(v)} keepMounted={false} variant="outline" data-testid="admin-screen" h="100%" style={{ display: 'flex', flexDirection: 'column' }}>
      <Tabs.List>
        {tabs
          .filter((x) => can(x.permission))
          .map((x) => (
            <Tabs.Tab key={x.id} value={x.id} data-testid={`admin-tab-${x.id}`}>
              {x.label}
            </Tabs.Tab>
          ))}
      </Tabs.List>
      {tabs.map((x) => (
        <Tabs.Panel key={x.id} value={x.id} pt="xs" style={x.fill ? { flex: 1, minHeight: 0 } : undefined}>
          {x.content}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
