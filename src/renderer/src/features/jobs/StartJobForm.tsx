import { useState } from 'react';
import { Button, Group, NumberInput, SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Play } from 'lucide-react';
import type { StartableJob } from '@shared/contract/jobs';
import { api } from '../../api';

type DemoKind = StartableJob['kind'];

/** Starts one of the demo kinds on the workspace's PostgreSQL: sleeps in steps, or a sweep over every tenant schema. */
export function StartJobForm({ workspaceId, onStarted }: { workspaceId: string; onStarted(jobId: string): void }) {
  const [kind, setKind] = useState<DemoKind>('demo.sleep');
  const [steps, setSteps] = useState<number>(10);
  const [seconds, setSeconds] = useState<number>(1);
  const [starting, setStarting] = useState(false);

  async function start(): Promise<void> {
    setStarting(true);
    try {
      const job: StartableJob =
        kind === 'demo.sleep'
          ? { kind, params: { steps, secondsPerStep: seconds } }
          : { kind, params: { secondsPerTenant: seconds, maxTenants: 1_000 } };
      const started = await api().jobs.start({ workspaceId, job });
      onStarted(started.id);
    } catch (failure) {
      notifications.show({ color: 'red', title: 'The job was not started', message: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      setStarting(false);
    }
  }

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" component="form" aria-label="Start a job" onSubmit={(event) => (event.preventDefault(), void start())}>
      <SegmentedControl
        size="xs"
        value={kind}
        onChange={(value) => setKind(value as DemoKind)}
        data={[
          { value: 'demo.sleep', label: 'Sleep in steps' },
          { value: 'demo.tenant-sweep', label: 'Sweep tenant schemas' },
        ]}
        aria-label="Job kind"
      />
      {kind === 'demo.sleep' && (
        <NumberInput size="xs" w={110} label="Steps" min={1} max={500} value={steps} onChange={(value) => setSteps(Number(value) || 1)} />
      )}
      <NumberInput
        size="xs"
        w={150}
        label={kind === 'demo.sleep' ? 'Seconds per step' : 'Seconds per tenant'}
        min={0}
        max={kind === 'demo.sleep' ? 60 : 30}
        step={0.5}
        decimalScale={2}
        value={seconds}
        onChange={(value) => setSeconds(Number(value) || 0)}
      />
      <Button size="xs" type="submit" leftSection={<Play size={13} />} loading={starting}>
        Start job
      </Button>
    </Group>
  );
}
