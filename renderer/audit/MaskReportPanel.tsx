// The data protection officer's report of every camera's privacy masks (R7; KRK §6.2-6.3, JON 8-9;
// docs/design/privacy-masks.md): a PDF the engine writes in the chosen language (the interface's by
// default) and offers once; asking for it is audited.
import { useState } from 'react';
import { Alert, Button, Group, Paper, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../shared/i18n-languages';
import { ErrorAlert } from '../components/ErrorAlert';
import { isLanguage } from '../i18n';
import { downloadOnce } from '../kit/download-once';
import { useAction } from '../kit/use-action';

export function MaskReportPanel() {
  const { t, i18n } = useTranslation();
  const [language, setLanguage] = useState<Language>(() => (isLanguage(i18n.language) ? i18n.language : 'en'));
  const [done, setDone] = useState<{ fileName: string; cameras: number } | null>(null);
  const reporting = useAction();

  const run = async () => {
    setDone(null);
    const file = await reporting.run('masks.report', { language });
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) return reporting.setError(failed);
    setDone({ fileName: file.fileName, cameras: file.cameras });
  };

  return (
    <Paper withBorder bg="dark.7" px="sm" py={6} style={{ flexShrink: 0 }} data-testid="mask-report">
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" style={{ flex: '1 1 280px' }}>
          {t('audit.masksReport.hint')}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Select
            size="xs"
            w={130}
            aria-label={t('audit.masksReport.language')}
            data-testid="mask-report-language"
            value={language}
            allowDeselect={false}
            onChange={(v) => isLanguage(v) && setLanguage(v)}
            data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          />
          <Button size="xs" variant="default" data-testid="mask-report-download" loading={reporting.busy} onClick={() => void run()}>
            {t('audit.masksReport.button')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={reporting.error} testId="mask-report-error" />
      {done && (
        <Alert color="green" py={4} mt={6} data-testid="mask-report-done" withCloseButton onClose={() => setDone(null)}>
          {t('audit.masksReport.done', done)}
        </Alert>
      )}
    </Paper>
  );
}
