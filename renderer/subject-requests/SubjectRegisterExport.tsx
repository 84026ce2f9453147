// The printed register of data-subject requests (subjects.export; docs/design/subject-requests.md
// "The printed register"): a PDF to print, sign and file, or a CSV for a spreadsheet, written by the
// engine in the interface language with every request and its history, and fetched once. Audited.
import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegisterFormat } from '../../shared/contract/registers';
import { csvSeparator, isLanguage } from '../i18n';
import { downloadOnce } from '../kit/download-once';
import type { ActionState } from '../kit/use-action';

export function SubjectRegisterExport({ exporting, onDone }: { exporting: ActionState; onDone: (done: { fileName: string; rows: number }) => void }) {
  const { t, i18n } = useTranslation();
  const run = async (format: RegisterFormat) => {
    const language = isLanguage(i18n.language) ? i18n.language : 'en';
    const file = await exporting.run('subjects.export', format === 'csv' ? { format, language, separator: csvSeparator() } : { format, language });
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) return exporting.setError(failed);
    onDone({ fileName: file.fileName, rows: file.rows });
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" loading={exporting.busy} data-testid="subjects-export">
          {t('subjects.print')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item data-testid="subjects-export-pdf" onClick={() => void run('pdf')}>
          {t('subjects.printPdf')}
        </Menu.Item>
        <Menu.Item data-testid="subjects-export-csv" onClick={() => void run('csv')}>
          {t('subjects.printCsv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
