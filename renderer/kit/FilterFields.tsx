// Pieces of the filter rows and cells the record lists share: a status filter ("All" or one
// status), a choice of one option or any (a camera, a category), and who did something when.
import { Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format-time';

/**
 * A status filter. Its words come from the feature's strings: `<feature>.filters.status`,
 * `<feature>.filters.anyStatus` and `<feature>.status.<status>`.
 */
export function StatusFilter<S extends string>({
  feature,
  statuses,
  value,
  onChange,
  width,
  testId,
}: {
  feature: 'holds' | 'incidents' | 'exports';
  statuses: readonly S[];
  value: 'any' | S;
  onChange: (value: 'any' | S) => void;
  width: number;
  testId: string;
}) {
  const { t } = useTranslation();
  const known = (v: string | null): v is 'any' | S => v === 'any' || statuses.some((s) => s === v);
  return (
    <Select
      label={t(`${feature}.filters.status`)}
      data-testid={testId}
      w={width}
      value={value}
      onChange={(v) => known(v) && onChange(v)}
      allowDeselect={false}
      data={[{ value: 'any', label: t(`${feature}.filters.anyStatus`) }, ...statuses.map((s) => ({ value: s, label: t(`${feature}.status.${String(s)}`) }))]}
    />
  );
}

/** A choice among options or none ("any camera", "any category"): clearable and searchable. */
export function ChoiceFilter({
  label,
  anyLabel,
  data,
  value,
  onChange,
  width,
  testId,
}: {
  label: string;
  anyLabel: string;
  data: { value: string; label: string }[];
  value: string | null;
  onChange: (value: string | null) => void;
  width: number;
  testId: string;
}) {
  return <Select label={label} placeholder={anyLabel} data-testid={testId} w={width} value={value} onChange={onChange} data={data} clearable searchable />;
}

/** Who did it, and when, in two small lines (placed, created, requested). */
export function ActorTime({ actor, atMs }: { actor: string; atMs: number }) {
  return (
    <>
      <Text size="xs">{actor}</Text>
      <Text size="xs" c="dimmed">
        {formatDateTime(atMs)}
      </Text>
    </>
  );
}
