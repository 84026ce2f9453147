// Audit log viewer (DESIGN R4, KRK §5.3.4). Only one page (100 entries) is ever rendered; paging is
// keyset by sequence number, so it stays fast over any number of entries. Reading is itself audited.
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, ScrollArea, Select, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AUDIT_OUTCOMES, PLAYBACK_REASONS, type AuditEntryView, type AuditFilter, type ResponseOf, type SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { currentLocale } from '../i18n';
import { UnlinkedViewingPanel } from '../incidents/UnlinkedViewingPanel';

export const AUDIT_PAGE_SIZE = 100;

const OUTCOME_COLOURS: Record<AuditEntryView['outcome'], string> = { allowed: 'green', denied: 'red', failed: 'orange' };

interface FilterForm {
  from: string;
  to: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
}
const EMPTY_FORM: FilterForm = { from: '', to: '', actor: '', action: '', target: '', outcome: 'any' };

function toEpochMs(local: string): number | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function toFilter(form: FilterForm): AuditFilter {
  const filter: AuditFilter = {};
  const fromMs = toEpochMs(form.from);
  const toMs = toEpochMs(form.to);
  if (fromMs !== undefined) filter.fromMs = fromMs;
  if (toMs !== undefined) filter.toMs = toMs;
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.target.trim()) filter.target = form.target.trim();
  const outcome = AUDIT_OUTCOMES.find((o) => o === form.outcome);
  if (outcome) filter.outcome = outcome;
  return filter;
}

function formatTime(atMs: number): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(atMs);
}

function prettyDetails(details: string): string {
  try {
    return JSON.stringify(JSON.parse(details), null, 2);
  } catch {
    return details;
  }
}

function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Page = ResponseOf<'audit.query'>;

