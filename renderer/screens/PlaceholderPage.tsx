import { Badge, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SectionIcon } from '../components/SectionIcon';

type PlaceholderSection = 'playback' | 'incidents' | 'exports';

/** Sections whose features come in later releases: say what will be here. */
export function PlaceholderPage({ section }: { section: PlaceholderSection }) {
  const { t } = useTranslation();
  return (
    <Center h="100%">
      <Paper withBorder bg="dark.7" p="xl" maw={560} data-testid={`placeholder-${section}`}>
        <Stack gap="sm" align="flex-start">
          <Badge variant="light" color="gray">
            {t('placeholder.comingLater')}
          </Badge>
          <Title order={2} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
            <SectionIcon section={section} size={20} />
            {t(`shell.nav.${section}`)}
          </Title>
          <Text size="sm" c="dimmed">
            {t(`placeholder.${section}`)}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
