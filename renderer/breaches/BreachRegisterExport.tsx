// The printed breach register (breaches.export; docs/design/breaches.md "The printed register"): a
// PDF to print, sign and file, or a CSV for a spreadsheet, written by the engine in the interface
// language with every record and its history, and fetched once. Asking for it is audited.
import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegisterFormat } from '../../shared/contract/registers';
import { csvSeparator, isLanguage } from '../i18n';
import { downloadOnce } from '../kit/download-once';
import type { ActionState } from '../kit/use-action';

export function BreachRegisterExport({ exporting, onDone }: { exporting: ActionState; onDone: (done: { fileName: string; rows: number }) => void }) {
  const { t, i18n } = useTranslation();
  const run = async (format: RegisterFormat) => {
    const language = isLanguage(i18n.language) ? i18n.language : 'en';
    const file = await exporting.run('breaches.export', format === 'csv' ? { format, language, separator: csvSeparator() } : { format, language });
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) return exporting.setError(failed);
    onDone({ fileName: file.fileName, rows: file.rows });
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" loading={exporting.busy} data-testid="breaches-export">
          {t('breaches.export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item data-testid="breaches-export-pdf" onClick={() => void run('pdf')}>
          {t('breaches.export.pdf')}
        </Menu.Item>
        <Menu.Item data-testid="breaches-export-csv" onClick={() => void run('csv')}>
          {t('breaches.export.csv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
