// Audit log viewer (R4, KRK §5.3.4). Only one page (100 entries) is ever rendered; paging is
// keyset by sequence number, so it stays fast over any number of entries. Reading is itself audited.
// Actions, targets and the engine's actors are shown in words in the interface language
// (audit/audit-words.ts); the codes the log stores stay visible for those who search by them.
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AUDIT_OUTCOMES, type AuditEntryView, type AuditFilter, type ResponseOf, type SessionView } from '../../shared/contract';
import { AcknowledgedBreaks } from '../alarms/AcknowledgedBreaks';
import { auditActionWords, auditActorWords, auditReasonWords, auditTargetWords } from '../audit/audit-words';
import { ErrorAlert } from '../components/ErrorAlert';
import { csvSeparator, currentLocale } from '../i18n';
import { MaskReportPanel } from '../audit/MaskReportPanel';
import { UnlinkedViewingPanel } from '../incidents/UnlinkedViewingPanel';
import { formatDateTimeSeconds, fromLocalDateTimeInput } from '../kit/format-time';
import { RecordTable, type Column } from '../kit/RecordTable';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { DateTimeInput } from '../kit/DateTimeInput';
import { downloadOnce } from '../kit/download-once';

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

function toFilter(form: FilterForm): AuditFilter {
  const filter: AuditFilter = {};
  const fromMs = fromLocalDateTimeInput(form.from);
  const toMs = fromLocalDateTimeInput(form.to);
  if (fromMs !== null) filter.fromMs = fromMs;
  if (toMs !== null) filter.toMs = toMs;
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.target.trim()) filter.target = form.target.trim();
  const outcome = AUDIT_OUTCOMES.find((o) => o === form.outcome);
  if (outcome) filter.outcome = outcome;
  return filter;
}

function prettyDetails(details: string): string {
  try {
    return JSON.stringify(JSON.parse(details), null, 2);
  } catch {
    return details;
  }
}

