// A register printed by the engine (electron/core/registers/register-document.ts): a PDF to print,
// sign and file, or a CSV for a spreadsheet (the reader's separator), written in the interface
// language and fetched once. Asking for it is audited by the engine.
import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import { csvSeparator, isLanguage } from '../i18n';
import { downloadOnce } from './download-once';
import type { ActionState } from './use-action';

type FileAnswer = { fileName: string; downloadUrl: string; rows: number };
/** Commands that print a register: `{ format, language, separator? }` answered with the file. */
export type RegisterCommand = {
  [N in CommandName]: RequestOf<N> extends { format: 'pdf' | 'csv'; language: string } ? (ResponseOf<N> extends FileAnswer ? N : never) : never;
}[CommandName];

export function RegisterExport({ command, testId, exporting, onDone }: { command: RegisterCommand; testId: string; exporting: ActionState; onDone: (done: { fileName: string; rows: number }) => void }) {
  const { t, i18n } = useTranslation();
  const run = async (format: 'pdf' | 'csv') => {
    const language = isLanguage(i18n.language) ? i18n.language : 'en';
    const request = format === 'csv' ? { format, language, separator: csvSeparator() } : { format, language };
    const file = (await exporting.run(command, request as RequestOf<typeof command>)) as FileAnswer | null;
    if (!file) return;
    const failed = await downloadOnce(file.fileName, file.downloadUrl);
    if (failed) return exporting.setError(failed);
    onDone({ fileName: file.fileName, rows: file.rows });
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" loading={exporting.busy} data-testid={testId}>
          {t('register.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item data-testid={`${testId}-pdf`} onClick={() => void run('pdf')}>
          {t('register.pdf')}
        </Menu.Item>
        <Menu.Item data-testid={`${testId}-csv`} onClick={() => void run('csv')}>
          {t('register.csv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
