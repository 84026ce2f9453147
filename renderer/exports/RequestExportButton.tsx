// "Request export" where footage is being looked at (docs/design/exports.md "Request, deadline, decision"): on playback, the cameras shown
// and the visible range; on an incident, its cameras and range (a live mark: 2 minutes before to
// 3 after its moment) and the incident's number. The button holds its own dialog, so the screens
// it sits on need only place it.
import { useState } from 'react';
import { Button, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../shared/contract';
import { useHasPermission } from '../kit/use-permission';
import { incidentRange } from './exports-model';
import { RequestExportModal, type InitialExportItem } from './RequestExportModal';

export function RequestExportButton({
  items,
  incidentId = null,
  disabled = false,
  testId,
  label,
  ...buttonProps
}: {
  /** Read when the button is pressed. */
  items: readonly InitialExportItem[];
  incidentId?: number | null;
  disabled?: boolean;
  testId: string;
  label?: string;
} & Omit<ButtonProps, 'children' | 'disabled' | 'onClick'>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<readonly InitialExportItem[] | null>(null);
  return (
    <>
      <Button variant="light" color="teal" {...buttonProps} data-testid={testId} disabled={disabled || items.length === 0} onClick={() => setOpen(items)}>
        {label ?? t('exports.request.button')}
      </Button>
      {open && <RequestExportModal initialItems={open} incidentId={incidentId} onClose={() => setOpen(null)} onCreated={() => undefined} />}
    </>
  );
}

/** On an incident's detail, for users who may request exports. */
export function IncidentExportButton({ incident }: { incident: IncidentView }) {
  const allowed = useHasPermission('exports.request');
  if (!allowed) return null;
  const { fromMs, toMs } = incidentRange(incident);
  const items = incident.cameras.map((c) => ({ cameraId: c.cameraId, cameraName: c.cameraName, fromMs, toMs }));
  return <RequestExportButton size="xs" items={items} incidentId={incident.id} testId="incident-request-export" />;
}
