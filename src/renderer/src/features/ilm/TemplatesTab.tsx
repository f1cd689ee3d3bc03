import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, NumberInput, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { FlaskConical, RefreshCw, SkipForward } from 'lucide-react';
import type { RolloverConditions, RolloverOutcome, RolloverTarget } from '@shared/model/ilm-views';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { JobOutcome } from './JobOutcome';
import { errorText } from './format';
import { useJobOutcome } from './useJobOutcome';

/** Rollover of one alias or data stream: conditions, a dry run first, then the job. */
function RolloverPanel({ workspaceId, target, mayChange }: { workspaceId: string; target: RolloverTarget; mayChange: boolean }) {
  const [maxAge, setMaxAge] = useState('');
  const [maxDocs, setMaxDocs] = useState<number | ''>('');
  const [maxSize, setMaxSize] = useState('');
  const [dryRun, setDryRun] = useState<RolloverOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useJobOutcome(started);
  const conditions: RolloverConditions = {
    ...(maxAge.trim() ? { max_age: maxAge.trim() } : {}),
    ...(maxDocs !== '' ? { max_docs: maxDocs } : {}),
    ...(maxSize.trim() ? { max_primary_shard_size: maxSize.trim() } : {}),
  };

  async function check(): Promise<void> {
    setError(null);
    try {
      setDryRun(await api().ilm.rolloverCheck({ workspaceId, target: target.name, conditions }));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function roll(): Promise<void> {
    setError(null);
    try {
      setStarted(await api().ilm.rollover({ workspaceId, target: target.name, conditions }));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <Paper withBorder p="sm" data-testid="rollover-panel">
      <Stack gap="xs">
        <Title order={6}>
          Roll over {target.name} ({target.kind === 'alias' ? 'alias' : 'data stream'}, writes into {target.writeIndex ?? '—'})
        </Title>
        <Group gap="xs" align="flex-end">
          <TextInput size="xs" w={110} label="max_age" placeholder="30d" value={maxAge} onChange={(e) => (setMaxAge(e.currentTarget.value), setDryRun(null))} />
          <NumberInput size="xs" w={130} label="max_docs" min={1} value={maxDocs} onChange={(v) => (setMaxDocs(typeof v === 'number' ? v : ''), setDryRun(null))} />
          <TextInput size="xs" w={170} label="max_primary_shard_size" placeholder="50gb" value={maxSize} onChange={(e) => (setMaxSize(e.currentTarget.value), setDryRun(null))} />
          <Button size="xs" variant="light" leftSection={<FlaskConical size={13} />} onClick={() => void check()}>
            Dry run
          </Button>
          {mayChange && (
            <Button size="xs" color="orange" leftSection={<SkipForward size={13} />} disabled={!dryRun} onClick={() => void roll()} title={dryRun ? undefined : 'Run the dry run first'}>
              Roll over
            </Button>
          )}
        </Group>
        {dryRun && (
          <Text size="xs" data-testid="rollover-dry-run">
            {dryRun.oldIndex} → {dryRun.newIndex}
            {Object.keys(dryRun.conditions).length > 0
              ? ` · ${Object.entries(dryRun.conditions)
                  .map(([c, met]) => `${c} ${met ? 'met' : 'not met'}`)
                  .join(', ')}`
              : ' · no condition: rolls over now'}
          </Text>
        )}
        {job && <JobOutcome job={job} done={(r) => (r?.rolledOver ? `Rolled over: ${String(r.oldIndex)} → ${String(r.newIndex)}.` : 'Conditions not met: nothing changed.')} />}
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** Index and component templates with the indices they match and govern, and what can roll over. */
export function TemplatesTab({ workspaceId, mayChange }: { workspaceId: string; mayChange: boolean }) {
  const answer = useCall((signal) => api().ilm.templates({ workspaceId }, { signal }), [workspaceId]);
  const [target, setTarget] = useState<RolloverTarget | null>(null);
  const data = answer.data;

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button size="xs" variant="subtle" leftSection={<RefreshCw size={13} />} onClick={answer.reload} loading={answer.loading}>
          Reload
        </Button>
        {data && (
          <Text size="xs" c="dimmed">
            {formatCount(data.indicesRead)} indices · {formatCount(data.unmatched)} match no template
          </Text>
        )}
      </Group>
      {answer.error && (
        <Alert color="red" variant="light" p="xs">
          {answer.error}
        </Alert>
      )}
      {answer.loading && !data && <Loader size="sm" />}
      {data && (
        <>
          <Title order={6}>Index templates</Title>
          <Paper withBorder>
            <ScrollArea.Autosize mah={240}>
              <Table verticalSpacing={3} horizontalSpacing="xs" fz="xs" aria-label="Index templates">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Template</Table.Th>
                    <Table.Th>Patterns</Table.Th>
                    <Table.Th ta="right">Priority</Table.Th>
                    <Table.Th>Policy</Table.Th>
                    <Table.Th ta="right">Matches</Table.Th>
                    <Table.Th ta="right">Governs</Table.Th>
                    <Table.Th>For example</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.indexTemplates.map((t) => (
                    <Table.Tr key={t.name}>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="xs" ff="monospace">
                            {t.name}
                          </Text>
                          {t.prescribed && (
                            <Badge size="xs" variant="outline">
                              blueprint
                            </Badge>
                          )}
                          {t.dataStream && (
                            <Badge size="xs" variant="outline" color="gray">
                              data stream
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td ff="monospace">{t.patterns.join(', ')}</Table.Td>
                      <Table.Td ta="right">{t.priority ?? 0}</Table.Td>
                      <Table.Td>{t.policy ?? '—'}</Table.Td>
                      <Table.Td ta="right">{formatCount(t.matches)}</Table.Td>
                      <Table.Td ta="right">{formatCount(t.governs)}</Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace" truncate maw={260} title={t.sample.join('\n')}>
                          {t.sample[0] ?? ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
          <Title order={6}>Component templates</Title>
          <Paper withBorder>
            <Table verticalSpacing={3} horizontalSpacing="xs" fz="xs" aria-label="Component templates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Component</Table.Th>
                  <Table.Th>Policy</Table.Th>
                  <Table.Th>Used by</Table.Th>
                  <Table.Th ta="right">Governs</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.componentTemplates.map((c) => (
                  <Table.Tr key={c.name}>
                    <Table.Td ff="monospace">{c.name}</Table.Td>
                    <Table.Td>{c.policy ?? '—'}</Table.Td>
                    <Table.Td>{c.usedBy.join(', ') || '—'}</Table.Td>
                    <Table.Td ta="right">{formatCount(c.governs)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          <Title order={6}>Rollover</Title>
          <Group gap={6}>
            {data.rolloverTargets.length === 0 && (
              <Text size="xs" c="dimmed">
                No alias with a write index and no data stream.
              </Text>
            )}
            {data.rolloverTargets.map((t) => (
              <Button key={t.name} size="compact-xs" variant={target?.name === t.name ? 'filled' : 'light'} onClick={() => setTarget(t)}>
                {t.name}
              </Button>
            ))}
          </Group>
          {target && <RolloverPanel key={target.name} workspaceId={workspaceId} target={target} mayChange={mayChange} />}
        </>
      )}
    </Stack>
  );
}
