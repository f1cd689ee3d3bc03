import { useState } from 'react';
import { Button, Checkbox, Group, Select, Text, TextInput } from '@mantine/core';
import { Hammer } from 'lucide-react';
import type { IndexDefinition, IndexKeySpec } from '@shared/model/indexes';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';

const METHODS = ['btree', 'gin', 'gist', 'brin', 'hash'] as const;
type Method = (typeof METHODS)[number];

/**
 * "tenant_id, status desc, lower(title)" as key parts: a bare name is a column (quoted by the
 * server side), anything else an expression the server parses.
 */
export function keysOf(text: string): IndexKeySpec[] {
  return splitTopLevel(text)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const ordered = /^(.*?)\s+(asc|desc)$/i.exec(part);
      const body = ordered ? (ordered[1] as string).trim() : part;
      const order = ordered ? ((ordered[2] as string).toLowerCase() as 'asc' | 'desc') : undefined;
      const key: IndexKeySpec = /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(body) ? { column: body } : { expression: body };
      return order ? { ...key, order } : key;
    });
}

/** Splits on commas outside parentheses, so `coalesce(a, b)` stays one key. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** A new index on this table in this tenant, built concurrently as an `indexes.build` job. */
export function CreateIndexForm({ workspaceId, tenantId, table, onStarted }: { workspaceId: string; tenantId: string; table: string; onStarted(job: JobSummary): void }) {
  const [name, setName] = useState('');
  const [keys, setKeys] = useState('');
  const [method, setMethod] = useState<Method>('btree');
  const [unique, setUnique] = useState(false);
  const [where, setWhere] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function build(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const definition: IndexDefinition = { table, name: name.trim(), keys: keysOf(keys), unique, method, include: [], ...(where.trim() ? { where: where.trim() } : {}) };
      onStarted(await api().indexes.build({ workspaceId, tenantId, definition }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" component="form" aria-label="Create an index" onSubmit={(event) => (event.preventDefault(), void build())}>
      <TextInput size="xs" w={220} label="Index name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <TextInput size="xs" w={260} label="Keys" placeholder="tenant_id, status desc" value={keys} onChange={(e) => setKeys(e.currentTarget.value)} required />
      <Select size="xs" w={100} label="Method" data={[...METHODS]} value={method} onChange={(v) => setMethod((v as Method | null) ?? 'btree')} allowDeselect={false} />
      <TextInput size="xs" w={220} label="Where (partial)" placeholder="deleted_at is null" value={where} onChange={(e) => setWhere(e.currentTarget.value)} />
      <Checkbox size="xs" label="Unique" checked={unique} onChange={(e) => setUnique(e.currentTarget.checked)} mb={6} />
      <Button size="xs" type="submit" leftSection={<Hammer size={13} />} loading={busy} disabled={!name.trim() || !keys.trim()}>
        Build concurrently
      </Button>
      {error && (
        <Text size="xs" c="red" w="100%" role="alert">
          {error}
        </Text>
      )}
    </Group>
  );
}
