// The deletion log (DESIGN R1; BRN 40.4, JON 11, ELB 1.10): every recording file erased, when, why
// (retention, quota, by hand) and its SHA-256, as proof that footage was not kept past its time.
// Reading it is audited, so it is read on demand and page by page, never polled.
import { useEffect, useState } from 'react';
import { Badge, Box, Button, Group, ScrollArea, Select, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraRecordingView, RequestOf, ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, formatRange } from '../kit/format-time';
import { formatBytes } from './storage-model';

export const DELETION_PAGE_SIZE = 50;
type Page = ResponseOf<'recordings.deletionLog'>;
const CAUSE_COLOURS: Record<Page['deletions'][number]['cause'], string> = { retention: 'gray', quota: 'yellow', manual: 'red' };

export function DeletionLog({ cameras, reloadKey }: { cameras: readonly CameraRecordingView[]; reloadKey: number }) {
  const api = useApi();
  const { t } = useTranslation();
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [beforeId, setBeforeId] = useState<number | undefined>(undefined);
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const request: RequestOf<'recordings.deletionLog'> = { limit: DELETION_PAGE_SIZE };
    if (cameraId) request.cameraId = Number(cameraId);
    if (beforeId !== undefined) request.beforeId = beforeId;
    void api.call('recordings.deletionLog', request).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setPage(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, cameraId, beforeId, refresh, reloadKey]);

  const newest = () => {
    setBeforeId(undefined);
    setPageIndex(0);
    setRefresh((k) => k + 1);
  };

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
      <ErrorAlert error={error} testId="deletion-log-error" />
      <ScrollArea.Autosize mah={360} type="auto" className="oc-table-wrap">
        <Table stickyHeader striped data-testid="deletion-log-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>{t('storage.log.deletedAt')}</Table.Th>
              <Table.Th>{t('storage.recording.camera')}</Table.Th>
              <Table.Th>{t('storage.log.range')}</Table.Th>
              <Table.Th w={90}>{t('storage.log.cause')}</Table.Th>
              <Table.Th w={80} ta="right">
                {t('storage.recording.bytes')}
              </Table.Th>
              <Table.Th w={100}>{t('storage.log.actor')}</Table.Th>
              <Table.Th w={110}>SHA-256</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page?.deletions.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="xs" c="dimmed" ta="center" py="sm" data-testid="deletion-log-empty">
                    {t('storage.log.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {page?.deletions.map((d) => (
              <Table.Tr key={d.id} data-testid="deletion-row" data-cause={d.cause}>
                <Table.Td className="oc-nowrap">{formatDateTime(d.deletedAtMs)}</Table.Td>
                <Table.Td>{d.cameraName}</Table.Td>
                <Table.Td className="oc-nowrap">{formatRange(d.startMs, d.endMs)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={CAUSE_COLOURS[d.cause]} tt="none">
                    {t(`storage.log.causes.${d.cause}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right" className="oc-nowrap">
                  {formatBytes(d.bytes)}
                </Table.Td>
                <Table.Td>{d.actor}</Table.Td>
                <Table.Td className="oc-mono" title={d.sha256}>
                  {d.sha256.slice(0, 12)}…
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Box>
  );
}
