// The register of data-subject requests (BRN art. 15-17; JON 17-20; ELB 1.14; docs/design/subject-requests.md):
// supervisors and the data protection officer (auditor role) see every request with its deadline by
// the site's country, flagged when due soon or overdue, and take its steps: identity check,
// extension, decision, answer, links to holds and exports, viewings on site. Changes and deadline
// flags arrive as pushed events; the register prints as PDF or CSV.
import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView, SubjectRequestView } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { ActorTime } from '../kit/FilterFields';
import { RegisterExport } from '../kit/RegisterExport';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useReloadOn } from '../kit/use-engine-events';
import { AnswerModal, DecideModal, LinkModal, ViewingModal } from './SubjectDecisionDialogs';
import { SubjectDeadlineBadge, SubjectStatusBadge } from './SubjectDeadlineBadge';
import { SubjectRequestDetail } from './SubjectRequestDetail';
import { ExtendModal, IdentityModal, RecordRequestModal } from './SubjectRequestDialogs';
import { deadlineFlag, flagCounts, type SubjectDialog } from './subject-model';

type Show = 'pending' | 'answered' | 'all';
const SHOW: readonly Show[] = ['pending', 'answered', 'all'];

export function SubjectRequestsScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const canManage = session.permissions.includes('subjects.manage');
  const [show, setShow] = useState<Show>('pending');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [recording, setRecording] = useState(false);
  const [dialog, setDialog] = useState<{ kind: SubjectDialog; request: SubjectRequestView } | null>(null);
  const exporting = useAction();
  const [exported, setExported] = useState<{ fileName: string; rows: number } | null>(null);
  const list = useCommand('subjects.list', { show }, [show]);
  useReloadOn(['subject.recorded', 'subject.changed', 'subject.deadline'], list.reload);
  const requests = list.value?.requests ?? null;
  const selected = requests?.find((r) => r.id === selectedId) ?? null;
  const flags = flagCounts(requests ?? []);

  const changed = (r: SubjectRequestView) => {
    setDialog(null);
    setRecording(false);
    setSelectedId(r.id);
    // A recorded or answered request may leave the list shown: show all then, so it stays in sight.
    if ((show === 'pending' && r.status === 'answered') || (show === 'answered' && r.status !== 'answered')) setShow('all');
    list.reload();
  };

  const columns: Column<SubjectRequestView>[] = [
    { key: 'reference', header: t('subjects.fields.reference'), nowrap: true, cell: (r) => <Text fw={600} size="sm">{r.reference}</Text> },
    { key: 'kind', header: t('subjects.fields.kind'), cell: (r) => <Text size="sm">{t(`subjects.kind.${r.kind}`)}</Text> },
    { key: 'requester', header: t('subjects.fields.requester'), cell: (r) => <Text size="sm" lineClamp={2}>{r.requesterName}</Text> },
    { key: 'received', header: t('subjects.fields.received'), nowrap: true, cell: (r) => <ActorTime actor={t(`subjects.channel.${r.channel}`)} atMs={r.receivedAtMs} /> },
    { key: 'deadline', header: t('subjects.fields.deadline'), nowrap: true, cell: (r) => <SubjectDeadlineBadge request={r} testId={`subject-deadline-${r.id}`} /> },
    { key: 'status', header: t('subjects.fields.status'), cell: (r) => <SubjectStatusBadge status={r.status} /> },
  ];

  return (
    <FilteredRecordTable
      name="subjects"
      detailOpen={selected !== null}
      filters={
        <Select
          label={t('subjects.show.label')}
          data-testid="subjects-filter-show"
          w={200}
          allowDeselect={false}
          value={show}
          onChange={(v) => v && setShow(v as Show)}
          data={SHOW.map((s) => ({ value: s, label: t(`subjects.show.${s}`) }))}
        />
      }
      summary={
        <Stack gap={4}>
          <Group gap="md">
            <Text size="xs" c="dimmed" data-testid="subjects-count">
              {requests ? t('subjects.count', { count: requests.length }) : ' '}
            </Text>
            {flags.overdue > 0 && (
              <Badge color="red" variant="filled" tt="none" data-testid="subjects-overdue">
                {t('subjects.flags.overdue', { count: flags.overdue })}
              </Badge>
            )}
            {flags.near > 0 && (
              <Badge color="orange" variant="filled" tt="none" data-testid="subjects-near">
                {t('subjects.flags.near', { count: flags.near })}
              </Badge>
            )}
          </Group>
          <ErrorAlert error={exporting.error} testId="subjects-export-error" />
          {exported && (
            <Alert color="green" py={4} data-testid="subjects-export-done" withCloseButton onClose={() => setExported(null)}>
              {t('subjects.exported', { fileName: exported.fileName, count: exported.rows })}
            </Alert>
          )}
        </Stack>
      }
      actions={
        <>
          {canManage && (
            <Button data-testid="subjects-record" onClick={() => setRecording(true)}>
              {t('subjects.record.button')}
            </Button>
          )}
          <RegisterExport command="subjects.export" testId="subjects-export" exporting={exporting} onDone={setExported} />
        </>
      }
      error={list.error}
      rows={requests}
      columns={columns}
      empty={t('subjects.empty')}
      rowAttributes={(r) => ({ 'data-testid': 'subject-row', 'data-request-id': r.id, 'data-reference': r.reference, 'data-deadline-state': r.deadline.state })}
      flag={deadlineFlag}
      dimmed={(r) => r.status === 'answered'}
      onRowClick={(r) => setSelectedId(r.id)}
      selectedKey={selectedId}
    >
      {selected && <SubjectRequestDetail request={selected} canManage={canManage} onClose={() => setSelectedId(null)} onStep={(kind) => setDialog({ kind, request: selected })} />}
      {recording && <RecordRequestModal onClose={() => setRecording(false)} onDone={changed} />}
      {dialog?.kind === 'identity' && <IdentityModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'extend' && <ExtendModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'decide' && <DecideModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'answer' && <AnswerModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'link' && <LinkModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'viewing' && <ViewingModal request={dialog.request} onClose={() => setDialog(null)} onDone={changed} />}
    </FilteredRecordTable>
  );
}
