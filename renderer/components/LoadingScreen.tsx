// The whole window while what the first screen needs is on its way (the session, the desktop
// app's state): a spinner, or what went wrong instead of it, above the words of what is awaited.
import type { ReactNode } from 'react';
import { Center, Loader, Stack, Text } from '@mantine/core';

export function LoadingScreen({ text, problem }: { text: string; problem?: ReactNode }) {
  return (
    <Center h="100%">
      <Stack align="center" gap="xs">
        {problem ? problem : <Loader size="sm" />}
        <Text size="sm" c="dimmed">
          {text}
        </Text>
      </Stack>
    </Center>
  );
}
