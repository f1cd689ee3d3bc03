import { useState } from 'react';
import { Badge, Code, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { ChevronDown, ChevronRight } from 'lucide-react';
import type { PartSource, TimelineItem } from '@shared/model/case';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { formatShortTime } from '../../lib/format';

const STORE_COLORS: Record<StoreKind, string> = { postgres: 'blue', mongo: 'green', redis: 'red', elastic: 'yellow' };

export function SourceBadge({ store }: { store: StoreKind }) {
  return (
    <Badge size="xs" variant="light" tt="none" color={STORE_COLORS[store]} w={92} radius="sm" style={{ flexShrink: 0 }}>
      {STORE_LABELS[store]}
    </Badge>
  );
}

/** One timeline entry: when, which store, what; the record itself opens below. */
function Entry({ item }: { item: TimelineItem }) {
  const [open, setOpen] = useState(false);
  return (
    <div data-timeline-item={item.kind} data-source={item.source}>
      <UnstyledButton onClick={() => setOpen((o) => !o)} w="100%" py={3} aria-expanded={open}>
        <Group gap={8} wrap="nowrap">
          {open ? <ChevronDown size={12} style={{ flexShrink: 0 }} /> : <ChevronRight size={12} style={{ flexShrink: 0 }} />}
          <Text size="xs" c="dimmed" w={110} style={{ flexShrink: 0 }}>
            {formatShortTime(item.at)}
          </Text>
          <SourceBadge store={item.source} />
          <Text size="xs" c="dimmed" w={110} style={{ flexShrink: 0 }}>
            {item.kind.replace(/_/g, ' ')}
          </Text>
          <Text size="xs" truncate style={{ flex: 1, minWidth: 0 }}>
            {item.title}
          </Text>
        </Group>
      </UnstyledButton>
      {open && (
        <Code block fz={11} ml={20} mb={4}>
          {JSON.stringify(item.detail, null, 2)}
        </Code>
      )}
    </div>
  );
}

export function CaseTimeline({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No events recorded for this case.
      </Text>
    );
  }
  return (
    <Stack gap={0} aria-label="Timeline" role="list">
      {items.map((item) => (
        <Entry key={item.key} item={item} />
      ))}
    </Stack>
  );
}

const STATE_COLORS: Record<PartSource['state'], string> = { ok: 'teal', not_configured: 'gray', unavailable: 'orange', down: 'red', timeout: 'yellow' };

/** Where each part of the page came from; a part left out says why. */
export function CaseSources({ sources }: { sources: PartSource[] }) {
  return (
    <Stack gap={3} aria-label="Sources">
      {sources.map((source) => (
        <Group key={source.part} gap={6} wrap="nowrap" data-part={source.part} data-state={source.state}>
          <SourceBadge store={source.store} />
          <Text size="xs" w={120}>
            {source.part.replace(/_/g, ' ')}
          </Text>
          <Text size="xs" c={STATE_COLORS[source.state]}>
            {source.state === 'ok' ? `${source.items}${source.truncated ? '+ (cut)' : ''}` : source.state.replace('_', ' ')}
            {source.reason && ` · ${source.reason}`}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
