import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ProductMark } from './ProductMark';

/** Centred card used by every screen before the shell: setup, sign-in, password change, commitment, lock. */
export function AuthFrame({
  title,
  children,
  aside,
  width = 400,
  testId,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
  width?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Box className="oc-auth-bg" data-testid={testId}>
      <Center mih="100vh" p="lg">
        <Stack gap="md" w={width}>
          <Group justify="space-between" align="center" wrap="nowrap">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <ProductMark />
              <div>
                <Text fw={700} size="md" lh={1.1}>
                  {t('app.title')}
                </Text>
                <Text size="xs" c="dimmed" lh={1.1}>
                  {t('app.subtitle')}
                </Text>
              </div>
            </Group>
            {aside}
          </Group>
          <Paper withBorder p="lg" bg="dark.7" shadow="md">
            <Title order={2} mb="md">
              {title}
            </Title>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
