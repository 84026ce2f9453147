// A tracked path the engine proposes for a redaction box (exports.trackBox; docs/design/exports.md
// "Data-subject packages"): how far it got and why it stopped, its key times on a strip under the
// timeline, a preview that moves the box over the neutral frame, and the operator's choice. Nothing
// is added to the box until "Accept the tracked path" is clicked.
import { Alert, Box, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TrackedPath } from '../../shared/contract';
import { formatTimeOfDay } from '../kit/format-time';

export interface Proposal {
  boxKey: number;
  fromAtMs: number;
  path: TrackedPath;
}

export function TrackedPathPanel({ proposal, onAccept, onDiscard, onPreview, previewing }: { proposal: Proposal; onAccept: () => void; onDiscard: () => void; onPreview: () => void; previewing: boolean }) {
  const { t } = useTranslation();
  const { path } = proposal;
  const count = path.keyframes.length;
  const lowest = count > 0 ? Math.min(...path.keyframes.map((k) => k.score)) : 0;
  return (
    <Alert color={path.outcome === 'reached' ? 'cyan' : 'orange'} py={6} data-testid="redaction-proposal" data-outcome={path.outcome} data-count={count}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="xs" data-testid="redaction-proposal-text">
          {t(`exports.track.outcome.${path.outcome}`, { count, time: formatTimeOfDay(path.stoppedAtMs) })}
          {count > 0 && ` ${t('exports.track.lowestMatch', { percent: Math.round(lowest * 100) })}`}
        </Text>
        <Group gap={4} wrap="nowrap">
          {count > 0 && (
            <Button size="compact-xs" variant="default" onClick={onPreview} data-testid="redaction-proposal-preview" disabled={previewing}>
              {t('exports.track.preview')}
            </Button>
          )}
          {count > 0 && (
            <Button size="compact-xs" color="cyan" onClick={onAccept} data-testid="redaction-proposal-accept">
              {t('exports.track.accept')}
            </Button>
          )}
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onDiscard} data-testid="redaction-proposal-discard">
            {t('exports.track.discard')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}

/** The proposed key times as ticks on a strip aligned with the timeline's slider. */
export function ProposalTicks({ proposal, fromMs, toMs }: { proposal: Proposal; fromMs: number; toMs: number }) {
  const span = Math.max(1, toMs - fromMs);
  const at = (ms: number) => `${(((ms - fromMs) / span) * 100).toFixed(3)}%`;
  return (
    <Box px={6} data-testid="redaction-proposal-ticks">
      <Box style={{ position: 'relative', height: 8 }}>
        {proposal.path.keyframes.map((k) => (
          <Box key={k.atMs} data-testid="redaction-proposal-tick" style={{ position: 'absolute', left: at(k.atMs), top: 0, width: 2, height: 8, background: 'var(--mantine-color-cyan-5)' }} />
        ))}
        {proposal.path.outcome !== 'reached' && <Box style={{ position: 'absolute', left: at(proposal.path.stoppedAtMs), top: -2, width: 2, height: 12, background: 'var(--mantine-color-orange-5)' }} />}
      </Box>
    </Box>
  );
}
