// The deletion log (R1; BRN 40.4, JON 11, ELB 1.10): every recording file erased, when, why
// (retention, quota, by hand) and its SHA-256, as proof that footage was not kept past its time.
// Reading it is audited, so it is read on demand and page by page, never polled.
import { useState } from 'react';
import { Badge, Box, Button, Group, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraRecordingView, RequestOf, ResponseOf } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, formatRange } from '../kit/format-time';
import { RecordTable, type Column } from '../kit/RecordTable';
import { useCommand } from '../kit/use-command';
import { formatBytes } from './storage-model';

export const DELETION_PAGE_SIZE = 50;
type Deletion = ResponseOf<'recordings.deletionLog'>['deletions'][number];
const CAUSE_COLOURS: Record<Deletion['cause'], string> = { retention: 'gray', quota: 'yellow', manual: 'red' };

function pageRequest(cameraId: string | null, beforeId: number | undefined): RequestOf<'recordings.deletionLog'> {
  const request: RequestOf<'recordings.deletionLog'> = { limit: DELETION_PAGE_SIZE };
  if (cameraId) request.cameraId = Number(cameraId);
  if (beforeId !== undefined) request.beforeId = beforeId;
  return request;
}

/** `version` changes when the caller deleted something: the newest page is read again. */
export function DeletionLog({ cameras, version }: { cameras: readonly CameraRecordingView[]; version: number }) {
  const { t } = useTranslation();
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [beforeId, setBeforeId] = useState<number | undefined>(undefined);
  const [pageIndex, setPageIndex] = useState(0);
  const log = useCommand('recordings.deletionLog', pageRequest(cameraId, beforeId), [cameraId, beforeId, version]);
  const page = log.value;

  const newest = () => {
    setBeforeId(undefined);
    setPageIndex(0);
    log.reload();
  };

  const columns: Column<Deletion>[] = [
    { key: 'deletedAt', header: t('storage.log.deletedAt'), width: 140, nowrap: true, cell: (d) => formatDateTime(d.deletedAtMs) },
    { key: 'camera', header: t('storage.recording.camera'), cell: (d) => d.cameraName },
    { key: 'range', header: t('storage.log.range'), nowrap: true, cell: (d) => formatRange(d.startMs, d.endMs) },
    {
      key: 'cause',
      header: t('storage.log.cause'),
      width: 90,
      cell: (d) => (
        <Badge size="sm" variant="light" color={CAUSE_COLOURS[d.cause]} tt="none">
          {t(`storage.log.causes.${d.cause}`)}
        </Badge>
      ),
    },
    { key: 'bytes', header: t('storage.recording.bytes'), width: 80, align: 'right', nowrap: true, cell: (d) => formatBytes(d.bytes) },
    { key: 'actor', header: t('storage.log.actor'), width: 100, cell: (d) => d.actor },
    { key: 'sha', header: 'SHA-256', width: 110, cellProps: (d) => ({ className: 'oc-mono', title: d.sha256 }), cell: (d) => `${d.sha256.slice(0, 12)}…` },
  ];

  return (
    <Box>
      <Group gap="xs" mb={6} align="flex-end">
        <Select
          data-testid="deletion-log-camera"
          placeholder={t('holds.filters.anyCamera')}
          aria-label={t('storage.recording.camera')}
          data={cameras.map((c) => ({ value: String(c.cameraId), label: c.name }))}
          value={cameraId}
          onChange={(v) => {
            setCameraId(v);
            setBeforeId(undefined);
            setPageIndex(0);
          }}
          clearable
          w={220}
        />
        <Text size="xs" c="dimmed" data-testid="deletion-log-page">
          {t('audit.page', { page: pageIndex + 1 })}
        </Text>
        <Group gap="xs" ml="auto">
          <Button variant="default" size="xs" data-testid="deletion-log-newest" onClick={newest}>
            {t('audit.newest')}
          </Button>
          <Button
            variant="default"
            size="xs"
            data-testid="deletion-log-older"
            disabled={page?.nextBeforeId == null}
            onClick={() => {
              if (page?.nextBeforeId == null) return;
              setBeforeId(page.nextBeforeId);
              setPageIndex((i) => i + 1);
            }}
          >
            {t('audit.older')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={log.error} testId="deletion-log-error" />
      <RecordTable
        testId="deletion-log-table"
        rows={page?.deletions ?? null}
        columns={columns}
        rowKey={(d) => d.id}
        rowAttributes={(d) => ({ 'data-testid': 'deletion-row', 'data-cause': d.cause })}
        empty={t('storage.log.empty')}
        emptyTestId="deletion-log-empty"
        maxHeight={360}
      />
    </Box>
  );
}