export function AuditScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const canExport = session.permissions.includes('audit.export');
  const canVerify = session.permissions.includes('audit.verify');
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [beforeSeq, setBeforeSeq] = useState<number | undefined>(undefined);
  const [pageIndex, setPageIndex] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [exportNote, setExportNote] = useState<{ rows: number; fileName: string; truncated: boolean } | null>(null);
  const [verify, setVerify] = useState<ResponseOf<'audit.verify'> | null>(null);
  const exporting = useAction();
  const verifying = useAction();
  // One page (100 entries) at a time; reading it is audited.
  const page = useCommand('audit.query', beforeSeq === undefined ? { filter, limit: AUDIT_PAGE_SIZE } : { filter, beforeSeq, limit: AUDIT_PAGE_SIZE }, [filter, beforeSeq]);
  const loading = page.loading;
  const error = page.error ?? exporting.error ?? verifying.error;

  const firstPage = () => {
    setBeforeSeq(undefined);
    setPageIndex(0);
    setExpanded(new Set());
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(toFilter(form));
    firstPage();
    page.reload();
  };
  const clear = () => {
    setForm(EMPTY_FORM);
    setFilter({});
    firstPage();
  };
  const newest = () => {
    if (beforeSeq === undefined) page.reload();
    firstPage();
  };
  const older = () => {
    const next = page.value?.nextBeforeSeq;
    if (next == null) return;
    setBeforeSeq(next);
    setPageIndex((i) => i + 1);
    setExpanded(new Set());
  };

  const exportCsv = async () => {
    const file = await exporting.run('audit.exportCsv', { filter, separator: csvSeparator() });
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) return exporting.setError(failed);
    setExportNote({ rows: file.rows, fileName: file.fileName, truncated: file.truncated });
  };

  const runVerify = async () => {
    const report = await verifying.run('audit.verify', {});
    if (report) setVerify(report);
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
  const columns: Column<AuditEntryView>[] = [
    { key: 'seq', header: t('audit.columns.seq'), width: 70, nowrap: true, cell: (e) => <Text ff="monospace" size="sm">{e.seq}</Text> },
    { key: 'time', header: t('audit.columns.time'), width: 150, nowrap: true, cell: (e) => formatDateTimeSeconds(e.atMs) },
    {
      key: 'actor',
      header: t('audit.columns.actor'),
      width: 120,
      cell: (e) => {
        // The engine and callers before sign-in in words, set apart from people's user names.
        const actor = auditActorWords(t, e.actor);
        return (
          <Text size="sm" fs={actor.worded ? 'italic' : undefined} title={actor.worded ? e.actor : undefined} style={{ overflowWrap: 'anywhere' }} data-testid="audit-actor" data-code={e.actor}>
            {actor.text}
          </Text>
        );
      },
    },
    {
      key: 'action',
      header: t('audit.columns.action'),
      width: 170,
      // The words, and under them the code the filter and the CSV report use.
      cell: (e) => {
        const words = auditActionWords(t, e);
        return (
          <div title={e.action}>
            <Text size="sm" lh={1.3} data-testid="audit-action" data-code={e.action} ff={words === null ? 'monospace' : undefined}>
              {words ?? e.action}
            </Text>
            {words !== null && (
              <Text ff="monospace" fz={11} c="dimmed" lh={1.3} style={{ overflowWrap: 'anywhere' }} data-testid="audit-action-code">
                {e.action}
              </Text>
            )}
          </div>
        );
      },
    },
    {
      key: 'target',
      header: t('audit.columns.target'),
      // Words, instants in local time; the stored code (UTC) is the title, as in the CSV report.
      cell: (e) => (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }} title={e.target} data-testid="audit-target">
          {auditTargetWords(t, e.target)}
        </Text>
      ),
    },
    {
      key: 'outcome',
      header: t('audit.columns.outcome'),
      width: 116,
      cell: (e) => (
        <Badge color={OUTCOME_COLOURS[e.outcome]} variant="light" tt="none" data-testid="audit-outcome">
          {t(`audit.outcome.${e.outcome}`)}
        </Badge>
      ),
    },
    { key: 'reason', header: t('audit.columns.reason'), cellProps: () => ({ 'data-testid': 'audit-reason' }), cell: (e) => auditReasonWords(t, e) },
    {
      key: 'details',
      header: t('audit.columns.details'),
      width: 80,
      cell: (e) =>
        e.details !== '' &&
        e.details !== '{}' && (
          <UnstyledButton data-testid="audit-details-toggle" aria-expanded={expanded.has(e.seq)} onClick={() => toggle(e.seq)} fz="xs" c="accent.3">
            {expanded.has(e.seq) ? '▾' : '▸'} {t('audit.columns.details')}
          </UnstyledButton>
        ),
    },
  ];

  return (
    <Stack gap="xs" h="100%" data-testid="audit-screen">
      <form onSubmit={apply} noValidate>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <DateTimeInput kind="datetime-seconds" label={t('audit.filters.from')} testId="audit-filter-from" w={190} value={form.from} onChange={(v) => setForm((f) => ({ ...f, from: v }))} />
          <DateTimeInput kind="datetime-seconds" label={t('audit.filters.to')} testId="audit-filter-to" w={190} value={form.to} onChange={(v) => setForm((f) => ({ ...f, to: v }))} />
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
              <Button variant="default" data-testid="audit-verify" loading={verifying.busy} onClick={() => void runVerify()}>
                {t('audit.verify')}
              </Button>
            )}
            {canExport && (
              <Button variant="default" data-testid="audit-export" loading={exporting.busy} onClick={() => void exportCsv()}>
                {t('audit.export')}
              </Button>
            )}
          </Group>
        </Group>
      </form>

      <UnlinkedViewingPanel />
      <MaskReportPanel />
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
      {verify && <AcknowledgedBreaks breaks={verify.acknowledgedBreaks} />}
      {exportNote && (
        <Alert color={exportNote.truncated ? 'yellow' : 'green'} py={6} data-testid="audit-export-result" withCloseButton onClose={() => setExportNote(null)}>
          {t('audit.exportDone', { rows: number.format(exportNote.rows), fileName: exportNote.fileName })}
          {exportNote.truncated && <Text size="xs">{t('audit.exportTruncated')}</Text>}
        </Alert>
      )}

      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="audit-total">
          {page.value ? t('audit.total', { count: page.value.totalMatching }) : ' '}
          {page.value && ` · ${t('audit.page', { page: pageIndex + 1 })}`}
        </Text>
        <Group gap="xs">
          <Button variant="default" data-testid="audit-newest" disabled={loading} onClick={newest}>
            {t('audit.newest')}
          </Button>
          <Button variant="default" data-testid="audit-older" disabled={loading || page.value?.nextBeforeSeq == null} onClick={older}>
            {t('audit.older')}
          </Button>
        </Group>
      </Group>

      <RecordTable
        testId="audit-table"
        rows={page.value?.entries ?? null}
        columns={columns}
        rowKey={(e) => e.seq}
        rowAttributes={(e) => ({ 'data-testid': 'audit-row', 'data-seq': e.seq, 'data-outcome': e.outcome })}
        expansion={(e) =>
          expanded.has(e.seq) && (
            <pre className="oc-mono" data-testid="audit-details" style={{ margin: 0 }}>
              {prettyDetails(e.details)}
            </pre>
          )
        }
        stale={loading}
        empty={t('audit.empty')}
        emptyTestId="audit-empty"
      />
    </Stack>
  );
}
