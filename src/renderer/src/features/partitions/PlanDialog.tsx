import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Code, Group, Modal, Progress, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { Play } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { fractionDone, progressLabel, STATE_COLORS } from '../jobs';
import { useFollowedJob } from '../../lib/useFollowedJob';

/** One statement of a plan, with the tenant it runs in. */
export interface PlannedStatement {
  tenantId: string;
  sql: string;
}

/** Statements shown at most; the rest are counted. */
const SHOWN = 300;

interface PlanDialogProps {
  title: string;
  /** The plan in words: how many tenants and partitions, what is counted as done. */
  summary: ReactNode;
  statements: PlannedStatement[];
  /** When set, the job starts only once this text is typed exactly (a drop). */
  confirmText?: string | undefined;
  startLabel: string;
  danger?: boolean;
  onStart(confirm: string | undefined): Promise<JobSummary>;
  onClose(finished: boolean): void;
}

/** The statements a change will run, read before the job starts, then the job followed live. */
export function PlanDialog({ title, summary, statements, confirmText, startLabel, danger = false, onStart, onClose }: PlanDialogProps) {
  const [typed, setTyped] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const finished = job !== null && (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled');

  async function start(): Promise<void> {
    setStarting(true);
    setError(null);
    try {
      setStarted(await onStart(confirmText ? typed : undefined));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  return (
    <Modal opened onClose={() => onClose(finished)} title={title} size="xl" centered>
      <Stack gap="sm">
        <Text size="sm">{summary}</Text>
        {statements.length > 0 && (
          <ScrollArea.Autosize mah={300} type="auto" aria-label="Statements the job runs">
            <Code block fz={11} data-testid="plan-statements">
              {statements
                .slice(0, SHOWN)
                .map((s) => `-- ${s.tenantId}\n${s.sql};`)
                .join('\n')}
              {statements.length > SHOWN ? `\n-- … and ${statements.length - SHOWN} more statement(s)` : ''}
            </Code>
          </ScrollArea.Autosize>
        )}
        {confirmText && !started && (
          <TextInput
            size="xs"
            label={`Type “${confirmText}” to confirm`}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            data-testid="plan-confirm"
          />
        )}
        {error && (
          <Alert color="red" variant="light" p="xs" title="The job was not started">
            {error}
          </Alert>
        )}
        {job && (
          <Stack gap={4} data-testid="followed-job" data-state={job.state}>
            <Group gap="xs">
              <Text size="sm" fw={500}>
                {job.title}
              </Text>
              <Badge size="sm" variant="light" color={STATE_COLORS[job.state]}>
                {job.state}
              </Badge>
            </Group>
            <Progress value={(fractionDone(job) ?? 0) * 100} size="sm" striped={job.state === 'running'} color={STATE_COLORS[job.state]} aria-label="Job progress" />
            <Text size="xs" c="dimmed">
              {job.failure ? job.failure.message : progressLabel(job)}
            </Text>
          </Stack>
        )}
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={() => onClose(finished)}>
            {finished ? 'Close' : 'Cancel'}
          </Button>
          {!started && (
            <Button
              size="xs"
              color={danger ? 'red' : 'blue'}
              leftSection={<Play size={13} />}
              loading={starting}
              disabled={statements.length === 0 || (confirmText !== undefined && typed.trim() !== confirmText)}
              onClick={() => void start()}
            >
              {startLabel}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
