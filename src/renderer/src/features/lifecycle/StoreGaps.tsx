import { Group, Paper, Stack, Text } from '@mantine/core';
import { CircleSlash } from 'lucide-react';
import type { LaneGap } from '@shared/model/lifecycle';
import { STORE_LABELS } from '@shared/model/workspace';

/** A line per store the view could not read, with the reason: the rest of the view is still true. */
export function StoreGaps({ gaps }: { gaps: readonly LaneGap[] }) {
  if (gaps.length === 0) return null;
  return (
    <Paper withBorder p="xs" radius="sm" aria-label="Stores not shown" role="region" style={{ borderLeft: '3px solid var(--mantine-color-orange-6)' }}>
      <Stack gap={2}>
        {gaps.map((gap, i) => (
          <Group key={`${gap.store}-${i}`} gap={6} wrap="nowrap" align="flex-start" data-gap={gap.store}>
            <CircleSlash size={13} color="var(--mantine-color-orange-5)" style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="xs">
              <Text span fw={700} size="xs">
                {STORE_LABELS[gap.store]}
              </Text>{' '}
              not shown: {gap.reason}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
