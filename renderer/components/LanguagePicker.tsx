import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../shared/i18n-languages';
import { isLanguage } from '../i18n';

const OPTIONS = LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));

export function LanguagePicker({
  value,
  onChange,
  testId,
  withLabel = false,
}: {
  value: Language;
  onChange: (language: Language) => void;
  testId: string;
  withLabel?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Select
      data-testid={testId}
      aria-label={t('common.language')}
      label={withLabel ? t('common.language') : undefined}
      data={OPTIONS}
      value={value}
      onChange={(v) => {
        if (isLanguage(v)) onChange(v);
      }}
      w={130}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
