// The nodes of the site (docs/design/scale.md "Nodes in the console"): each engine sharing the site's
// database, whether it is up (renewed its leases within one lease time), the cameras it ingests and
// records now, and the footage its disk holds; cameras no node records are called out. Read-only:
// administrators (Administration › Nodes), supervisors and auditors (the storage page) read it the
// same. On one machine it says so, with that machine as the only entry. Administrators may retire a
// node that is down for good (RetireNodeModal); a retired node stays listed, saying when, by whom, why.
import { Fragment, useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NodeCameraView, NodeView, RetiredNodeView } from '../../shared/contract';
import { formatDateTime, formatDateTimeSeconds } from '../kit/format-time';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { StatusBadge } from '../kit/StatusBadge';
import { useCommand } from '../kit/use-command';
import { formatBytes } from '../storage/storage-model';
import { hiddenCameras, mayRetire, nodeStatus, type NodeStatus } from './nodes-model';
import { RetireNodeModal } from './RetireNodeModal';

/** Read again this often while shown: a node going down shows within a lease time and this (the command is not audited). */
export const NODES_POLL_MS = 5000;

const STATUS_COLOURS: Record<NodeStatus, string> = { up: 'green', down: 'red', gone: 'gray', retired: 'gray' };

/** `embedded`: a card on the storage page (the table as tall as its rows) rather than a tab filling its
 *  room. `canRetire`: the caller may retire nodes (settings.manage; the engine checks it again). */
