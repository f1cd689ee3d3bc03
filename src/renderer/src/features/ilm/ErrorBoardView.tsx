import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, ScrollArea, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { RotateCcw } from 'lucide-react';
import type { ErrorBoard, ErrorGroup } from '@shared/model/ilm-views';
import { formatCount } from '../../lib/format';
import { PHASE_COLORS } from './format';

interface ErrorBoardViewProps {
  board: ErrorBoard;
  /** Offered only to those who may change the cluster. */
  onRetry?: (group: ErrorGroup) => void;
  retrying?: string | null;
}

const shortTenant = (tenantId: string | null): string => (tenantId === null ? 'no tenant' : tenantId.length > 13 ? `${tenantId.slice(0, 8)}…${tenantId.slice(-4)}` : tenantId);

/**
 * Failed ILM steps as tenant × phase (most failures first) and, below, grouped by the server's
 * reason with the step that failed, so one cause across hundreds of indices reads as one line.
 */
export function ErrorBoardView({ board, onRetry, retrying = null }: ErrorBoardViewProps) {
  const [opened, setOpened] = useState<string | null>(null);
  // A cell of the grid narrows the groups to that tenant (and phase); the same cell again clears it.
  const [cell, setCell] = useState<{ tenantId: string | null; phase: string | null } | null>(null);
  if (board.total === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="error-board-empty">
        No failed lifecycle step in {formatCount(board.cost.prefixes)} tenant prefixes ({board.cost.requests} requests).
      </Text>
    );
  }
  const max = Math.max(1, ...board.rows.flatMap((r) => r.counts));
  const pick = (tenantId: string | null, phase: string | null): void =>
    setCell(cell && cell.tenantId === tenantId && cell.phase === phase ? null : { tenantId, phase });
  const groups = cell
    ? board.groups.filter((g) => (cell.phase === null || g.phase === cell.phase) && (cell.tenantId === null || g.indices.some((index) => index.includes(cell.tenantId ?? ''))))
    : board.groups;
  return (
    <Stack gap="sm" data-testid="error-board">
      <Text size="xs" c="dimmed">
        {formatCount(board.total)} failed steps in {formatCount(board.rows.length)} tenants · {board.cost.requests} requests of at most {formatCount(board.cost.maxIndicesPerRequest)} indices
      </Text>
      <Paper withBorder>
        <ScrollArea.Autosize mah={260}>
          <Table striped={false} withColumnBorders verticalSpacing={2} horizontalSpacing="xs" fz="xs" aria-label="Failed steps by tenant and phase">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tenant</Table.Th>
                {board.phases.map((phase) => (
                  <Table.Th key={phase} ta="right">
                    <Badge size="xs" variant="light" color={PHASE_COLORS[phase] ?? 'gray'}>
                      {phase}
                    </Badge>
                  </Table.Th>
                ))}
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {board.rows.map((row) => (
                <Table.Tr key={String(row.tenantId)} data-testid="board-row" data-tenant={row.tenantId ?? ''}>
                  <Table.Td ff="monospace" title={row.tenantId ?? undefined} style={{ cursor: 'pointer' }} onClick={() => pick(row.tenantId, null)}>
                    {shortTenant(row.tenantId)}
                  </Table.Td>
                  {row.counts.map((count, at) => {
                    const phase = board.phases[at] ?? null;
                    const chosen = cell?.tenantId === row.tenantId && cell.phase === phase;
                    return (
                      <Table.Td
                        key={phase}
                        ta="right"
                        data-testid={count > 0 ? 'board-cell' : undefined}
                        onClick={count > 0 ? () => pick(row.tenantId, phase) : undefined}
                        style={{
                          ...(count > 0 ? { cursor: 'pointer', background: `color-mix(in srgb, var(--mantine-color-red-8) ${Math.round(15 + (70 * count) / max)}%, transparent)` } : {}),
                          ...(chosen ? { outline: '2px solid var(--mantine-color-yellow-5)', outlineOffset: -2 } : {}),
                        }}
                      >
                        {count > 0 ? count : ''}
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="right" fw={600}>
                    {row.total}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Paper>
      <Group gap="xs">
        <Title order={6}>Failed steps by reason</Title>
        {cell && (
          <Anchor component="button" type="button" size="xs" onClick={() => setCell(null)} data-testid="board-filter">
            {shortTenant(cell.tenantId)}
            {cell.phase ? ` · ${cell.phase}` : ''} — show all
          </Anchor>
        )}
      </Group>
      <Stack gap={6}>
        {groups.map((group) => {
          const key = `${group.phase}|${group.action}|${group.failedStep}|${group.reason}`;
          return (
            <Paper key={key} withBorder p="xs" data-testid="error-group">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Badge size="xs" variant="light" color={PHASE_COLORS[group.phase ?? ''] ?? 'gray'}>
                      {group.phase ?? 'unknown'}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {group.action ?? '—'} → {group.failedStep ?? '—'}
                    </Text>
                    <Text size="xs" fw={600}>
                      {formatCount(group.count)} {group.count === 1 ? 'index' : 'indices'} · {group.tenants} {group.tenants === 1 ? 'tenant' : 'tenants'}
                    </Text>
                    {group.autoRetryable && (
                      <Tooltip label="Elasticsearch retries this step by itself">
                        <Badge size="xs" variant="outline" color="gray">
                          auto-retrying
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-word' }} data-testid="error-reason">
                    {group.reason}
                  </Text>
                  <Anchor component="button" type="button" size="xs" onClick={() => setOpened(opened === key ? null : key)} style={{ alignSelf: 'flex-start' }}>
                    {opened === key ? 'Hide the indices' : `Show the indices${group.indices.length < group.count ? ` (first ${group.indices.length})` : ''}`}
                  </Anchor>
                  {opened === key && (
                    <ScrollArea.Autosize mah={160} data-testid="error-group-indices">
                      {group.indices.map((index) => (
                        <Text key={index} size="xs" ff="monospace" c="dimmed">
                          {index}
                        </Text>
                      ))}
                    </ScrollArea.Autosize>
                  )}
                </Stack>
                {onRetry && (
                  <Button size="compact-xs" variant="light" leftSection={<RotateCcw size={12} />} loading={retrying === key} onClick={() => onRetry(group)} aria-label={`Retry ${group.indices.length} indices`}>
                    Retry {group.indices.length < group.count ? `${group.indices.length} of ${group.count}` : group.count}
                  </Button>
                )}
              </Group>
            </Paper>
          );
        })}
      </Stack>
    </Stack>
  );
}
