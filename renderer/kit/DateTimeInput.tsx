// The one date and date-time field of the console (date-input.ts): written and shown in the
// interface language's numeric form on a 24-hour clock, whatever the machine's locale. The value in
// and out is the local ISO-like text the rest of the renderer uses; what does not read as a real
// date is said under the field with an example, and the last good value stays with the caller.
import { useState } from 'react';
import { ActionIcon, Group, Popover, SimpleGrid, Text, TextInput, UnstyledButton, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { monthGrid, monthTitle, onDay, weekdayNames } from './calendar';
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
  const pick = (iso: string) => {
    const next = onDay(parsed || value, iso, kind);
    setText(displayDate(next, kind, locale));
    setShown((s) => ({ ...s, value: next }));
    onChange(next);
  };
  return (
    <TextInput
      rightSection={<CalendarButton value={parsed || value} onPick={pick} testId={testId} label={t('common.calendar')} disabled={input.disabled} />}
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

/** A month to pick a day from, opened from the field; the time stays what the field says. */
function CalendarButton({ value, onPick, testId, label, disabled }: { value: string; onPick: (iso: string) => void; testId?: string; label: string; disabled?: boolean }) {
  const locale = currentLocale();
  const [opened, setOpened] = useState(false);
  const chosen = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const today = new Date();
  const [month, setMonth] = useState({ year: today.getFullYear(), month0: today.getMonth() });
  const open = () => {
    setMonth(chosen ? { year: Number(chosen[1]), month0: Number(chosen[2]) - 1 } : { year: today.getFullYear(), month0: today.getMonth() });
    setOpened(true);
  };
  const step = (by: number) => setMonth((m) => ({ year: m.year + Math.floor((m.month0 + by) / 12), month0: (((m.month0 + by) % 12) + 12) % 12 }));
  const chosenIso = chosen ? chosen[0] : null;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withinPortal trapFocus returnFocus shadow="md" zIndex={300} transitionProps={{ duration: 0 }}>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={label} title={label} disabled={disabled} data-testid={testId ? `${testId}-calendar` : undefined} onClick={() => (opened ? setOpened(false) : open())}>
          <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.4">
            <rect x="1.5" y="2.5" width="11" height="10" rx="1" />
            <path d="M1.5 5.5h11M4.5 1v3M9.5 1v3" />
          </svg>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="calendar">
        <Group justify="space-between" mb={4} wrap="nowrap">
          <ActionIcon variant="subtle" size="sm" aria-label="‹" onClick={() => step(-1)} data-testid="calendar-previous">
            ‹
          </ActionIcon>
          <Text size="sm" fw={600} data-testid="calendar-month">
            {monthTitle(month.year, month.month0, locale)}
          </Text>
          <ActionIcon variant="subtle" size="sm" aria-label="›" onClick={() => step(1)} data-testid="calendar-next">
            ›
          </ActionIcon>
        </Group>
        <SimpleGrid cols={7} spacing={2} verticalSpacing={2}>
          {weekdayNames(locale).map((w) => (
            <Text key={w} size="xs" c="dimmed" ta="center" w={32}>
              {w}
            </Text>
          ))}
          {monthGrid(month.year, month.month0)
            .flat()
            .map((d) => (
              <UnstyledButton
                key={d.iso}
                data-testid="calendar-day"
                data-date={d.iso}
                aria-pressed={d.iso === chosenIso}
                onClick={() => {
                  onPick(d.iso);
                  setOpened(false);
                }}
                style={{ width: 32, height: 28, borderRadius: 4, textAlign: 'center', fontSize: 13, opacity: d.inMonth ? 1 : 0.45, background: d.iso === chosenIso ? 'var(--mantine-color-accent-7, #1c7ed6)' : undefined }}
              >
                {d.day}
              </UnstyledButton>
            ))}
        </SimpleGrid>
      </Popover.Dropdown>
    </Popover>
  );
}
