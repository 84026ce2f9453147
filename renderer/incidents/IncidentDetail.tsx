// One incident (docs/design/playback.md "Incidents"): what was marked and where, the append-only notes, the history with
// the reasons given for closing and reopening, and the legal holds that keep its footage.
import { useState } from 'react';
import { Box, Button, Group, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../shared/contract';
import { IncidentExportButton } from '../exports/RequestExportButton';
import { HoldStatusBadge } from '../holds/HoldDetail';
import { DetailDrawer, DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDateTime, formatDateTimeSeconds } from '../kit/format-time';
import { HistoryTimeline, type HistoryActions } from '../kit/HistoryTimeline';
import { ReasonModal } from '../kit/ReasonModal';
import { StatusBadge } from '../kit/StatusBadge';
import { useAction, type ActionState } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useHasPermission } from '../kit/use-permission';
import { requestPlayback } from '../playback/look-back';
import { useReloadOn } from '../kit/use-engine-events';
import { MAX_NOTE, formatIncidentTime } from './incidents-model';
import { categoryName } from './use-categories';

type StatusChange = 'close' | 'reopen';

/** The engine's history actions and their interface strings; an unknown action is shown as it is. */
const HISTORY: HistoryActions = {
  labels: {
    marked: 'incidents.history.marked',
    created: 'incidents.history.created',
    'note added': 'incidents.history.noteAdded',
    closed: 'incidents.history.closed',
    reopened: 'incidents.history.reopened',
    'hold linked': 'incidents.history.holdLinked',
  },
  colours: { closed: 'red', reopened: 'yellow', 'hold linked': 'grape' },
  details: { 'hold linked': 'incidents.historyDetails.holdLinked' },
};

export function IncidentStatusBadge({ status, testId }: { status: IncidentView['status']; testId?: string }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`incidents.status.${status}`)} colour={status === 'open' ? 'red' : 'gray'} testId={testId} />;
}

/** Keyed by incident id by the caller: another incident is a fresh detail. */
/** Played from an incident: this long before its moment, and after its end. */
const INCIDENT_LEAD_MS = 30_000;
const INCIDENT_TAIL_MS = 60_000;

