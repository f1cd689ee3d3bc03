import { useState } from 'react';
import { Button, Group, SegmentedControl, Select, Stack, Switch, Textarea, TextInput, Tooltip } from '@mantine/core';
import { Play, Undo2 } from 'lucide-react';
import type { MethodArgs } from '@shared/contract';
import type { ExplainParams } from './params';
import type { TenantChoice } from './useTenantChoices';

export type RunArgs = MethodArgs<'explain.analyzeWrite'>;
type Engine = RunArgs['engine'];

const PLACEHOLDER: Record<Engine, string> = {
  postgres: 'select * from cases where status = $$open$$ order by created_at desc limit 50',
  mongo: '{ "status": "open" }   or a pipeline: [{ "$match": { "status": "open" } }]',
  elastic: '{ "query": { "match": { "title": "refund" } } }',
};

export interface RunFormProps {
  workspaceId: string;
  tenants: TenantChoice[];
  initial: ExplainParams;
  busy: boolean;
  /** Support may not run a write, even rolled back: the button is not offered. */
  mayAnalyzeWrites: boolean;
  onRun(args: RunArgs, how: { analyze: boolean; write: boolean }): void;
}

/**
 * What to explain and where: a tenant, an engine, the statement (with the collection or index the
 * engine needs), ANALYZE on or off. A write is analysed only through its own button, rolled back.
 */
export function RunForm({ workspaceId, tenants, initial, busy, mayAnalyzeWrites, onRun }: RunFormProps) {
  const [tenantId, setTenantId] = useState<string | null>(initial.tenantId ?? null);
  const [engine, setEngine] = useState<Engine>(initial.engine ?? 'postgres');
  const [statement, setStatement] = useState(initial.statement ?? '');
  const [collection, setCollection] = useState(initial.collection ?? '');
  const [operation, setOperation] = useState<'find' | 'aggregate'>(initial.operation ?? 'find');
  const [index, setIndex] = useState(initial.index ?? '');
  const [analyze, setAnalyze] = useState(true);

  const missing = !tenantId ? 'Choose a tenant' : !statement.trim() ? 'Write a statement' : engine === 'mongo' && !collection.trim() ? 'Name the collection' : engine === 'elastic' && !index.trim() ? 'Name the index' : null;

  const args = (): RunArgs => ({
    workspaceId,
    tenantId: tenantId!,
    engine,
    statement,
    ...(engine === 'mongo' && { collection: collection.trim(), operation }),
    ...(engine === 'elastic' && { index: index.trim() }),
  });

  const data = tenants.some((t) => t.value === tenantId) || !tenantId ? tenants : [{ value: tenantId, label: tenantId }, ...tenants];
  return (
    <form
      aria-label="Explain a statement"
      onSubmit={(event) => {
        event.preventDefault();
        if (!missing) onRun(args(), { analyze, write: false });
      }}
    >
      <Stack gap={6}>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Select label="Tenant" size="xs" searchable data={data} value={tenantId} onChange={setTenantId} placeholder="Choose a tenant" style={{ flex: 1 }} nothingFoundMessage="No tenant by that name" />
          <SegmentedControl size="xs" aria-label="Engine" value={engine} onChange={(v) => setEngine(v as Engine)} data={[{ value: 'postgres', label: 'PostgreSQL' }, { value: 'mongo', label: 'MongoDB' }, { value: 'elastic', label: 'Elasticsearch' }]} />
        </Group>
        {engine === 'mongo' && (
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <TextInput label="Collection" size="xs" value={collection} onChange={(e) => setCollection(e.currentTarget.value)} placeholder="cases" style={{ flex: 1 }} />
            <SegmentedControl size="xs" aria-label="Operation" value={operation} onChange={(v) => setOperation(v as 'find' | 'aggregate')} data={['find', 'aggregate']} />
          </Group>
        )}
        {engine === 'elastic' && <TextInput label="Index" size="xs" value={index} onChange={(e) => setIndex(e.currentTarget.value)} placeholder="cases" />}
        <Textarea
          resize="vertical"
          label="Statement"
          size="xs"
          
          rows={4}
          value={statement}
          onChange={(e) => setStatement(e.currentTarget.value)}
          placeholder={PLACEHOLDER[engine]}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
        />
        <Group gap="xs" justify="space-between">
          <Switch size="xs" label="ANALYZE (runs the statement, rolled back)" checked={analyze} onChange={(e) => setAnalyze(e.currentTarget.checked)} />
          <Group gap="xs">
            {mayAnalyzeWrites && engine === 'postgres' && (
              <Tooltip label="EXPLAIN ANALYZE of an INSERT, UPDATE or DELETE inside a transaction that is always rolled back; refused on prod" multiline w={260}>
                <Button size="xs" variant="default" leftSection={<Undo2 size={13} />} disabled={busy || missing !== null} onClick={() => onRun(args(), { analyze: true, write: true })}>
                  Analyse this write (rolled back)
                </Button>
              </Tooltip>
            )}
            <Button size="xs" type="submit" leftSection={<Play size={13} />} loading={busy} disabled={missing !== null} title={missing ?? undefined}>
              Explain
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
