// The open record of a list (a hold, an incident, an export request): a panel on the right, under
// the console's header, beside the list rather than over it (the list keeps the room free, nothing
// is dimmed, and clicking another row shows that record). Escape or the close button closes it. Its body is the
// record's fields, sections and history; it says "loading" or the engine's error until the record
// is there.
import type { ReactNode } from 'react';
import { Box, Divider, Drawer, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../shared/result';
import { ErrorAlert } from '../components/ErrorAlert';

/** The shell's header height (Shell.tsx): the drawer starts below it, so the header stays usable. */
const HEADER_HEIGHT = 44;
/** One width for every record's drawer; the list beside it keeps this much room free (FilteredRecordTable). */
export const DRAWER_WIDTH = 460;

export function DetailDrawer({
  title,
  titleTestId,
  subtitle,
  badges,
  onClose,
  testId,
  closeTestId,
  attributes,
  loaded,
  error,
  errorTestId,
  children,
}: {
  title: ReactNode;
  titleTestId: string;
  subtitle?: ReactNode;
  badges?: ReactNode;
  onClose: () => void;
  testId: string;
  closeTestId: string;
  /** Data attributes of the panel (`data-status`). */
  attributes?: Record<string, string | number | undefined>;
  /** False until the record is there. */
  loaded: boolean;
  error: CommandError | null;
  errorTestId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  // Escape closes the drawer, but not when it closes a dialog opened from it (both would listen).
  // Capture phase: this runs before the dialog's own listener has removed the dialog.
  useWindowEvent(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && !document.querySelector('.mantine-Modal-content')) onClose();
    },
    { capture: true },
  );
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size={DRAWER_WIDTH}
      withOverlay={false}
      lockScroll={false}
      trapFocus={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      shadow="xl"
      styles={{ inner: { top: HEADER_HEIGHT }, content: { borderLeft: '1px solid var(--mantine-color-dark-4)' } }}
      title={
        <Stack gap={2}>
          {subtitle && (
            <Text size="xs" c="dimmed">
              {subtitle}
            </Text>
          )}
          <Group gap="xs">
            <Title order={3} data-testid={titleTestId}>
              {title}
            </Title>
            {badges}
          </Group>
        </Stack>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
      attributes={{ content: { 'data-testid': testId, ...attributes }, close: { 'data-testid': closeTestId } }}
    >
      {loaded ? (
        <Stack gap="sm">
          {children}
          <ErrorAlert error={error} testId={errorTestId} />
        </Stack>
      ) : error ? (
        <ErrorAlert error={error} testId={errorTestId} />
      ) : (
        <Loader size="sm" />
      )}
    </Drawer>
  );
}

/** A labelled value of a record; long text wraps and keeps its line breaks. */
export function DetailField({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
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

/** A titled part of a record (its cameras, its history). */
export function DetailSection({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Divider label={label} labelPosition="left" />
      {children}
    </>
  );
}