export function IncidentDetail({
  incidentId,
  canEdit,
  canLinkHold,
  onClose,
  onChanged,
}: {
  incidentId: number;
  canEdit: boolean;
  canLinkHold: boolean;
  onClose: () => void;
  onChanged: (incident: IncidentView) => void;
}) {
  const { t } = useTranslation();
  const loaded = useCommand('incidents.get', { incidentId }, [incidentId]);
  // Changed at another seat while open here: read it again.
  useReloadOn(['incident.changed'], loaded.reload, (event) => event.incidentId === incidentId);
  const incident = loaded.value;
  const [change, setChange] = useState<StatusChange | null>(null);
  const noteAction = useAction();
  const linkAction = useAction();
  // "Play": its cameras around its moment in Playback, the reason prefilled with the incident.
  const canPlay = useHasPermission('playback.view');
  const play = (i: IncidentView) =>
    requestPlayback({
      cameraIds: i.cameras.map((c) => c.cameraId),
      fromMs: i.startMs - INCIDENT_LEAD_MS,
      toMs: (i.endMs ?? i.startMs) + INCIDENT_TAIL_MS,
      reason: { category: 'incident_investigation', reference: i.number },
    });

  const updated = (next: IncidentView) => {
    setChange(null);
    loaded.setValue(() => next);
    onChanged(next);
  };

  return (
    <DetailDrawer
      title={incident?.number ?? `INC-${incidentId}`}
      titleTestId="incident-detail-number"
      badges={incident && <IncidentStatusBadge status={incident.status} testId="incident-detail-status" />}
      onClose={onClose}
      testId="incident-detail"
      closeTestId="incident-detail-close"
      attributes={{ 'data-incident-id': incidentId, 'data-status': incident?.status }}
      loaded={incident !== null}
      error={loaded.error ?? noteAction.error ?? linkAction.error}
      errorTestId="incident-detail-error"
    >
      {incident && (
        <>
          {/* A live mark's title is made by the engine from category and camera, shown below anyway. */}
          {incident.source === 'playback' && incident.title && (
            <Text fw={600} data-testid="incident-detail-title" style={{ wordBreak: 'break-word' }}>
              {incident.title}
            </Text>
          )}
          {canPlay && incident.cameras.length > 0 && (
            <Group gap="xs">
              <Button size="xs" color="yellow" c="dark.9" data-testid="incident-play" onClick={() => play(incident)}>
                {t('incidents.play')}
              </Button>
            </Group>
          )}
          <Group grow align="flex-start">
            <DetailField label={t('incidents.fields.category')} testId="incident-detail-category">
              {categoryName(incident.category, incident.categoryLabel, incident.categoryNames)}
            </DetailField>
            <DetailField label={t('incidents.fields.source')} testId="incident-detail-source">
              {t(`incidents.source.${incident.source}`)}
            </DetailField>
          </Group>
          <Group grow align="flex-start">
            <DetailField label={t(incident.endMs === null ? 'incidents.fields.markedAt' : 'incidents.fields.range')} testId="incident-detail-time">
              {formatIncidentTime(incident)}
            </DetailField>
            <DetailField label={t('incidents.fields.createdBy')} testId="incident-detail-author">
              {incident.createdBy} · {formatDateTime(incident.createdAtMs)}
            </DetailField>
          </Group>
          <DetailField label={t('incidents.fields.cameras')} testId="incident-detail-cameras">
            {incident.cameras.map((c) => c.cameraName).join(', ')}
          </DetailField>
          {canEdit && (
            <Group gap="xs">
              {incident.status === 'open' ? (
                <Button size="xs" color="red" variant="light" data-testid="incident-close" onClick={() => setChange('close')}>
                  {t('incidents.close.button')}
                </Button>
              ) : (
                <Button size="xs" variant="default" data-testid="incident-reopen" onClick={() => setChange('reopen')}>
                  {t('incidents.reopen.button')}
                </Button>
              )}
              <IncidentExportButton incident={incident} />
            </Group>
          )}
          <Notes incident={incident} canEdit={canEdit} action={noteAction} onChanged={updated} />
          <LinkedHolds incident={incident} canLink={canLinkHold} action={linkAction} onChanged={updated} />
          <DetailSection label={t('incidents.detail.history')}>
            <HistoryTimeline entries={incident.history} actions={HISTORY} testId="incident-history" entryTestId="incident-history-entry" />
          </DetailSection>
          {change && (
            <ReasonModal
              command={change === 'close' ? 'incidents.close' : 'incidents.reopen'}
              request={(reason) => ({ incidentId: incident.id, reason })}
              onDone={updated}
              onClose={() => setChange(null)}
              title={t(`incidents.${change}.title`, { number: incident.number })}
              intro={t(`incidents.${change}.intro`)}
              label={t('incidents.fields.reason')}
              hintKey="incidents.reasonHint"
              submitLabel={t(`incidents.${change}.submit`)}
              submitColor={change === 'close' ? 'red' : undefined}
              size={520}
              testId="incident-reason-modal"
              inputTestId="incident-reason-input"
              submitTestId="incident-reason-submit"
              errorTestId="incident-reason-error"
            />
          )}
        </>
      )}
    </DetailDrawer>
  );
}