export function NodesPanel({ embedded = false, canRetire = false }: { embedded?: boolean; canRetire?: boolean }) {
  const { t } = useTranslation();
  const list = useCommand('nodes.list', {}, [], { pollMs: NODES_POLL_MS });
  const view = list.value;
  const nodes = view?.nodes ?? null;
  const [retiring, setRetiring] = useState<NodeView | null>(null);
  const [retired, setRetired] = useState<RetiredNodeView | null>(null);

  const columns: Column<NodeView>[] = [
    {
      key: 'name',
      header: t('nodes.columns.name'),
      maxWidth: 320,
      cell: (n) => (
        <Stack gap={2}>
          <Group gap={6} wrap="nowrap">
            <Text fw={600} size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
              {n.name}
            </Text>
            {n.self && (
              <Badge size="xs" variant="light" color="accent" tt="none" data-testid="node-self" style={{ minWidth: 'max-content' }}>
                {t('nodes.self')}
              </Badge>
            )}
          </Group>
          {n.retired && (
            <Text size="xs" c="dimmed" data-testid="node-retired">
              {t('nodes.retiredBy', { at: formatDateTime(n.retired.atMs), by: n.retired.by, reason: n.retired.reason })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'status',
      header: t('nodes.columns.status'),
      width: 130,
      cell: (n) => {
        const status = nodeStatus(n);
        return <StatusBadge status={status} label={t(`nodes.status.${status}`)} colour={STATUS_COLOURS[status]} testId="node-status" />;
      },
    },
    { key: 'url', header: t('nodes.columns.url'), nowrap: true, cell: (n) => <Text ff="monospace" size="xs">{n.url ?? '—'}</Text> },
    { key: 'started', header: t('nodes.columns.started'), nowrap: true, cell: (n) => (n.startedAtMs === null ? '—' : formatDateTime(n.startedAtMs)) },
    {
      key: 'lastSeen',
      header: t('nodes.columns.lastSeen'),
      nowrap: true,
      cellProps: () => ({ 'data-testid': 'node-last-seen' }),
      cell: (n) => (n.lastSeenAtMs === null ? '—' : formatDateTimeSeconds(n.lastSeenAtMs)),
    },
    {
      key: 'cameras',
      header: t('nodes.columns.cameras'),
      maxWidth: 420,
      cellProps: (n) => ({ 'data-testid': 'node-cameras', 'data-count': n.cameraCount }),
      cell: (n) => <HeldCameras held={n} holder={n.name} />,
    },
    { key: 'footage', header: t('nodes.columns.footage'), align: 'right', nowrap: true, cellProps: () => ({ 'data-testid': 'node-footage' }), cell: (n) => formatBytes(n.recordingBytes) },
    ...(canRetire && nodes?.some(mayRetire)
      ? [
          {
            key: 'actions',
            header: '',
            nowrap: true,
            cell: (n: NodeView) =>
              mayRetire(n) && (
                <Button size="compact-xs" variant="light" color="red" data-testid="node-retire" onClick={() => setRetiring(n)}>
                  {t('nodes.retire.open')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const up = nodes?.filter((n) => n.up).length ?? 0;
  return (
    <FilteredRecordTable
      name="nodes"
      screenTestId="nodes-panel"
      filters={
        <Text size="xs" c="dimmed" data-testid="nodes-count">
          {view ? (view.singleMachine ? t('nodes.countSingle') : t('nodes.count', { count: view.nodes.filter((n) => nodeStatus(n) === 'up' || nodeStatus(n) === 'down').length, up })) : ''}
        </Text>
      }
      summary={
        view && (
          <Stack gap={6}>
            {view.singleMachine ? (
              <Alert color="gray" py={6} data-testid="nodes-single-machine">
                {t('nodes.singleMachine')}
              </Alert>
            ) : (
              <Text size="xs" c="dimmed" data-testid="nodes-lease">
                {t('nodes.lease', { seconds: Math.round((view.leaseMs ?? 0) / 100) / 10 })}
              </Text>
            )}
            {retired && (
              <Alert color="orange" py={6} withCloseButton onClose={() => setRetired(null)} data-testid="node-retired-outcome">
                {t('nodes.retire.done', { node: retired.node, count: retired.recordings, bytes: formatBytes(retired.bytes), held: retired.heldRecordings, cameras: retired.camerasRehomed })}
              </Alert>
            )}
            {view.notHeld.cameraCount > 0 && (
              <Alert color="red" py={6} data-testid="nodes-not-held" data-count={view.notHeld.cameraCount}>
                <Text size="sm" fw={600}>
                  {t('nodes.notHeld', { count: view.notHeld.cameraCount })}
                </Text>
                <HeldCameras held={view.notHeld} />
              </Alert>
            )}
          </Stack>
        )
      }
      error={list.error}
      rows={nodes}
      columns={columns}
      rowKey={(n) => n.name}
      rowAttributes={(n) => ({ 'data-testid': 'node-row', 'data-name': n.name, 'data-status': nodeStatus(n), 'data-self': String(n.self) })}
      dimmed={(n) => nodeStatus(n) === 'gone' || nodeStatus(n) === 'retired'}
      empty={t('nodes.empty')}
      maxHeight={embedded ? 10_000 : undefined}
    >
      {retiring && (
        <RetireNodeModal
          node={retiring}
          onClose={() => setRetiring(null)}
          onDone={(r) => {
            setRetiring(null);
            setRetired(r);
            list.reload();
          }}
        />
      )}
    </FilteredRecordTable>
  );
}

/** How many cameras, the names the caller may see (a camera away from its home node says where home is), and how many are not shown. */
function HeldCameras({ held, holder = null }: { held: { cameraCount: number; cameras: readonly NodeCameraView[] }; holder?: string | null }) {
  const { t } = useTranslation();
  const hidden = hiddenCameras(held);
  if (held.cameraCount === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('nodes.noCameras')}
      </Text>
    );
  return (
    <Text size="xs">
      <Text span fw={700} size="sm" mr={6}>
        {held.cameraCount}
      </Text>
      {held.cameras.map((c, i) => (
        <Fragment key={c.id}>
          {i > 0 && ', '}
          <span data-testid="node-camera" data-camera-id={c.id}>
            {c.name}
          </span>
          {c.homeNode !== null && c.homeNode !== holder && (
            <Text span size="xs" c="dimmed" data-testid="node-camera-home">
              {' '}
              {t('nodes.home', { node: c.homeNode })}
            </Text>
          )}
        </Fragment>
      ))}
      {hidden > 0 && (
        <Text span size="xs" c="dimmed" data-testid="node-cameras-hidden">
          {held.cameras.length > 0 ? ' ' : ''}
          {t('nodes.hidden', { count: hidden })}
        </Text>
      )}
    </Text>
  );
}