export function AuditScreen({ session }: { session: SessionView }) {
  const api = useApi();
  const { t } = useTranslation();
  // A playback reason is stored as "category_key: words"; the category is shown in the user's language.
  const reasonText = (action: string, reason: string | null) => {
    const m = action === 'playback.open' && reason ? /^([a-z_]+): ([\s\S]*)$/.exec(reason) : null;
    return m && (PLAYBACK_REASONS as readonly string[]).includes(m[1]!) ? `${t(`playback.reasons.${m[1]}`)}: ${m[2]}` : (reason ?? '');
  };
  const canExport = session.permissions.includes('audit.export');
  const canVerify = session.permissions.includes('audit.verify');
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [beforeSeq, setBeforeSeq] = useState<number | undefined>(undefined);
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  /** The request the shown page answers; differs from the current one while a query runs. */
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<{ rows: number; fileName: string; truncated: boolean } | null>(null);
  const [verify, setVerify] = useState<ResponseOf<'audit.verify'> | null>(null);
  const [busy, setBusy] = useState<'export' | 'verify' | null>(null);

  const requestKey = JSON.stringify({ filter, beforeSeq, reloadKey });
  const loading = loadedKey !== requestKey;

  useEffect(() => {
    let cancelled = false;
    const request = beforeSeq === undefined ? { filter, limit: AUDIT_PAGE_SIZE } : { filter, beforeSeq, limit: AUDIT_PAGE_SIZE };
    void api.call('audit.query', request).then((result) => {
      if (cancelled) return;
      setLoadedKey(requestKey);
      if (result.ok) {
        setPage(result.value);
        setError(null);
        setExpanded(new Set());
      } else setError(result.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, filter, beforeSeq, requestKey]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(toFilter(form));
    setReloadKey((k) => k + 1);
    setBeforeSeq(undefined);
    setPageIndex(0);
  };
  const clear = () => {
    setForm(EMPTY_FORM);
    setFilter({});
    setBeforeSeq(undefined);
    setPageIndex(0);
  };
  const newest = () => {
    if (beforeSeq === undefined) setReloadKey((k) => k + 1);
    setBeforeSeq(undefined);
    setPageIndex(0);
  };
  const older = () => {
    if (page?.nextBeforeSeq == null) return;
    setBeforeSeq(page.nextBeforeSeq);
    setPageIndex((i) => i + 1);
  };

  const exportCsv = async () => {
    setBusy('export');
    const result = await api.call('audit.exportCsv', { filter });
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    downloadCsv(result.value.fileName, result.value.csv);
    setExportNote({ rows: result.value.rows, fileName: result.value.fileName, truncated: result.value.truncated });
  };

  const runVerify = async () => {
    setBusy('verify');
    const result = await api.call('audit.verify', {});
    setBusy(null);
    if (result.ok) setVerify(result.value);
    else setError(result.error);
  };

  const toggle = (seq: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  const field = (key: keyof FilterForm) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [key]: value }));
    },
  });
  const number = new Intl.NumberFormat(currentLocale());

  return (
    <Stack gap="xs" h="100%" data-testid="audit-screen">
      <form onSubmit={apply} noValidate>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput type="datetime-local" label={t('audit.filters.from')} data-testid="audit-filter-from" step={1} w={190} {...field('from')} />
          <TextInput type="datetime-local" label={t('audit.filters.to')} data-testid="audit-filter-to" step={1} w={190} {...field('to')} />
          <TextInput label={t('audit.filters.actor')} data-testid="audit-filter-actor" w={130} {...field('actor')} />
          <TextInput
            label={t('audit.filters.action')}
            placeholder={t('audit.filters.actionPlaceholder')}
            data-testid="audit-filter-action"
            w={150}
            {...field('action')}
          />
          <TextInput label={t('audit.filters.target')} data-testid="audit-filter-target" w={150} {...field('target')} />
          <Select
            label={t('audit.filters.outcome')}
            data-testid="audit-filter-outcome"
            w={120}
            value={form.outcome}
            onChange={(v) => setForm((f) => ({ ...f, outcome: v ?? 'any' }))}
            data={[{ value: 'any', label: t('audit.filters.anyOutcome') }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))]}
          />
          <Button type="submit" data-testid="audit-filter-apply">
            {t('audit.filters.apply')}
          </Button>
          <Button variant="default" data-testid="audit-filter-clear" onClick={clear}>
            {t('audit.filters.clear')}
          </Button>
          <Group gap="xs" ml="auto">
            {canVerify && (
              <Button variant="default" data-testid="audit-verify" loading={busy === 'verify'} onClick={() => void runVerify()}>
                {t('audit.verify')}
              </Button>
            )}
            {canExport && (
              <Button variant="default" data-testid="audit-export" loading={busy === 'export'} onClick={() => void exportCsv()}>
                {t('audit.export')}
              </Button>
            )}
          </Group>
        </Group>
      </form>

      <UnlinkedViewingPanel />
      <ErrorAlert error={error} testId="audit-error" />
      {verify && (
        <Alert color={verify.ok ? 'green' : 'red'} py={6} data-testid="audit-verify-result" data-ok={String(verify.ok)} withCloseButton onClose={() => setVerify(null)}>
          {verify.ok
            ? t('audit.verifyOk', { entries: number.format(verify.entries), headSeq: verify.headSeq, ms: Math.round(verify.elapsedMs) })
            : t('audit.verifyBad', { seq: verify.firstBadSeq ?? '?' })}
          {!verify.ok && verify.problem && (
            <Text size="xs" className="oc-mono" mt={4}>
              {t('audit.verifyProblem', { problem: verify.problem })}
            </Text>
          )}
        </Alert>
      )}
      {exportNote && (
        <Alert color={exportNote.truncated ? 'yellow' : 'green'} py={6} data-testid="audit-export-result" withCloseButton onClose={() => setExportNote(null)}>
          {t('audit.exportDone', { rows: number.format(exportNote.rows), fileName: exportNote.fileName })}
          {exportNote.truncated && <Text size="xs">{t('audit.exportTruncated')}</Text>}
        </Alert>
      )}

      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="audit-total">
          {page ? t('audit.total', { count: page.totalMatching }) : ' '}
          {page && ` · ${t('audit.page', { page: pageIndex + 1 })}`}
        </Text>
        <Group gap="xs">
          <Button variant="default" data-testid="audit-newest" disabled={loading} onClick={newest}>
            {t('audit.newest')}
          </Button>
          <Button variant="default" data-testid="audit-older" disabled={loading || page?.nextBeforeSeq == null} onClick={older}>
            {t('audit.older')}
          </Button>
        </Group>
      </Group>

      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="audit-table" data-loading={String(loading)} style={{ opacity: loading ? 0.6 : 1 }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>{t('audit.columns.seq')}</Table.Th>
              <Table.Th w={150}>{t('audit.columns.time')}</Table.Th>
              <Table.Th w={120}>{t('audit.columns.actor')}</Table.Th>
              <Table.Th w={170}>{t('audit.columns.action')}</Table.Th>
              <Table.Th>{t('audit.columns.target')}</Table.Th>
              <Table.Th w={116}>{t('audit.columns.outcome')}</Table.Th>
              <Table.Th>{t('audit.columns.reason')}</Table.Th>
              <Table.Th w={80}>{t('audit.columns.details')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page?.entries.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="xs" c="dimmed" ta="center" py="md" data-testid="audit-empty">
                    {t('audit.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {page?.entries.map((entry) => {
              const open = expanded.has(entry.seq);
              const hasDetails = entry.details !== '' && entry.details !== '{}';
              return (
                <Fragment key={entry.seq}>
                  <Table.Tr data-testid="audit-row" data-seq={entry.seq} data-outcome={entry.outcome}>
                    <Table.Td className="oc-nowrap" ff="monospace">
                      {entry.seq}
                    </Table.Td>
                    <Table.Td className="oc-nowrap">{formatTime(entry.atMs)}</Table.Td>
                    <Table.Td>{entry.actor}</Table.Td>
                    <Table.Td ff="monospace">{entry.action}</Table.Td>
                    <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {entry.target}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLOURS[entry.outcome]} variant="light" tt="none" data-testid="audit-outcome">
                        {t(`audit.outcome.${entry.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td data-testid="audit-reason">{reasonText(entry.action, entry.reason)}</Table.Td>
                    <Table.Td>
                      {hasDetails && (
                        <UnstyledButton
                          data-testid="audit-details-toggle"
                          aria-expanded={open}
                          onClick={() => toggle(entry.seq)}
                          fz="xs"
                          c="accent.3"
                        >
                          {open ? '▾' : '▸'} {t('audit.columns.details')}
                        </UnstyledButton>
                      )}
                    </Table.Td>
                  </Table.Tr>
                  {open && (
                    <Table.Tr>
                      <Table.Td colSpan={8} bg="dark.8">
                        <pre className="oc-mono" data-testid="audit-details" style={{ margin: 0 }}>
                          {prettyDetails(entry.details)}
                        </pre>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}