/** The append-only notes, oldest first, and a field to add one. */
function Notes({ incident, canEdit, action, onChanged }: { incident: IncidentView; canEdit: boolean; action: ActionState; onChanged: (incident: IncidentView) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const add = async () => {
    if (!note.trim()) return;
    const next = await action.run('incidents.addNote', { incidentId: incident.id, text: note });
    if (!next) return;
    setNote('');
    onChanged(next);
  };
  return (
    <DetailSection label={t('incidents.detail.notes', { count: incident.noteHistory.length })}>
      <Stack gap={6} data-testid="incident-notes">
        {incident.noteHistory.length === 0 && (
          <Text size="xs" c="dimmed" data-testid="incident-notes-empty">
            {t('incidents.detail.noNotes')}
          </Text>
        )}
        {incident.noteHistory.map((n, index) => (
          <Box key={`${n.atMs}-${index}`} data-testid="incident-note" pl="xs" style={{ borderLeft: '2px solid var(--mantine-color-dark-4)' }}>
            <Text size="xs" c="dimmed">
              {formatDateTimeSeconds(n.atMs)} · {n.actor}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {n.text}
            </Text>
          </Box>
        ))}
      </Stack>
      {canEdit && (
        <Stack gap={4}>
          <Textarea
            data-testid="incident-note-input"
            placeholder={t('incidents.detail.notePlaceholder')}
            aria-label={t('incidents.detail.addNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={MAX_NOTE}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {t('incidents.detail.notesAppendOnly')}
            </Text>
            <Button size="xs" data-testid="incident-note-add" loading={action.busy} disabled={!note.trim()} onClick={() => void add()}>
              {t('incidents.detail.addNote')}
            </Button>
          </Group>
        </Stack>
      )}
    </DetailSection>
  );
}

/** The legal holds that keep this incident's footage, and linking another active one. */
function LinkedHolds({ incident, canLink, action, onChanged }: { incident: IncidentView; canLink: boolean; action: ActionState; onChanged: (incident: IncidentView) => void }) {
  const { t } = useTranslation();
  const [choosing, setChoosing] = useState(false);
  const [holdId, setHoldId] = useState<string | null>(null);
  // Listing holds is an audited read: only once the user asks to link one.
  const active = useCommand('holds.list', choosing ? { status: 'active' } : null, [choosing]);
  const linked = new Set(incident.linkedHolds.map((h) => h.holdId));
  const options = (active.value?.holds ?? []).filter((h) => !linked.has(h.id)).map((h) => ({ value: String(h.id), label: `${h.caseReference} · ${h.requestingBody}` }));

  const link = async () => {
    if (!holdId) return;
    const next = await action.run('incidents.linkHold', { incidentId: incident.id, holdId: Number(holdId) });
    if (!next) return;
    setHoldId(null);
    setChoosing(false);
    onChanged(next);
  };

  return (
    <DetailSection label={t('incidents.detail.holds', { count: incident.linkedHolds.length })}>
      <Box data-testid="incident-holds">
        {incident.linkedHolds.length === 0 ? (
          <Text size="xs" c="dimmed" data-testid="incident-holds-empty">
            {t('incidents.detail.noHolds')}
          </Text>
        ) : (
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {incident.linkedHolds.map((h) => (
                <Table.Tr key={h.holdId} data-testid="incident-hold" data-hold-id={h.holdId}>
                  <Table.Td fw={600} fz="sm">
                    {h.caseReference}
                  </Table.Td>
                  <Table.Td>
                    <HoldStatusBadge status={h.status === 'active' ? 'active' : 'released'} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Box>
      {canLink &&
        (!choosing ? (
          <Group>
            <Button size="xs" variant="default" data-testid="incident-link-hold" onClick={() => setChoosing(true)}>
              {t('incidents.detail.linkHold')}
            </Button>
          </Group>
        ) : (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              data-testid="incident-link-hold-select"
              size="xs"
              label={t('incidents.detail.linkHoldLabel')}
              placeholder={options.length ? t('incidents.detail.linkHoldPlaceholder') : t('incidents.detail.noActiveHolds')}
              data={options}
              value={holdId}
              onChange={setHoldId}
              searchable
              style={{ flex: 1 }}
              comboboxProps={{ withinPortal: true }}
              error={active.error ? t(`errors.kinds.${active.error.kind}`) : undefined}
            />
            <Button size="xs" data-testid="incident-link-hold-submit" disabled={!holdId} loading={action.busy} onClick={() => void link()}>
              {t('incidents.detail.link')}
            </Button>
          </Group>
        ))}
    </DetailSection>
  );
}
