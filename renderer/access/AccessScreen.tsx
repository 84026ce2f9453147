// The register of authorised persons (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4-5.4.5):
// every grant of rights with its basis, who asked, who decided and from when to when it was in
// force. Grants waiting for a second person are the approvers' queue (shown first); the engine says
// per grant whether the reader may decide it (canDecide), and checks it again.
import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GRANT_STATES, type GrantState, type GrantView } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { ActorTime } from '../kit/FilterFields';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import { formatDate, formatDateTime } from '../kit/format-time';
import type { Column } from '../kit/RecordTable';
import { ReasonModal } from '../kit/ReasonModal';
import { RegisterExport } from '../kit/RegisterExport';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useReloadOn } from '../kit/use-engine-events';

type Filter = 'any' | GrantState;
type Dialog = { kind: 'approve' | 'refuse'; grant: GrantView } | null;
const STATE_COLOURS: Record<GrantState, string> = { pending: 'orange', approved: 'green', refused: 'red', withdrawn: 'gray', ended: 'gray' };
/** A pending grant's alarm and its acknowledgement are what the queue hears of (access.footage_granted). */
const RELOAD_ON = ['alarm.raised', 'alarm.cleared'] as const;

export function AccessScreen() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('pending');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const exporting = useAction();
  const [exported, setExported] = useState<{ fileName: string; rows: number } | null>(null);
  const list = useCommand('access.grants', filter === 'any' ? {} : { state: filter }, [filter]);
  useReloadOn(RELOAD_ON, list.reload);
  const grants = list.value?.grants ?? null;

  const decided = (g: GrantView) => {
    setDialog(null);
    setNotice(t(g.state === 'approved' ? 'access.approved' : 'access.refusedDone', { username: g.username }));
    list.reload();
  };

  const columns: Column<GrantView>[] = [
    { key: 'person', header: t('access.columns.person'), cell: (g) => <><Text size="sm" fw={600}>{g.displayName}</Text><Text size="xs" ff="monospace" c="dimmed">{g.username}</Text></> },
    { key: 'role', header: t('access.columns.role'), cell: (g) => t(`roles.${g.role}`) },
    { key: 'groups', header: t('access.columns.groups'), cell: (g) => (g.groupNames.length ? g.groupNames.join(', ') : t('common.none')) },
    { key: 'basis', header: t('access.columns.basis'), cell: (g) => (g.basis ? <Text size="sm">{g.basis}</Text> : <Text size="xs" c="dimmed">{t('common.none')}</Text>) },
    { key: 'until', header: t('access.columns.validUntil'), nowrap: true, cell: (g) => (g.validUntilMs === null ? t('access.openEnded') : formatDate(g.validUntilMs)) },
    { key: 'asked', header: t('access.columns.asked'), nowrap: true, cell: (g) => <><Text size="xs">{t(`access.change.${g.change}`)}</Text><ActorTime actor={g.requestedBy} atMs={g.requestedAtMs} /></> },
    {
      key: 'state',
      header: t('access.columns.state'),
      cell: (g) => (
        <Stack gap={2}>
          <Badge variant="light" color={STATE_COLOURS[g.state]} tt="none" data-testid="grant-state">
            {t(`access.grantState.${g.state}`)}
          </Badge>
          {g.auto && <Text size="xs" c="dimmed">{t(`access.auto.${g.auto}`)}</Text>}
          {!g.auto && g.decidedBy && g.decidedAtMs !== null && <Text size="xs" c="dimmed">{t('access.decidedBy', { who: g.decidedBy, when: formatDateTime(g.decidedAtMs) })}</Text>}
          {g.decisionNote && <Text size="xs" c="dimmed" fs="italic">{g.decisionNote}</Text>}
          {g.endedAtMs !== null && g.endReason && <Text size="xs" c="dimmed">{t('access.endedAt', { when: formatDateTime(g.endedAtMs), why: t(`access.end.${g.endReason}`) })}</Text>}
        </Stack>
      ),
    },
    {
      key: 'decide',
      header: '',
      nowrap: true,
      cell: (g) =>
        g.canDecide ? (
          <Group gap={6} wrap="nowrap">
            <Button size="compact-sm" color="green" data-testid="grant-approve" onClick={() => setDialog({ kind: 'approve', grant: g })}>
              {t('access.approve')}
            </Button>
            <Button size="compact-sm" variant="default" data-testid="grant-refuse" onClick={() => setDialog({ kind: 'refuse', grant: g })}>
              {t('access.refuse')}
            </Button>
          </Group>
        ) : null,
    },
  ];

  const waiting = grants?.filter((g) => g.state === 'pending').length ?? 0;
  return (
    <FilteredRecordTable
      name="access"
      screenTestId="access-screen"
      filters={
        <Select
          label={t('access.columns.state')}
          data-testid="access-filter-state"
          w={200}
          allowDeselect={false}
          value={filter}
          onChange={(v) => v && setFilter(v as Filter)}
          data={[{ value: 'any', label: t('access.grantState.any') }, ...GRANT_STATES.map((s) => ({ value: s, label: t(`access.grantState.${s}`) }))]}
        />
      }
      summary={
        <Stack gap={4}>
          <Group gap="md">
            <Text size="xs" c="dimmed" data-testid="access-count">
              {grants ? t('access.count', { count: grants.length }) : ' '}
            </Text>
            {waiting > 0 && (
              <Badge color="orange" variant="filled" tt="none" data-testid="access-waiting">
                {t('access.waiting', { count: waiting })}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">{t('access.intro')}</Text>
          {notice && (
            <Text size="xs" c="green.4" data-testid="access-notice">
              {notice}
            </Text>
          )}
          <ErrorAlert error={exporting.error} testId="access-export-error" />
          {exported && (
            <Alert color="green" py={4} data-testid="access-export-done" withCloseButton onClose={() => setExported(null)}>
              {t('register.done', { fileName: exported.fileName, count: exported.rows })}
            </Alert>
          )}
        </Stack>
      }
      actions={<RegisterExport command="access.export" testId="access-export" exporting={exporting} onDone={setExported} />}
      error={list.error}
      rows={grants}
      columns={columns}
      empty={t(filter === 'pending' ? 'access.emptyWaiting' : 'access.empty')}
      rowAttributes={(g) => ({ 'data-testid': 'grant-row', 'data-grant-id': g.id, 'data-username': g.username, 'data-state': g.state })}
      flag={(g) => (g.state === 'pending' ? 'orange-5' : null)}
      dimmed={(g) => g.state !== 'pending' && g.state !== 'approved'}
    >
      {dialog?.kind === 'refuse' && (
        <ReasonModal
          command="access.refuse"
          field="note"
          request={(note) => ({ grantId: dialog.grant.id, note })}
          onDone={decided}
          onClose={() => setDialog(null)}
          title={t('access.refuseTitle', { username: dialog.grant.username })}
          intro={t('access.refuseIntro')}
          submitLabel={t('access.refuse')}
          submitColor="red"
          formTestId="grant-form"
          inputTestId="grant-form-note"
          submitTestId="grant-form-submit"
          cancelTestId="grant-form-cancel"
          errorTestId="grant-form-error"
        />
      )}
      {dialog?.kind === 'approve' && (
        <ReasonModal
          command="access.approve"
          field="note"
          request={(note) => ({ grantId: dialog.grant.id, ...(note.trim() ? { note } : {}) })}
          onDone={decided}
          onClose={() => setDialog(null)}
          title={t('access.approveTitle', { username: dialog.grant.username })}
          label={t('access.approveNote')}
          intro={t('access.approveIntro', { role: t(`roles.${dialog.grant.role}`), groups: dialog.grant.groupNames.join(', ') || t('common.none'), basis: dialog.grant.basis || t('common.none') })}
          submitLabel={t('access.approve')}
          submitColor="green"
          formTestId="grant-form"
          inputTestId="grant-form-note"
          submitTestId="grant-form-submit"
          cancelTestId="grant-form-cancel"
          errorTestId="grant-form-error"
        />
      )}
    </FilteredRecordTable>
  );
}
