// The periodic access review (BRN art. 34(1)(ii), JON 15.3; docs/design/access-review.md): supervisors
// and the auditor (data protection officer) see every account's role and camera groups with their
// last uses, rights unused during the period marked, and confirm or revoke each line with a reason;
// a revoke takes effect at once. The schedule says when the next review is due or that one is
// overdue; a review prints for the file (PDF) or a spreadsheet (CSV).
import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ACCESS_REVIEW_OPEN_MAX_DAYS, type CampaignView, type ReviewLineView, type ReviewScheduleView } from '../../shared/contract';
import { isLanguage } from '../i18n';
import { downloadOnce } from '../kit/download-once';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import { formatDate, formatDateTime } from '../kit/format-time';
import type { Column } from '../kit/RecordTable';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { ConfirmLinesModal, RevokeLineModal } from './ReviewDialogs';
import { LINE_FILTERS, defaultCampaignId, filterLines, rightText, usedUndecided, type LineFilter } from './review-model';

/** A badge shows its whole word in every language (Mantine cuts a label to the cell's width). */
const BADGE = { minWidth: 'max-content', overflow: 'visible' } as const;

type Dialog = { kind: 'confirm'; lines: ReviewLineView[] } | { kind: 'revoke'; line: ReviewLineView } | null;

export function AccessReviewScreen() {
  const { t, i18n } = useTranslation();
  const list = useCommand('access.reviewList', {}, []);
  const campaigns = list.value?.campaigns ?? null;
  const [chosenId, setChosenId] = useState<number | null>(null);
  const campaignId = chosenId ?? (campaigns ? defaultCampaignId(campaigns) : null);
  const campaign = useCommand('access.reviewGet', campaignId === null ? null : { campaignId }, [campaignId]);
  const [filter, setFilter] = useState<LineFilter>('all');
  const [dialog, setDialog] = useState<Dialog>(null);
  const opening = useAction();
  const printing = useAction();
  const c = campaign.value && campaign.value.id === campaignId ? campaign.value : null;
  const lines = c ? filterLines(c.lineViews, filter) : null;
  const used = c ? usedUndecided(c.lineViews) : [];

  const changed = (next: CampaignView) => {
    setDialog(null);
    campaign.setValue(() => next);
    list.reload();
  };
  const openNow = async () => {
    const next = await opening.run('access.reviewOpen', {});
    if (!next) return;
    setChosenId(next.id);
    campaign.setValue(() => next);
    list.reload();
  };
  const print = async (format: 'pdf' | 'csv') => {
    if (!c) return;
    const language = isLanguage(i18n.language) ? i18n.language : 'en';
    const file = await printing.run('access.reviewExport', { campaignId: c.id, format, language });
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) printing.setError(failed);
  };

  const when = (ms: number | null) => (ms === null ? <Text size="xs" c="dimmed">{t('accessReview.never')}</Text> : <Text size="xs">{formatDate(ms)}</Text>);
  const columns: Column<ReviewLineView>[] = [
    {
      key: 'person',
      header: t('accessReview.columns.person'),
      nowrap: true,
      cell: (l) => (
        <Stack gap={0}>
          <Text size="sm" fw={l.kind === 'role' ? 600 : 400}>{l.displayName}</Text>
          <Text size="xs" c="dimmed">{l.username}</Text>
        </Stack>
      ),
    },
    {
      key: 'right',
      header: t('accessReview.columns.right'),
      cell: (l) => (
        <Stack gap={2} align="flex-start">
          <Text size="sm">{rightText(t, l)}</Text>
          {l.unused && (
            <Tooltip label={t('accessReview.unusedHint')} withinPortal>
              <Badge color="orange" variant="light" tt="none" size="sm" style={BADGE} data-testid="review-line-unused">
                {t('accessReview.unused')}
              </Badge>
            </Tooltip>
          )}
        </Stack>
      ),
    },
    { key: 'signIn', header: t('accessReview.columns.signIn'), nowrap: true, cell: (l) => (l.kind === 'role' ? when(l.lastSignInMs) : null) },
    { key: 'live', header: t('accessReview.columns.live'), nowrap: true, cell: (l) => when(l.lastLiveMs) },
    { key: 'playback', header: t('accessReview.columns.playback'), nowrap: true, cell: (l) => when(l.lastPlaybackMs) },
    { key: 'export', header: t('accessReview.columns.export'), nowrap: true, cell: (l) => when(l.lastExportMs) },
    { key: 'decision', header: t('accessReview.columns.decision'), width: 250, cell: (l) => <DecisionCell line={l} open={c?.status === 'open'} onConfirm={() => setDialog({ kind: 'confirm', lines: [l] })} onRevoke={() => setDialog({ kind: 'revoke', line: l })} /> },
  ];

  return (
    <FilteredRecordTable
      name="access-review"
      above={list.value && <ScheduleNote schedule={list.value.schedule} campaigns={list.value.campaigns} />}
      filters={
        <>
          <Select
            label={t('accessReview.campaign')}
            data-testid="access-review-campaign"
            w={300}
            allowDeselect={false}
            value={campaignId === null ? null : String(campaignId)}
            onChange={(v) => v && setChosenId(Number(v))}
            data={(campaigns ?? []).map((x) => ({ value: String(x.id), label: t('accessReview.campaignOption', { reference: x.reference, status: t(`accessReview.status.${x.status}`), at: formatDate(x.openedAtMs) }) }))}
          />
          <Select
            label={t('accessReview.show.label')}
            data-testid="access-review-filter"
            w={170}
            allowDeselect={false}
            value={filter}
            onChange={(v) => v && setFilter(v as LineFilter)}
            data={LINE_FILTERS.map((f) => ({ value: f, label: t(`accessReview.show.${f}`) }))}
          />
        </>
      }
      actions={
        <>
          {list.value && list.value.schedule.openCampaignId === null && (
            <Button onClick={() => void openNow()} loading={opening.busy} data-testid="access-review-open">
              {t('accessReview.openNow')}
            </Button>
          )}
          {c?.status === 'open' && used.length > 0 && (
            <Button variant="default" onClick={() => setDialog({ kind: 'confirm', lines: used })} data-testid="access-review-confirm-used">
              {t('accessReview.confirmUsed')}
            </Button>
          )}
          {c && (
            <>
              <Button variant="default" onClick={() => void print('pdf')} loading={printing.busy} data-testid="access-review-print">
                {t('accessReview.printPdf')}
              </Button>
              <Button variant="default" onClick={() => void print('csv')} disabled={printing.busy} data-testid="access-review-csv">
                {t('accessReview.csv')}
              </Button>
            </>
          )}
        </>
      }
      summary={
        c && (
          <Group gap="md" data-testid="access-review-summary" data-status={c.status} data-reference={c.reference}>
            <Text size="xs" c="dimmed">
              {t(`accessReview.openedBy.${c.trigger}`, { at: formatDateTime(c.openedAtMs), actor: c.openedBy })}
              {c.closedAtMs !== null && `, ${t('accessReview.closedBy', { at: formatDateTime(c.closedAtMs), actor: c.closedBy ?? '' })}`}
              {' · '}
              {t('accessReview.period', { from: formatDate(c.periodFromMs), to: formatDate(c.periodToMs) })}
            </Text>
            <Text size="xs" c="dimmed" data-testid="access-review-count">
              {t('accessReview.count', { lines: c.lines, decided: c.decided, unused: c.unused, revoked: c.revoked })}
            </Text>
          </Group>
        )
      }
      error={list.error ?? campaign.error ?? opening.error ?? printing.error}
      rows={campaigns && campaigns.length === 0 ? [] : lines}
      columns={columns}
      empty={campaigns && campaigns.length === 0 ? t('accessReview.empty') : t('accessReview.noLines')}
      rowAttributes={(l) => ({ 'data-testid': 'review-line', 'data-line-id': l.id, 'data-username': l.username, 'data-kind': l.kind, 'data-group': l.groupName ?? undefined, 'data-unused': l.unused, 'data-decision': l.decision?.decision ?? 'none' })}
      flag={(l) => (l.unused && l.decision === null ? 'orange-5' : null)}
      dimmed={(l) => l.decision?.decision === 'revoked'}
    >
      {dialog?.kind === 'confirm' && c && <ConfirmLinesModal campaignId={c.id} lines={dialog.lines} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'revoke' && c && <RevokeLineModal campaignId={c.id} line={dialog.line} onClose={() => setDialog(null)} onDone={changed} />}
    </FilteredRecordTable>
  );
}

