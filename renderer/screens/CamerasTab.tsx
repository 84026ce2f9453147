// Cameras (docs/design/live-pipeline.md): purpose, area type and retention per camera (KRK §6.1, BRN/JON/ELB
// presets), sources added by discovery, ONVIF address or RTSP URL (CameraFormModal). Camera
// passwords are write-only: the engine keeps them in the system keychain and the console only
// says whether one is stored.
import { useState } from 'react';
import { Badge, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TileState } from '../../shared/cameras';
import type { CameraAdminView } from '../../shared/contract';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { ReasonModal } from '../kit/ReasonModal';
import { rowMenuColumn } from '../kit/RowMenu';
import { StatusBadge } from '../kit/StatusBadge';
import { useCommand } from '../kit/use-command';
import { StateDot } from '../live/LiveTile';
import { MaskEditor } from '../masks/MaskEditor';
import { siteHasNodes } from '../nodes/nodes-model';
import { CameraFormModal, isAreaType } from './CameraFormModal';

type Dialog = { kind: 'add' } | { kind: 'edit' | 'enable' | 'masks'; camera: CameraAdminView } | null;

/** States change on their own (a camera goes offline): the table is read again this often while shown. */
const REFRESH_MS = 5000;

export function CamerasTab() {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useCommand('cameras.adminList', {}, [], { pollMs: REFRESH_MS });
  const groupList = useCommand('groups.list', {}, []);
  // The site's nodes (docs/design/scale.md "Nodes in the console"): with more than one, each camera
  // says which node records it and the dialog offers its home node.
  const nodeList = useCommand('nodes.list', {}, [], { pollMs: REFRESH_MS });
  const cameras = list.value?.cameras ?? null;
  const groups = groupList.value?.groups ?? [];
  const nodes = nodeList.value;

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    list.reload();
  };

  const columns: Column<CameraAdminView>[] = [
    { key: 'name', header: t('admin.cameras.columns.name'), cell: (c) => <Text fw={600} size="sm">{c.name}</Text> },
    { key: 'site', header: t('admin.cameras.columns.site'), cell: (c) => c.site },
    { key: 'group', header: t('admin.cameras.columns.group'), cell: (c) => c.groupName },
    {
      key: 'area',
      header: t('admin.cameras.columns.area'),
      nowrap: true,
      cell: (c) => (
        <>
          {isAreaType(c.areaType) ? t(`admin.cameras.area.${c.areaType}`) : c.areaType}
          <Text span size="xs" c="dimmed" ml={6} data-testid="camera-retention">
            {t('admin.cameras.days', { count: c.retentionDays })}
          </Text>
        </>
      ),
    },
    {
      key: 'source',
      header: t('admin.cameras.columns.source'),
      cell: (c) => (
        <Badge variant="outline" color="gray" data-testid="camera-source-kind" style={{ minWidth: 'max-content' }}>
          {c.source.kind === 'onvif' ? 'ONVIF' : 'RTSP'}
        </Badge>
      ),
    },
    {
      key: 'urls',
      header: t('admin.cameras.columns.urls'),
      maxWidth: 320,
      cellProps: () => ({ 'data-testid': 'camera-urls', className: 'oc-mono' }),
      cell: (c) => `${c.source.mainUrl}${c.source.subUrl ? `\n${c.source.subUrl}` : ''}`,
    },
    { key: 'username', header: t('admin.cameras.columns.username'), cell: (c) => <Text ff="monospace" size="sm">{c.username ?? t('common.none')}</Text> },
    { key: 'password', header: t('admin.cameras.columns.password'), cellProps: () => ({ 'data-testid': 'camera-password' }), cell: (c) => (c.hasPassword ? t('admin.cameras.passwordStored') : t('common.none')) },
    {
      key: 'state',
      header: t('admin.cameras.columns.state'),
      nowrap: true,
      cellProps: (c) => ({ 'data-testid': 'camera-state', 'data-state': c.main.state, title: c.main.detail ?? undefined }),
      cell: (c) => (
        <Group gap={4} wrap="nowrap">
          <StateDot state={c.main.state as TileState} />
          {t(`live.state.${c.main.state}`)}
          {c.main.transcoding && (
            <Badge size="xs" color="orange" variant="light">
              {t('live.transcodingBadge')}
            </Badge>
          )}
        </Group>
      ),
    },
    ...(siteHasNodes(nodes)
      ? [
          {
            key: 'node',
            header: t('nodes.camerasColumn'),
            nowrap: true,
            cellProps: (c: CameraAdminView) => ({ 'data-testid': 'camera-node', 'data-held-by': c.heldBy ?? '', 'data-home-node': c.homeNode ?? '' }),
            cell: (c: CameraAdminView) => (
              <>
                {c.heldBy === null ? (
                  <Text span size="sm" c={c.enabled ? 'yellow.4' : 'dimmed'}>
                    {t('common.none')}
                  </Text>
                ) : (
                  <Text span size="sm" ff="monospace">
                    {c.heldBy}
                  </Text>
                )}
                {c.homeNode !== null && (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {c.homeNode === c.heldBy ? t('nodes.camerasAtHome') : t('nodes.camerasHome', { node: c.homeNode })}
                  </Text>
                )}
              </>
            ),
          } satisfies Column<CameraAdminView>,
        ]
      : []),
    {
      key: 'enabled',
      header: t('admin.cameras.columns.enabled'),
      cell: (c) => <StatusBadge status={c.enabled ? 'enabled' : 'disabled'} label={t(c.enabled ? 'admin.cameras.enabled' : 'admin.cameras.disabled')} colour={c.enabled ? 'green' : 'gray'} testId="camera-enabled" />,
    },
    rowMenuColumn(t('common.actions'), 'camera-actions', (c) => [
      { testId: 'camera-action-edit', label: t('admin.cameras.edit'), onClick: () => setDialog({ kind: 'edit', camera: c }) },
      { testId: 'camera-action-masks', label: t('admin.cameras.masksAction'), onClick: () => setDialog({ kind: 'masks', camera: c }) },
      { testId: 'camera-action-enable', label: t(c.enabled ? 'admin.cameras.disable' : 'admin.cameras.enable'), onClick: () => setDialog({ kind: 'enable', camera: c }), colour: c.enabled ? 'red' : undefined },
    ]),
  ];

  const enabling = dialog?.kind === 'enable' && !dialog.camera.enabled;
  return (
    <FilteredRecordTable
      name="cameras"
      screenTestId="cameras-tab"
      filters={
        <Text size="xs" c="dimmed" data-testid="cameras-count">
          {cameras ? t('admin.cameras.count', { count: cameras.length }) : ''}
        </Text>
      }
      actions={
        // Disabled only once the groups are known to be none: not for the moment between the camera
        // list arriving and the group list (a click then was lost: seen in a journey).
        <Button data-testid="cameras-add" onClick={() => setDialog({ kind: 'add' })} disabled={groupList.value !== null && groups.length === 0}>
          {t('admin.cameras.add')}
        </Button>
      }
      summary={
        <>
          {cameras !== null && groupList.value !== null && groups.length === 0 && (
            <Text size="xs" c="yellow.4" data-testid="cameras-no-groups">
              {t('admin.cameras.noGroups')}
            </Text>
          )}
          {notice && (
            <Text size="xs" c="green.4" data-testid="cameras-notice">
              {notice}
            </Text>
          )}
        </>
      }
      error={list.error}
      rows={cameras}
      columns={columns}
      rowAttributes={(c) => ({ 'data-testid': 'camera-row', 'data-camera-id': c.id, 'data-name': c.name, 'data-enabled': String(c.enabled) })}
      dimmed={(c) => !c.enabled}
      empty={t('admin.cameras.empty')}
    >
      {(dialog?.kind === 'add' || dialog?.kind === 'edit') && (
        <CameraFormModal
          camera={dialog.kind === 'edit' ? dialog.camera : null}
          groups={groups}
          nodes={nodes}
          onClose={() => setDialog(null)}
          onDone={(c) => done(t(dialog.kind === 'add' ? 'admin.cameras.added' : 'admin.cameras.updated', { name: c.name }))}
        />
      )}
      {dialog?.kind === 'masks' && <MaskEditor camera={dialog.camera} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'enable' && (
        <ReasonModal
          command="cameras.setEnabled"
          request={(reason) => ({ cameraId: dialog.camera.id, enabled: enabling, reason })}
          onDone={() => done(t('common.saved'))}
          onClose={() => setDialog(null)}
          title={t(enabling ? 'admin.cameras.enableTitle' : 'admin.cameras.disableTitle', { name: dialog.camera.name })}
          intro={t(enabling ? 'admin.cameras.enableIntro' : 'admin.cameras.disableIntro')}
          submitLabel={t(enabling ? 'admin.cameras.enable' : 'admin.cameras.disable')}
          submitColor={enabling ? undefined : 'red'}
          errorContext="camera"
          formTestId="camera-enable-form"
          inputTestId="camera-enable-reason"
          submitTestId="camera-enable-submit"
          errorTestId="camera-enable-error"
        />
      )}
    </FilteredRecordTable>
  );
}
