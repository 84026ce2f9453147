// The one date and date-time field of the console (date-input.ts): written and shown in the
// interface language's numeric form on a 24-hour clock, whatever the machine's locale. The value in
// and out is the local ISO-like text the rest of the renderer uses; what does not read as a real
// date is said under the field with an example, and the last good value stays with the caller.
import { useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { dateExample, displayDate, parseDate, type DateKind } from './date-input';

type Own = 'value' | 'onChange' | 'type' | 'error';

export function DateTimeInput({
  kind,
  value,
  onChange,
  testId,
  problem,
  limit: _limit,
  ...input
}: {
  kind: DateKind;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  /** The caller's own objection (a range the wrong way round), shown when the text reads well; true marks the field without words. */
  problem?: string | boolean | null;
  /** Given by the form helpers to text fields; a date's length is its form's. */
  limit?: unknown;
} & Omit<TextInputProps, Own>) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale();
  /** What `s` says: '' when blank, null when not a date of this kind. */
  const read = (s: string) => (s.trim() === '' ? '' : parseDate(s, kind, locale));
  const [text, setText] = useState(() => displayDate(value, kind, locale));
  // The value changed from outside (a preset, a reset, a reused range) or the language changed:
  // show it afresh, unless it is what the text already says.
  const [shown, setShown] = useState({ value, language: i18n.language });
  if (shown.value !== value || shown.language !== i18n.language) {
    setShown({ value, language: i18n.language });
    if (read(text) !== value || shown.language !== i18n.language) setText(displayDate(value, kind, locale));
  }
  const parsed = read(text);
  const unreadable = parsed === null;
  return (
    <TextInput
      {...input}
      data-testid={testId}
      value={text}
      inputMode="numeric"
      autoComplete="off"
      placeholder={dateExample(kind, locale)}
      error={unreadable ? t('common.dateUnreadable', { example: dateExample(kind, locale) }) : problem || undefined}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        const v = read(next);
        if (v !== null) {
          setShown((s) => ({ ...s, value: v }));
          onChange(v);
        }
      }}
      onBlur={(e) => {
        // Written loosely (2026-12-6 9:5), shown back in the language's own form.
        if (parsed) setText(displayDate(parsed, kind, locale));
        input.onBlur?.(e);
      }}
    />
  );
}
