import { useState } from 'react';
import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text } from '@mantine/core';
import { Lock, Scissors } from 'lucide-react';
import type { MethodResult } from '@shared/contract';
import type { RetentionDecision } from '@shared/contract/backups';
import { api } from '../../api';
import { formatBytes, formatShortTime } from '../../lib/format';

type RetentionOutcome = MethodResult<'backups.retention'>;

const REASON_COLORS: Record<RetentionDecision['reason'], string> = {
  daily: 'teal',
  weekly: 'cyan',
  held: 'yellow',
  incomplete: 'orange',
  expired: 'gray',
};


/**
 * Keep N daily and N weekly per tenant: a dry run first lists what would go and what stays and why
 * (a bundle under legal hold is kept as "held" whatever its age); deleting is a second, explicit step.
 */
export function RetentionPanel({ workspaceId, onDeleted }: { workspaceId: string; onDeleted(): void }) {
  const [keepDaily, setKeepDaily] = useState(7);
  const [keepWeekly, setKeepWeekly] = useState(4);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<RetentionOutcome | null>(null);

  async function run(dryRun: boolean): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const result = await api().backups.retention({ workspaceId, keepDaily, keepWeekly, dryRun });
      setOutcome(result);
      if (!dryRun) onDeleted();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  const rows = outcome
    ? [...outcome.deleted.map((decision) => ({ decision, goes: true })), ...outcome.kept.map((decision) => ({ decision, goes: false }))].sort((a, b) =>
        (b.decision.startedAt ?? '').localeCompare(a.decision.startedAt ?? ''),
      )
    : [];
  return (
    <Paper withBorder p="sm" role="region" aria-label="Retention">
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            Retention
          </Text>
          <Text size="xs" c="dimmed">
            per tenant, the newest complete bundle of each of the last N days and N ISO weeks; held and incomplete bundles are never deleted
          </Text>
        </Group>
        <Group gap="sm" align="flex-end">
          <NumberInput size="xs" w={110} label="Keep daily" min={0} max={366} value={keepDaily} onChange={(v) => (setKeepDaily(typeof v === 'number' ? v : 0), setOutcome(null))} />
          <NumberInput size="xs" w={110} label="Keep weekly" min={0} max={520} value={keepWeekly} onChange={(v) => (setKeepWeekly(typeof v === 'number' ? v : 0), setOutcome(null))} />
          <Button size="xs" variant="light" leftSection={<Scissors size={13} />} loading={busy && !outcome} disabled={busy} onClick={() => void run(true)}>
            Dry run
          </Button>
          {outcome?.dryRun && outcome.deleted.length > 0 && (
            <Button size="xs" color="red" loading={busy} onClick={() => void run(false)}>
              Delete {outcome.deleted.length} bundle{outcome.deleted.length === 1 ? '' : 's'}
            </Button>
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {outcome && (
          <>
            <Text size="xs" c="dimmed" data-testid="retention-summary">
              {outcome.dryRun
                ? `Dry run: ${outcome.deleted.length} bundle(s) would go (${formatBytes(outcome.freedBytes)}), ${outcome.kept.length} stay; nothing deleted.`
                : `Deleted ${outcome.deleted.length} bundle(s), ${formatBytes(outcome.freedBytes)} freed; ${outcome.kept.length} kept.`}
            </Text>
            {rows.length > 0 && (
              <Table fz="xs" verticalSpacing={2} aria-label="Retention decisions">
                <Table.Tbody>
                  {rows.map(({ decision, goes }) => (
                    <Table.Tr key={decision.bundleId} data-decision={goes ? 'goes' : decision.reason}>
                      <Table.Td w={130}>{formatShortTime(decision.startedAt)}</Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace" truncate maw={300}>
                          {decision.tenantId ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td w={150}>
                        <Badge size="xs" variant="light" color={goes ? 'red' : REASON_COLORS[decision.reason]} leftSection={decision.reason === 'held' ? <Lock size={10} /> : undefined}>
                          {goes ? (outcome.dryRun ? 'would go' : 'deleted') : `kept · ${decision.reason}`}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace" c="dimmed" truncate>
                          {decision.bundleId}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
