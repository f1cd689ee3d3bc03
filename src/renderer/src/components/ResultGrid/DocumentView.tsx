import { useRef } from 'react';
import { Box, Code, Group, ScrollArea, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ColumnStore } from './column-store';

const LINE_HEIGHT = 24;
/** Characters of a document shown on its one line in the list; the whole of it is on the right. */
const LINE_CHARS = 400;

export interface DocumentViewProps {
  store: ColumnStore;
  revision: number;
  order: Uint32Array | null;
  rowCount: number;
  /** The view position of the document shown in full. */
  selected: number | null;
  onSelect(viewRow: number): void;
  height: number | string;
}

/**
 * Documents (MongoDB, Elasticsearch) as documents: a virtualised list, one line each, and the
 * chosen one in full as indented JSON. Built from the columns on demand, never held twice.
 */
export function DocumentView({ store, order, rowCount, selected, onSelect, height }: DocumentViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lines = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_HEIGHT, overscan: 8 });
  const storeRow = (viewRow: number) => (order ? order[viewRow]! : viewRow);
  const chosen = selected !== null && selected < rowCount ? store.document(storeRow(selected)) : null;

  return (
    <Group gap="xs" align="stretch" wrap="nowrap" style={height === 'fill' ? { flex: '1 1 0', minHeight: 160 } : { height }}>
      <Box
        ref={scrollRef}
        role="listbox"
        aria-label="Documents"
        style={{ flex: 1, minWidth: 0, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
      >
        <div style={{ height: lines.getTotalSize(), position: 'relative' }}>
          {lines.getVirtualItems().map((item) => (
            <div
              key={item.key}
              role="option"
              aria-selected={item.index === selected}
              data-row={item.index}
              onClick={() => onSelect(item.index)}
              style={{
                position: 'absolute',
                top: item.start,
                left: 0,
                right: 0,
                height: LINE_HEIGHT,
                lineHeight: `${LINE_HEIGHT}px`,
                padding: '0 8px',
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                cursor: 'pointer',
                fontFamily: 'var(--mantine-font-family-monospace)',
                fontSize: 12,
                borderBottom: '1px solid var(--mantine-color-default-border)',
                background: item.index === selected ? 'var(--mantine-primary-color-light)' : undefined,
              }}
            >
              {JSON.stringify(store.document(storeRow(item.index))).slice(0, LINE_CHARS)}
            </div>
          ))}
        </div>
      </Box>
      <ScrollArea w="42%" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }} aria-label="Document">
        {chosen ? (
          <Code block style={{ background: 'transparent', fontSize: 12 }}>
            {JSON.stringify(chosen, null, 2)}
          </Code>
        ) : (
          <Text size="sm" c="dimmed" p="sm">
            Choose a document to see it whole.
          </Text>
        )}
      </ScrollArea>
    </Group>
  );
}
