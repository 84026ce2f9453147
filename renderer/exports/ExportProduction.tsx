// The production of an export request's package (docs/design/exports.md "Production"): mode, who started it, progress and
// time left while it runs (with Cancel), the error of a failed run, and where the finished package
// is with its manifest hash for export:verify.
import { Alert, Button, Code, CopyButton, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import { DetailField, DetailSection } from '../kit/DetailDrawer';
import { formatDateTime, formatDateTimeSeconds } from '../kit/format-time';
import { etaParts, progressPercent } from './exports-model';

type Production = NonNullable<ExportView['production']>;

export function ExportProduction({ production, producing, cancelling, onCancel }: { production: Production; producing: boolean; cancelling: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  const eta = etaParts(production.etaMs);
  const percent = progressPercent(production.progress);
  return (
    <DetailSection label={t('exports.detail.production')}>
      <Stack gap={6} data-testid="export-production" data-mode={production.mode}>
        <Group gap="lg">
          <DetailField label={t('exports.fields.mode')}>{t(`exports.mode.${production.mode}`)}</DetailField>
          <DetailField label={t('exports.fields.producedBy')}>
            {production.by} · {formatDateTime(production.startedAtMs)}
          </DetailField>
          {production.mode === 'burn_in' && <DetailField label={t('exports.fields.redactions')}>{production.redactions}</DetailField>}
        </Group>
        {producing && (
          <Stack gap={4}>
            <Progress value={percent} size="lg" striped animated data-testid="export-progress" aria-label={t('exports.detail.progress')} />
            <Group justify="space-between">
              <Text size="sm" fw={600} data-testid="export-progress-percent">
                {percent} %
              </Text>
              <Text size="xs" c="dimmed" data-testid="export-progress-eta">
                {eta ? t('exports.detail.eta', { minutes: eta.minutes, seconds: String(eta.seconds).padStart(2, '0') }) : t('exports.detail.etaUnknown')}
              </Text>
              <Button size="compact-sm" color="red" variant="light" loading={cancelling} data-testid="export-cancel" onClick={onCancel}>
                {t('exports.detail.cancel')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('exports.detail.background')}
            </Text>
          </Stack>
        )}
        {production.error && (
          <Alert color="red" py={6} data-testid="export-production-error">
            {production.error}
          </Alert>
        )}
        {production.finishedAtMs !== null && !production.error && (
          <Text size="xs" c="dimmed">
            {t('exports.detail.finishedAt', { at: formatDateTimeSeconds(production.finishedAtMs) })}
          </Text>
        )}
        {production.packagePath && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('exports.fields.packagePath')}
            </Text>
            <Group gap={4} wrap="nowrap">
              <Code block data-testid="export-package-path" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {production.packagePath}
              </Code>
              <CopyButton value={production.packagePath}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="default" onClick={copy}>
                    {copied ? t('exports.detail.copied') : t('exports.detail.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              {t('exports.detail.verifyHint')}
            </Text>
          </Stack>
        )}
        {production.manifestSha256 && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('exports.fields.manifestSha256')}
            </Text>
            <Code data-testid="export-manifest-sha" style={{ wordBreak: 'break-all' }}>
              {production.manifestSha256}
            </Code>
          </Stack>
        )}
      </Stack>
    </DetailSection>
  );
}
