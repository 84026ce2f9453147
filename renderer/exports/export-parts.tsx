// Small pieces shared by the export screens: status and deadline badges, a labelled field, the
// session's permissions for components that are not handed the session, and the camera options.
import { useEffect, useState, type ReactNode } from 'react';
import { Badge, Box, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ExportSummaryView, SessionView } from '../../shared/contract';
import { useApi } from '../api/api-context';
import type { CameraOption } from '../holds/ItemRowsEditor';
import { formatDateTime } from '../holds/time-input';
import { STATUS_COLOURS, deadlineColour, deadlineWording } from './exports-model';

export function ExportStatusBadge({ status, testId }: { status: ExportSummaryView['status']; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={STATUS_COLOURS[status]} tt="none" style={{ minWidth: 'max-content' }} data-testid={testId} data-status={status}>
      {t(`exports.status.${status}`)}
    </Badge>
  );
}

/** The deadline's date, and in words how far it is: amber when near, red when overdue. */
export function DeadlineText({ view, nowMs, testId }: { view: Pick<ExportSummaryView, 'deadlineMs' | 'deadlineState'>; nowMs: number; testId?: string }) {
  const { t } = useTranslation();
  const wording = deadlineWording(view, nowMs);
  const colour = deadlineColour(view.deadlineState);
  const flagged = view.deadlineState === 'near' || view.deadlineState === 'overdue';
  return (
    <Box data-testid={testId} data-deadline-state={view.deadlineState}>
      <Text size="sm" ff="monospace" fw={flagged ? 700 : undefined} c={flagged ? `${colour}.4` : undefined} className="oc-nowrap">
        {formatDateTime(view.deadlineMs)}
      </Text>
      {flagged ? (
        <Badge color={colour} variant="filled" size="xs" tt="none" style={{ minWidth: 'max-content' }} data-testid={testId ? `${testId}-flag` : undefined}>
          {wordingText(t, wording)}
        </Badge>
      ) : (
        <Text size="xs" c="dimmed">
          {wordingText(t, wording)}
        </Text>
      )}
    </Box>
  );
}

function wordingText(t: TFunction, w: ReturnType<typeof deadlineWording>): string {
  if (w.key === 'left') return t('exports.deadline.left', { count: w.days });
  if (w.key === 'overdue') return w.days > 0 ? t('exports.deadline.overdueBy', { count: w.days }) : t('exports.deadline.overdue');
  return t(`exports.deadline.${w.key}`);
}

export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Box>
  );
}

/**
 * Whether the signed-in user holds a permission, for components placed where the session is not
 * passed down (an incident's detail). The engine refuses anyway (R5); this only hides the button.
 */
export function useHasPermission(permission: SessionView['permissions'][number]): boolean {
  const api = useApi();
  const [has, setHas] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void api.call('session.status', {}).then((r) => {
      if (!cancelled && r.ok && r.value.signedIn) setHas(r.value.session.permissions.includes(permission));
    });
    return () => {
      cancelled = true;
    };
  }, [api, permission]);
  return has;
}

/** The cameras the user can see (live.view), as select options; known names are added for the rest. */
export function useCameraOptions(enabled: boolean, known: readonly { cameraId: number; cameraName?: string }[] = []): CameraOption[] {
  const api = useApi();
  const [options, setOptions] = useState<CameraOption[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    void api.call('cameras.list', {}).then((r) => {
      if (!cancelled && r.ok) setOptions(r.value.cameras.map((c) => ({ value: String(c.id), label: c.site ? `${c.name} · ${c.site}` : c.name })));
    });
    return () => {
      cancelled = true;
    };
  }, [api, enabled]);
  const have = new Set(options.map((o) => o.value));
  const extra = known.filter((k) => !have.has(String(k.cameraId))).map((k) => ({ value: String(k.cameraId), label: k.cameraName ?? `#${k.cameraId}` }));
  return [...options, ...extra.filter((e, i) => extra.findIndex((x) => x.value === e.value) === i)];
}
