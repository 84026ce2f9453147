// Seats of a site engine (docs/design/site-engine.md "Enrolment", "Revocation"): an administrator
// registers a seat by name and room and reads its one-time code and the site fingerprint once, to
// hand to whoever sets the seat up; the list shows which seats enrolled, when they were last seen,
// from where and with what version; a seat is revoked with a reason (its sockets close at once).
import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMMANDS, type ResponseOf, type SeatView } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { ReasonModal } from '../kit/ReasonModal';
import { StatusBadge } from '../kit/StatusBadge';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useContractForm } from '../kit/zod-form';
import { formatFingerprint, minutesLeft, seatStatus, type SeatStatus } from '../seat/seat-model';

type Dialog = { kind: 'register' } | { kind: 'code'; registered: ResponseOf<'seats.register'> } | { kind: 'revoke'; seat: SeatView } | null;

const STATUS_COLOURS: Record<SeatStatus, string> = { enrolled: 'green', waiting: 'yellow', expired: 'gray', revoked: 'red' };

export function SeatsTab() {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const list = useCommand('seats.list', {}, []);
  const seats = list.value?.seats ?? null;
  const fingerprint = list.value?.fingerprint ?? null;
  const nowMs = list.settledAtMs;

  const columns: Column<SeatView>[] = [
    { key: 'name', header: t('seats.columns.name'), cell: (s) => <Text fw={600} size="sm">{s.name}</Text> },
    { key: 'room', header: t('seats.columns.room'), cell: (s) => s.room },
    {
      key: 'status',
      header: t('seats.columns.status'),
      cell: (s) => {
        const status = seatStatus(s, nowMs);
        return <StatusBadge status={status} label={t(`seats.status.${status}`)} colour={STATUS_COLOURS[status]} testId="seat-status" />;
      },
    },
    { key: 'enrolled', header: t('seats.columns.enrolled'), nowrap: true, cell: (s) => (s.enrolledAtMs === null ? t('seats.codeUntil', { time: formatDateTime(s.codeExpiresAtMs) }) : formatDateTime(s.enrolledAtMs)) },
    {
      key: 'lastSeen',
      header: t('seats.columns.lastSeen'),
      nowrap: true,
      cell: (s) =>
        s.connections > 0 ? (
          <Badge color="green" variant="light" tt="none" data-testid="seat-connected">
            {t('seats.connectedNow', { count: s.connections })}
          </Badge>
        ) : s.lastSeenAtMs === null ? (
          t('seats.never')
        ) : (
          formatDateTime(s.lastSeenAtMs)
        ),
    },
    { key: 'address', header: t('seats.columns.address'), cell: (s) => <Text ff="monospace" size="xs">{s.lastAddress ?? '—'}</Text> },
    { key: 'version', header: t('seats.columns.version'), cell: (s) => <Text size="xs">{s.version ?? '—'}</Text> },
    {
      key: 'revoked',
      header: t('seats.columns.revoked'),
      maxWidth: 260,
      cell: (s) =>
        s.revokedAtMs === null ? (
          <Button variant="subtle" color="red" size="compact-xs" data-testid="seat-revoke" onClick={() => setDialog({ kind: 'revoke', seat: s })}>
            {t('seats.revoke')}
          </Button>
        ) : (
          <Text size="xs" title={s.revokeReason ?? undefined} truncate="end">
            {t('seats.revokedBy', { by: s.revokedBy ?? '?', time: formatDateTime(s.revokedAtMs) })}
            {s.revokeReason ? ` — ${s.revokeReason}` : ''}
          </Text>
        ),
    },
  ];

  return (
    <FilteredRecordTable
      name="seats"
      screenTestId="seats-tab"
      filters={
        <Group gap="md" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {seats ? t('seats.count', { count: seats.length }) : ''}
          </Text>
          {fingerprint && (
            <Text size="xs" c="dimmed" data-testid="seats-fingerprint">
              {t('seats.fingerprint')} <Code>{formatFingerprint(fingerprint)}</Code>
            </Text>
          )}
        </Group>
      }
      actions={
        <Button data-testid="seats-register" onClick={() => setDialog({ kind: 'register' })} disabled={list.value !== null && fingerprint === null}>
          {t('seats.register')}
        </Button>
      }
      summary={
        list.value !== null &&
        fingerprint === null && (
          <Alert color="gray" py={4} data-testid="seats-not-site">
            {t('seats.notSite')}
          </Alert>
        )
      }
      error={list.error}
      rows={seats}
      columns={columns}
      rowAttributes={(s) => ({ 'data-testid': 'seat-row', 'data-seat-id': s.id, 'data-name': s.name, 'data-status': seatStatus(s, nowMs) })}
      dimmed={(s) => s.revokedAtMs !== null}
      empty={t('seats.empty')}
    >
      {dialog?.kind === 'register' && (
        <RegisterSeatModal
          onClose={() => setDialog(null)}
          onDone={(registered) => {
            setDialog({ kind: 'code', registered });
            list.reload();
          }}
        />
      )}
      {dialog?.kind === 'code' && <SeatCodeModal registered={dialog.registered} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'revoke' && (
        <ReasonModal
          command="seats.revoke"
          request={(reason) => ({ seatId: dialog.seat.id, reason })}
          onDone={() => {
            setDialog(null);
            list.reload();
          }}
          onClose={() => setDialog(null)}
          title={t('seats.revokeTitle', { name: dialog.seat.name })}
          intro={t('seats.revokeIntro')}
          submitLabel={t('seats.revoke')}
          submitColor="red"
          inputTestId="seat-revoke-reason"
          submitTestId="seat-revoke-submit"
          errorTestId="seat-revoke-error"
        />
      )}
    </FilteredRecordTable>
  );
}

