// The keys of the console on one sheet, opened with ? from anywhere (not while typing): a guard
// used to a monitoring keyboard looks here once and then never again.
import { useEffect, useState } from 'react';
import { Group, Kbd, Modal, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isShortcut } from '../kit/keys';

/** Each section's keys and the i18n key of what they do (shortcuts.<section>.<action>). */
const SHEET: Record<'wall' | 'playback' | 'everywhere', [keys: string[], action: string][]> = {
  wall: [
    [['1', '…', '9'], 'pick'],
    [['←', '↑', '→', '↓'], 'move'],
    [['Enter'], 'single'],
    [['Esc'], 'back'],
    [['Delete'], 'clear'],
    [['M'], 'mark'],
    [['F11'], 'wallOnly'],
  ],
  playback: [
    [['Space'], 'play'],
    [['←', '→'], 'frame'],
    [['Shift', '←', '→'], 'jump'],
    [['+', '−'], 'speed'],
    [['Home', 'End'], 'ends'],
  ],
  everywhere: [[['?'], 'sheet']],
};

export function ShortcutSheet() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && isShortcut(e)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <Modal opened onClose={() => setOpen(false)} title={t('shortcuts.title')} size={720}>
      <SimpleGrid cols={2} spacing="lg" data-testid="shortcut-sheet">
        {(Object.keys(SHEET) as (keyof typeof SHEET)[]).map((section) => (
          <Stack key={section} gap={4} data-testid={`shortcuts-${section}`}>
            <Text fw={700} size="sm">
              {t(`shortcuts.${section}.title`)}
            </Text>
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {SHEET[section].map(([keys, action]) => (
                  <Table.Tr key={action}>
                    <Table.Td w={150}>
                      <Group gap={3} wrap="nowrap">
                        {keys.map((k) => (k === '…' ? <Text key={k} span size="xs">…</Text> : <Kbd key={k} size="xs">{k}</Kbd>))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`shortcuts.${section}.${action}`)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </SimpleGrid>
    </Modal>
  );
}