/** A line's decision, or the reviewer's two buttons while it is undecided. */
function DecisionCell({ line: l, open, onConfirm, onRevoke }: { line: ReviewLineView; open: boolean; onConfirm: () => void; onRevoke: () => void }) {
  const { t } = useTranslation();
  if (l.decision) {
    const d = l.decision;
    return (
      <Stack gap={2} align="flex-start" data-testid="review-line-decision">
        <Badge color={d.decision === 'revoked' ? 'red' : 'green'} variant="light" tt="none" size="sm" style={BADGE}>
          {t(`accessReview.decision.${d.decision}`)}
        </Badge>
        <Text size="xs" c="dimmed">{t('accessReview.decision.by', { actor: d.by, at: formatDateTime(d.atMs) })}</Text>
        {d.effect !== 'none' && d.effect !== 'group_removed' && <Text size="xs" c="dimmed">{t(`accessReview.effect.${d.effect}`)}</Text>}
        <Text size="xs" lineClamp={2} title={d.reason}>{d.reason}</Text>
      </Stack>
    );
  }
  if (!open) return null;
  if (!l.canDecide) {
    return <Text size="xs" c="dimmed" data-testid="review-line-own">{t('accessReview.own')}</Text>;
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Button size="compact-xs" variant="light" color="green" onClick={onConfirm} data-testid="review-line-confirm">
        {t('accessReview.actions.confirm')}
      </Button>
      <Button size="compact-xs" variant="light" color="red" onClick={onRevoke} data-testid="review-line-revoke">
        {t('accessReview.actions.revoke')}
      </Button>
    </Group>
  );
}

/** How often reviews come, when the next is due, or that one is open or overdue. */
function ScheduleNote({ schedule: s, campaigns }: { schedule: ReviewScheduleView; campaigns: readonly { id: number; reference: string; openedAtMs: number }[] }) {
  const { t } = useTranslation();
  const open = campaigns.find((c) => c.id === s.openCampaignId) ?? null;
  const line =
    s.overdue === 'open_too_long' && open
      ? t('accessReview.schedule.overdue_open_too_long', { reference: open.reference, days: ACCESS_REVIEW_OPEN_MAX_DAYS })
      : s.overdue === 'not_opened' && s.dueAtMs !== null
        ? t('accessReview.schedule.overdue_not_opened', { at: formatDate(s.dueAtMs) })
        : open
          ? t('accessReview.schedule.open', { reference: open.reference, at: formatDate(open.openedAtMs) })
          : s.dueAtMs !== null
            ? t('accessReview.schedule.due', { at: formatDate(s.dueAtMs) })
            : '';
  return (
    <Alert color={s.overdue ? 'orange' : 'blue'} variant="light" py={6} data-testid="access-review-schedule" data-overdue={s.overdue ?? 'no'}>
      <Text size="sm">{t('accessReview.schedule.every', { count: s.months })} {line}</Text>
    </Alert>
  );
}