function RegisterSeatModal({ onClose, onDone }: { onClose: () => void; onDone: (registered: ResponseOf<'seats.register'>) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const form = useContractForm({ name: '', room: '' }, { schema: COMMANDS['seats.register'].request, toRequest: (v) => v });
  const submit = form.onSubmit(async (values) => {
    const registered = await action.run('seats.register', values);
    if (registered) onDone(registered);
  });
  return (
    <FormModal
      title={t('seats.registerTitle')}
      intro={t('seats.registerIntro')}
      onClose={onClose}
      onSubmit={() => submit()}
      submitLabel={t('seats.registerSubmit')}
      busy={action.busy}
      error={action.error}
      submitTestId="seat-form-submit"
      errorTestId="seat-form-error"
    >
      <TextInput data-testid="seat-form-name" label={t('seats.form.name')} placeholder={t('seats.form.namePlaceholder')} data-autofocus {...form.getInputProps('name')} />
      <TextInput data-testid="seat-form-room" label={t('seats.form.room')} placeholder={t('seats.form.roomPlaceholder')} {...form.getInputProps('room')} />
    </FormModal>
  );
}

/** The one-time code, shown this once: the engine keeps only its hash. */
function SeatCodeModal({ registered, onClose }: { registered: ResponseOf<'seats.register'>; onClose: () => void }) {
  const { t } = useTranslation();
  const [nowMs] = useState(() => Date.now());
  return (
    <Modal opened onClose={onClose} title={t('seats.codeTitle', { name: registered.seat.name })} size={560} closeOnClickOutside={false} data-testid="seat-code-dialog">
      <Stack gap="sm">
        <Text size="sm">{t('seats.codeIntro', { room: registered.seat.room })}</Text>
        <Code block data-testid="seat-code" style={{ fontSize: 26, letterSpacing: 3, textAlign: 'center', padding: '12px 8px' }}>
          {registered.code}
        </Code>
        <Text size="sm" data-testid="seat-code-expires">
          {t('seats.codeExpires', { time: formatDateTime(registered.codeExpiresAtMs), count: minutesLeft(registered.codeExpiresAtMs, nowMs) })}
        </Text>
        <Text size="sm">{t('seats.codeFingerprint')}</Text>
        <Code block data-testid="seat-code-fingerprint" data-fingerprint={registered.fingerprint} style={{ fontSize: 15, whiteSpace: 'normal', wordSpacing: 4 }}>
          {formatFingerprint(registered.fingerprint)}
        </Code>
        <Alert color="yellow" py={6}>
          {t('seats.codeOnce')}
        </Alert>
        <Group justify="flex-end">
          <Button data-testid="seat-code-close" onClick={onClose}>
            {t('seats.codeDone')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
