// The category of a new incident (live mark or playback range): the active categories, the only
// one chosen for the user when there is one, and "choose one" once they tried to save without.
import { useState, type KeyboardEventHandler } from 'react';
import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../shared/result';
import { TextAreaField } from '../kit/TextField';
import { MAX_NOTE } from './incidents-model';
import { activeCategoryOptions, useIncidentCategories } from './use-categories';

export interface CategoryChoice {
  options: { value: string; label: string }[];
  category: string | null;
  choose: (key: string | null) => void;
  loadError: CommandError | null;
}

export function useCategoryChoice(): CategoryChoice {
  const { categories, error } = useIncidentCategories();
  const options = activeCategoryOptions(categories);
  const [chosen, setChosen] = useState<string | null>(null);
  return { options, category: chosen ?? (options.length === 1 ? (options[0]?.value ?? null) : null), choose: setChosen, loadError: error };
}

/**
 * `onEscape`: what Esc does (close the dialog). Focused at once, the list would otherwise open by
 * itself over the dialog's buttons and take the first Esc: one Esc must close the dialog.
 */
export function CategorySelect({ choice, showMissing, testId, autoFocus, onEscape }: { choice: CategoryChoice; showMissing: boolean; testId: string; autoFocus?: boolean; onEscape?: () => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Select
      dropdownOpened={opened}
      onDropdownOpen={() => undefined}
      onDropdownClose={() => setOpened(false)}
      onClick={() => setOpened((o) => !o)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !opened && onEscape) {
          e.preventDefault();
          onEscape();
        } else if (e.key === 'Escape') setOpened(false);
        else if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)) setOpened(true);
      }}
      data-testid={testId}
      label={t('incidents.fields.category')}
      placeholder={t('incidents.mark.categoryPlaceholder')}
      data={choice.options}
      value={choice.category}
      onChange={choice.choose}
      error={showMissing && !choice.category ? t('incidents.problems.category') : undefined}
      allowDeselect={false}
      searchable
      selectFirstOptionOnChange
      withAsterisk
      data-autofocus={autoFocus}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The note given with a new incident (its first note, never edited later). */
export function IncidentNoteInput({ value, onChange, testId, description, onKeyDown }: { value: string; onChange: (note: string) => void; testId: string; description?: string; onKeyDown?: KeyboardEventHandler<HTMLTextAreaElement> }) {
  const { t } = useTranslation();
  return (
    <TextAreaField testId={testId} label={t('incidents.fields.note')} description={description} value={value} onChange={onChange} onKeyDown={onKeyDown} minRows={3} maxRows={8} maxLength={MAX_NOTE} />
  );
}
