// One incident (issue 5 §4): what was marked and where, the append-only notes, the history with
// the reasons given for closing and reopening, and the legal holds that keep its footage.
import { useEffect, useState, type ReactNode } from 'react';
import { Badge, Box, Button, Divider, Drawer, Group, Loader, Select, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HoldView, IncidentView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { IncidentExportButton } from '../exports/RequestExportButton';
import { formatDateTime } from '../holds/time-input';
import { IncidentReasonModal, type StatusChange } from './IncidentDialogs';
import { formatDateTimeSeconds, formatIncidentTime } from './incident-format';
import { MAX_NOTE } from './incidents-model';

/** The engine's history actions and their interface strings; an unknown action is shown as it is. */
const HISTORY_KEYS: Record<string, string> = {
  marked: 'marked',
  created: 'created',
  'note added': 'noteAdded',
  closed: 'closed',
  reopened: 'reopened',
  'hold linked': 'holdLinked',
};
const HISTORY_COLOURS: Record<string, string> = { closed: 'red', reopened: 'yellow', 'hold linked': 'grape' };

export function StatusBadge({ status, testId }: { status: IncidentView['status']; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={status === 'open' ? 'red' : 'gray'} tt="none" style={{ minWidth: 'max-content' }} data-testid={testId} data-status={status}>
      {t(`incidents.status.${status}`)}
    </Badge>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Box>
  );
}

/** Keyed by incident id by the caller: another incident is a fresh detail. */
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
  const api = useApi();
  const { t } = useTranslation();
  const [incident, setIncident] = useState<IncidentView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'note' | 'link' | null>(null);
  const [change, setChange] = useState<StatusChange | null>(null);
  const [holds, setHolds] = useState<HoldView[] | null>(null);
  const [holdId, setHoldId] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.call('incidents.get', { incidentId }).then((r) => {
      if (cancelled) return;
      if (r.ok) setIncident(r.value);
      else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, incidentId]);

  const updated = (next: IncidentView) => {
    setIncident(next);
    setError(null);
    onChanged(next);
  };

  const addNote = async () => {
    if (!note.trim()) return;
    setBusy('note');
    const r = await api.call('incidents.addNote', { incidentId, text: note });
    setBusy(null);
    if (r.ok) {
      setNote('');
      updated(r.value);
    } else setError(r.error);
  };

  const loadHolds = async () => {
    const r = await api.call('holds.list', { status: 'active' });
    if (r.ok) setHolds(r.value.holds);
    else setError(r.error);
  };

  const linkHold = async () => {
    if (!holdId) return;
    setBusy('link');
    const r = await api.call('incidents.linkHold', { incidentId, holdId: Number(holdId) });
    setBusy(null);
    if (r.ok) {
      setHoldId(null);
      setHolds(null);
      updated(r.value);
    } else setError(r.error);
  };

  const linked = new Set(incident?.linkedHolds.map((h) => h.holdId) ?? []);
  const holdOptions = (holds ?? []).filter((h) => !linked.has(h.id)).map((h) => ({ value: String(h.id), label: `${h.caseReference} · ${h.requestingBody}` }));

  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size={520}
      title={
        <Group gap="xs">
          <Title order={3} data-testid="incident-detail-number">
            {incident?.number ?? `INC-${incidentId}`}
          </Title>
          {incident && <StatusBadge status={incident.status} testId="incident-detail-status" />}
        </Group>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
      attributes={{ content: { 'data-testid': 'incident-detail', 'data-incident-id': incidentId, 'data-status': incident?.status }, close: { 'data-testid': 'incident-detail-close' } }}
    >
      {!incident && (error ? <ErrorAlert error={error} testId="incident-detail-error" /> : <Loader size="sm" />)}
      {incident && (
        <Stack gap="sm" data-status={incident.status}>
          {/* A live mark's title is made by the engine from category and camera, shown below anyway. */}
          {incident.source === 'playback' && incident.title && (
            <Text fw={600} data-testid="incident-detail-title" style={{ wordBreak: 'break-word' }}>
              {incident.title}
            </Text>
          )}
          <Group grow align="flex-start">
            <Field label={t('incidents.fields.category')} testId="incident-detail-category">
              {incident.categoryLabel}
            </Field>
            <Field label={t('incidents.fields.source')} testId="incident-detail-source">
              {t(`incidents.source.${incident.source}`)}
            </Field>
          </Group>
          <Group grow align="flex-start">
            <Field label={t(incident.endMs === null ? 'incidents.fields.markedAt' : 'incidents.fields.range')} testId="incident-detail-time">
              {formatIncidentTime(incident)}
            </Field>
            <Field label={t('incidents.fields.createdBy')} testId="incident-detail-author">
              {incident.createdBy} · {formatDateTime(incident.createdAtMs)}
            </Field>
          </Group>
          <Field label={t('incidents.fields.cameras')} testId="incident-detail-cameras">
            {incident.cameras.map((c) => c.cameraName).join(', ')}
          </Field>
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
          <ErrorAlert error={error} testId="incident-detail-error" />

          <Divider label={t('incidents.detail.notes', { count: incident.noteHistory.length })} labelPosition="left" />
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
                <Button size="xs" data-testid="incident-note-add" loading={busy === 'note'} disabled={!note.trim()} onClick={() => void addNote()}>
                  {t('incidents.detail.addNote')}
                </Button>
              </Group>
            </Stack>
          )}

          <Divider label={t('incidents.detail.holds', { count: incident.linkedHolds.length })} labelPosition="left" />
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
                        <Badge variant="dot" color={h.status === 'active' ? 'green' : 'gray'} tt="none">
                          {t(`holds.status.${h.status === 'active' ? 'active' : 'released'}`)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Box>
          {canLinkHold &&
            (holds === null ? (
              <Group>
                <Button size="xs" variant="default" data-testid="incident-link-hold" onClick={() => void loadHolds()}>
                  {t('incidents.detail.linkHold')}
                </Button>
              </Group>
            ) : (
              <Group gap="xs" align="flex-end" wrap="nowrap">
                <Select
                  data-testid="incident-link-hold-select"
                  size="xs"
                  label={t('incidents.detail.linkHoldLabel')}
                  placeholder={holdOptions.length ? t('incidents.detail.linkHoldPlaceholder') : t('incidents.detail.noActiveHolds')}
                  data={holdOptions}
                  value={holdId}
                  onChange={setHoldId}
                  searchable
                  style={{ flex: 1 }}
                  comboboxProps={{ withinPortal: true }}
                />
                <Button size="xs" data-testid="incident-link-hold-submit" disabled={!holdId} loading={busy === 'link'} onClick={() => void linkHold()}>
                  {t('incidents.detail.link')}
                </Button>
              </Group>
            ))}

          <Divider label={t('incidents.detail.history')} labelPosition="left" />
          <Timeline bulletSize={12} lineWidth={2} active={incident.history.length - 1} data-testid="incident-history">
            {incident.history.map((e, index) => {
              const key = HISTORY_KEYS[e.action];
              return (
                <Timeline.Item
                  key={`${e.atMs}-${index}`}
                  data-testid="incident-history-entry"
                  data-action={e.action}
                  color={HISTORY_COLOURS[e.action] ?? 'accent'}
                  title={
                    <Text size="xs" fw={600}>
                      {key ? t(`incidents.history.${key}`) : e.action} · {e.actor}
                    </Text>
                  }
                >
                  <Text size="xs" c="dimmed">
                    {formatDateTimeSeconds(e.atMs)}
                  </Text>
                  {e.note && (
                    <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                      {e.note}
                    </Text>
                  )}
                </Timeline.Item>
              );
            })}
          </Timeline>
        </Stack>
      )}
      {incident && change && (
        <IncidentReasonModal
          incident={incident}
          change={change}
          onClose={() => setChange(null)}
          onDone={(next) => {
            setChange(null);
            updated(next);
          }}
        />
      )}
    </Drawer>
  );
}
