import type { ReactNode } from 'react';
import { Stack, Text, ThemeIcon } from '@mantine/core';

/** What a screen shows when there is nothing yet: what this place is for and the one next step. */
export function EmptyState(props: { icon: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py={48} px="md" ta="center">
      <ThemeIcon variant="light" size={44} radius="md" color="gray">
        {props.icon}
      </ThemeIcon>
      <Text fw={600}>{props.title}</Text>
      {props.children && (
        <Text size="sm" c="dimmed" maw={420}>
          {props.children}
        </Text>
      )}
      {props.action}
    </Stack>
  );
}
