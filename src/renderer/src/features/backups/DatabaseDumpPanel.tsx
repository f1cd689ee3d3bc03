import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { HardDriveDownload } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../lib/format';
import { StartedJob } from './StartedJob';
import { useFollowedJob } from '../../lib/useFollowedJob';

/** What a finished whole-database dump reports, in words; null while it has not reported. */
export function dumpOutcome(result: JobSummary['result']): string | null {
  const folder = result?.folder;
  const files = result?.files;
  const bytes = result?.bytes;
  if (typeof folder !== 'string' || typeof files !== 'number' || typeof bytes !== 'number') return null;
  const tables = typeof result?.tables === 'number' ? `, ${formatCount(result.tables)} tables` : '';
  return `${formatCount(files)} file(s), ${formatBytes(bytes)}${tables}, in ${folder}`;
}

/**
 * The whole-store counterpart of a bundle: `pg_dump` of the whole database (every tenant) into the
 * backup folder, as a job followed here. It is not a tenant bundle and is not listed in the catalog.
 */
export function DatabaseDumpPanel({ workspaceId }: { workspaceId: string }) {
  const [format, setFormat] = useState<'custom' | 'directory'>('custom');
  const [jobs, setJobs] = useState(2);
  const [justification, setJustification] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const running = job?.state === 'queued' || job?.state === 'running';
  const outcome = job?.state === 'succeeded' ? dumpOutcome(job.result) : null;
  const short = justification.trim().length > 0 && justification.trim().length < 3;

  async function dump(): Promise<void> {
    setStarting(true);
    setError(null);
    try {
      setStarted(await api().backups.dumpDatabase({ workspaceId, format, jobs, ...(justification.trim() ? { justification: justification.trim() } : {}) }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  return (
    <Paper withBorder p="sm" role="region" aria-label="Whole database">
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            Whole database
          </Text>
          <Text size="xs" c="dimmed">
            pg_dump of every tenant at once, for disaster recovery; restored with pg_restore, not from this screen
          </Text>
        </Group>
        <Group gap="sm" align="flex-end">
          <div>
            <Text size="xs" fw={500} mb={2}>
              Format
            </Text>
            <SegmentedControl
              size="xs"
              aria-label="Dump format"
              value={format}
              onChange={(value) => setFormat(value === 'directory' ? 'directory' : 'custom')}
              data={[
                { value: 'custom', label: 'custom (one file)' },
                { value: 'directory', label: 'directory (parallel)' },
              ]}
            />
          </div>
          {format === 'directory' && <NumberInput size="xs" w={100} label="Workers" min={1} max={16} value={jobs} onChange={(v) => setJobs(typeof v === 'number' ? v : 2)} />}
          <TextInput
            size="xs"
            w={320}
            label="Justification"
            placeholder="Why (kept in the audit)"
            value={justification}
            onChange={(event) => setJustification(event.currentTarget.value)}
            error={short ? 'At least 3 characters, or none' : null}
            maxLength={500}
          />
          <Button size="xs" variant="light" leftSection={<HardDriveDownload size={13} />} loading={starting} disabled={running || short} onClick={() => void dump()}>
            Dump the whole database
          </Button>
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs" title="The dump was not started">
            {error}
          </Alert>
        )}
        {job && <StartedJob job={job} label="Dump progress" />}
        {outcome && (
          <Text size="xs" data-testid="dump-outcome">
            {outcome}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
