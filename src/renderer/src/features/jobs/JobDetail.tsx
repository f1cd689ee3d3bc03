import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Code, CloseButton, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import type { JobLogLine, JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { formatJobTime, STATE_COLORS } from './format';
import { withLogLine } from './jobs-state';

/**
 * One job: its times, its failure or result, and its log, read with `jobs.get` and followed line by
 * line through `jobs.log` while it runs.
 */
export function JobDetail({ job, onClose }: { job: JobSummary; onClose(): void }) {
  const [log, setLog] = useState<JobLogLine[]>([]);
  const [dropped, setDropped] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const { id: jobId, workspaceId } = job;

  useEffect(() => {
    setLog([]);
    setDropped(0);
    setError(null);
    const early: JobLogLine[] = [];
    let loaded = false;
    const off = api().on('jobs.log', (event) => {
      if (event.jobId !== jobId) return;
      if (loaded) setLog((current) => withLogLine(current, event.entry));
      else early.push(event.entry);
    });
    const controller = new AbortController();
    api()
      .jobs.get({ workspaceId, jobId }, { signal: controller.signal })
      .then(
        (full) => {
          if (controller.signal.aborted) return;
          loaded = true;
          // Lines that came by event while the answer was on its way follow the ones it holds.
          const known = new Set(full.log.map((l) => `${l.at}\u0000${l.line}`));
          setLog([...full.log, ...early.filter((l) => !known.has(`${l.at}\u0000${l.line}`))]);
          setDropped(full.droppedLogLines);
        },
        (failure: unknown) => {
          if (!controller.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
        },
      );
    return () => {
      controller.abort();
      off();
    };
  }, [workspaceId, jobId]);

  useEffect(() => {
    // The newest line stays in view as lines arrive.
    if (viewport.current) viewport.current.scrollTop = viewport.current.scrollHeight;
  }, [log]);

  return (
    <Paper withBorder p="sm" radius="md" aria-label="Job detail" role="region">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Text fw={600}>{job.title}</Text>
            <Badge color={STATE_COLORS[job.state]} variant="light" size="sm">
              {job.state}
            </Badge>
          </Group>
          <CloseButton aria-label="Close the job" onClick={onClose} />
        </Group>
        <Text size="xs" c="dimmed">
          {[
            `${job.kind} on ${job.store}`,
            `queued ${formatJobTime(job.createdAt)}`,
            job.startedAt && `started ${formatJobTime(job.startedAt)}`,
            job.finishedAt && `finished ${formatJobTime(job.finishedAt)}`,
            `by ${job.operator.name} (${job.role})`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        {job.failure && (
          <Alert color={job.state === 'cancelled' ? 'orange' : 'red'} variant="light" p="xs" title={job.failure.code}>
            {job.failure.message}
          </Alert>
        )}
        {job.result && (
          <Text size="xs">
            Result: <Code>{JSON.stringify(job.result)}</Code>
          </Text>
        )}
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        <ScrollArea h={220} viewportRef={viewport} type="auto" aria-label="Job log">
          <Stack gap={0} ff="monospace" fz="xs">
            {dropped > 0 && <Text c="dimmed" fz="xs">… {dropped} older lines dropped</Text>}
            {log.map((entry, index) => (
              <Text key={`${entry.at}-${index}`} fz="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
                <Text span c="dimmed" fz="xs" ff="monospace">
                  {formatJobTime(entry.at)}
                </Text>{' '}
                {entry.line}
              </Text>
            ))}
          </Stack>
        </ScrollArea>
      </Stack>
    </Paper>
  );
}
