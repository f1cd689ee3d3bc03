import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { Play, RefreshCw } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { FollowedJob } from './FollowedJob';
import { fixOutcomeOf, type TenantTarget } from './indexes-state';
import { useFollowedJob } from '../../lib/useFollowedJob';

interface ApplyFixProps {
  workspaceId: string;
  target: TenantTarget;
  /** Prod without an unlock: applying for real asks for one first. */
  prodLocked: boolean;
  onDriftAgain(): void;
}

/** Starts `indexes.fix-drift` (a dry run unless asked), follows the job live, then shows each tenant's outcome. */
export function ApplyFix({ workspaceId, target, prodLocked, onDriftAgain }: ApplyFixProps) {
  const [forReal, setForReal] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const outcome = job?.state === 'succeeded' ? fixOutcomeOf(job.result) : null;
  const running = job?.state === 'queued' || job?.state === 'running';

  async function apply(): Promise<void> {
    setStarting(true);
    setError(null);
    try {
      setStarted(await api().indexes.applyFix({ workspaceId, ...target, dryRun: !forReal }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  return (
    <Paper withBorder p="sm" aria-label="Apply the fix" role="region">
      <Stack gap="xs">
        <Group gap="md" align="center">
          <Checkbox size="xs" label="Apply for real (unchecked: a dry run that changes nothing)" checked={forReal} onChange={(e) => setForReal(e.currentTarget.checked)} />
          <Button size="xs" color={forReal ? 'red' : 'blue'} leftSection={<Play size={13} />} loading={starting} disabled={running} onClick={() => void apply()}>
            {forReal ? 'Apply' : 'Apply (dry run)'}
          </Button>
          {prodLocked && forReal && (
            <Text size="xs" c="orange">
              This workspace is prod: applying asks for an unlock first.
            </Text>
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs" title="The fix was not started">
            {error}
          </Alert>
        )}
        {job && <FollowedJob job={job} label="Fix progress" />}
        {outcome && (
          <Stack gap={4} data-testid="fix-outcome">
            <Text size="sm">
              {outcome.dryRun
                ? `Dry run: ${outcome.statements} statement(s) would run in ${outcome.tenants} tenant(s) of ${outcome.compared} compared; nothing changed.`
                : `Repaired ${outcome.repairedTenants.length} of ${outcome.tenants} tenant(s) (${outcome.statements} statement(s) planned, ${outcome.compared} compared).`}
            </Text>
            {(outcome.dryRun ? outcome.planned : outcome.repairedTenants).length > 0 && (
              <Text size="xs" c="dimmed">
                {outcome.dryRun ? 'Would repair' : 'Repaired'}: {(outcome.dryRun ? outcome.planned : outcome.repairedTenants).join(', ')}
              </Text>
            )}
            {outcome.skipped.map((s) => (
              <Text key={`skip-${s.tenantId}`} size="xs" c="orange">
                {s.tenantId}: skipped — {s.reason}
              </Text>
            ))}
            {outcome.failed.map((f) => (
              <Text key={`fail-${f.tenantId}`} size="xs" c="red">
                {f.tenantId}: failed — {f.reason}
              </Text>
            ))}
            <Group>
              <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={onDriftAgain}>
                Run drift again
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
