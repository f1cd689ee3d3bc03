import { useState } from 'react';
import { Alert, Button, Code, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { ClipboardPaste } from 'lucide-react';
import type { ExplainedPlan } from '@shared/contract/explain';
import { AppError } from '@shared/errors';
import { api } from '../../api';

/** Where a pasted plan broke, as explain.parse names it: a line and, for JSON, a column. */
export interface BreakPoint {
  message: string;
  line?: number;
  column?: number;
}

export function breakPointOf(failure: unknown): BreakPoint {
  if (!AppError.is(failure)) return { message: failure instanceof Error ? failure.message : String(failure) };
  const details = typeof failure.details === 'object' && failure.details !== null ? (failure.details as Record<string, unknown>) : {};
  const at: BreakPoint = { message: failure.message };
  if (typeof details.line === 'number') at.line = details.line;
  if (typeof details.column === 'number') at.column = details.column;
  return at;
}

/** The broken line with a caret under the column, so the person sees where to look. */
function Excerpt({ text, at }: { text: string; at: BreakPoint }) {
  if (at.line === undefined) return null;
  const lines = text.split('\n');
  let lineNumber = at.line;
  let column = at.column ?? 1;
  // Text cut off ends on a blank line: the last line with something on it is the one to look at.
  while (lineNumber > 1 && (lines[lineNumber - 1] ?? '').trim() === '') {
    lineNumber--;
    column = (lines[lineNumber - 1] ?? '').trimEnd().length + 1;
  }
  const line = lines[lineNumber - 1] ?? '';
  // Long lines (a plan pasted on one line) are cut around the column.
  const from = Math.max(0, column - 60);
  const shown = line.slice(from, from + 120);
  return (
    <Code block fz="xs" data-testid="paste-break">
      {`line ${at.line}${at.column !== undefined ? `, column ${at.column}` : ''}${lineNumber !== at.line ? ` (the text ends after line ${lineNumber})` : ''}\n${from > 0 ? '…' : ''}${shown}\n${at.column !== undefined ? `${' '.repeat(column - 1 - from + (from > 0 ? 1 : 0))}^` : ''}`}
    </Code>
  );
}

/**
 * A plan from elsewhere (psql, pgAdmin, mongosh, Kibana), read into the same tree, as pev2 and
 * explain.depesz.com read them. Pasted plans are not kept.
 */
export function PasteForm({ tenantKey, onPlan }: { tenantKey?: string; onPlan(plan: ExplainedPlan): void }) {
  const [text, setText] = useState('');
  const [engine, setEngine] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [broken, setBroken] = useState<{ at: BreakPoint; text: string } | null>(null);

  async function read(): Promise<void> {
    setBusy(true);
    setBroken(null);
    try {
      const explained = await api().explain.parse({
        text,
        ...(engine && { engine: engine as 'postgres' | 'mongo' | 'elastic' }),
        ...(tenantKey && { tenantKey }),
      });
      onPlan(explained);
    } catch (failure) {
      setBroken({ at: breakPointOf(failure), text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      aria-label="Paste a plan"
      onSubmit={(event) => {
        event.preventDefault();
        void read();
      }}
    >
      <Stack gap={6}>
        <Textarea
          resize="vertical"
          label="Plan"
          description="EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output, psql’s table included; MongoDB explain(); an Elasticsearch profile"
          size="xs"
          
          rows={5}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
        />
        <Group gap="xs" justify="space-between">
          <Select
            size="xs"
            aria-label="Engine of the pasted plan"
            placeholder="Engine: from the shape"
            clearable
            w={200}
            value={engine}
            onChange={setEngine}
            data={[{ value: 'postgres', label: 'PostgreSQL' }, { value: 'mongo', label: 'MongoDB' }, { value: 'elastic', label: 'Elasticsearch' }]}
          />
          <Button size="xs" type="submit" leftSection={<ClipboardPaste size={13} />} loading={busy} disabled={text.trim() === ''}>
            Read plan
          </Button>
        </Group>
        {broken && (
          <Alert color="red" variant="light" p="xs" title="This plan could not be read">
            <Text size="xs">{broken.at.message}</Text>
            <Excerpt text={broken.text} at={broken.at} />
          </Alert>
        )}
      </Stack>
    </form>
  );
}
