import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Loader, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { FilePlus2, GitCompare, Pencil, RefreshCw, Save } from 'lucide-react';
import { IlmPolicyName } from '@shared/model/ilm';
import type { IlmPolicySummary } from '@shared/model/ilm-views';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { JobOutcome } from './JobOutcome';
import { PolicyFollowers } from './PolicyFollowers';
import { PHASE_COLORS, errorText } from './format';
import { checkPolicyText, policyChanges } from './policy-text';
import { useJobOutcome } from './useJobOutcome';

// Monaco loads with the first policy opened, never with the screen.
const PolicyEditor = lazy(() => import('./PolicyEditor').then((m) => ({ default: m.PolicyEditor })));
const PolicyDiff = lazy(() => import('./PolicyEditor').then((m) => ({ default: m.PolicyDiff })));

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);
const NEW_POLICY = pretty({ phases: { hot: { actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } }, delete: { min_age: '365d', actions: { delete: {} } } } });

interface Editing {
  name: string;
  /** Indices and tenants following it when the list was read. */
  followers?: { indices: number; tenants: number };
  /** The stored policy's text, or empty for a new one. */
  stored: string;
  version: number | null;
  isNew: boolean;
}

/** Policies with who follows them; one opened in the editor, reviewed as a diff, saved as a job. */
export function PoliciesTab({ workspaceId, mayChange }: { workspaceId: string; mayChange: boolean }) {
  const list = useCall((signal) => api().ilm.policies({ workspaceId }, { signal }), [workspaceId]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [text, setText] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useJobOutcome(started);
  const checked = useMemo(() => checkPolicyText(text), [text]);
  const nameProblem = editing?.isNew ? IlmPolicyName.safeParse(editing.name).error?.issues[0]?.message : undefined;
  const changes = useMemo(() => (checked.policy === undefined || !editing ? [] : policyChanges(editing.stored ? (JSON.parse(editing.stored) as unknown) : {}, checked.policy)), [checked, editing]);

  useEffect(() => {
    if (job?.state !== 'succeeded') return;
    list.reload();
    // What was saved is now the stored policy, at the version the job read back: the next review diffs against it.
    const version = typeof job.result?.version === 'number' ? job.result.version : null;
    const saved = (job.params as { policy?: unknown }).policy;
    setEditing((current) => (current ? { ...current, isNew: false, version, stored: pretty(saved ?? {}) } : current));
    setText(pretty(saved ?? {}));
    // Once per finished save; `list` changes identity on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.state]);

  function open(policy: IlmPolicySummary): void {
    const stored = pretty(policy.policy);
    setEditing({ name: policy.name, stored, version: policy.version, isNew: false, followers: { indices: policy.indices, tenants: policy.tenants } });
    setText(stored);
    setReviewing(false);
    setStarted(null);
    setError(null);
  }

  async function save(): Promise<void> {
    if (!editing || checked.policy === undefined) return;
    setError(null);
    try {
      setStarted(await api().ilm.savePolicy({ workspaceId, name: editing.name, policy: checked.policy as never, expectedVersion: editing.isNew ? null : editing.version }));
      setReviewing(false);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button size="xs" variant="subtle" leftSection={<RefreshCw size={13} />} onClick={list.reload} loading={list.loading}>
          Reload
        </Button>
        {mayChange && (
          <Button
            size="xs"
            variant="light"
            leftSection={<FilePlus2 size={13} />}
            onClick={() => {
              setEditing({ name: '', stored: '', version: null, isNew: true });
              setText(NEW_POLICY);
              setReviewing(false);
              setStarted(null);
            }}
          >
            New policy
          </Button>
        )}
        {list.data && (
          <Text size="xs" c="dimmed">
            {formatCount(list.data.indicesRead)} indices read from index.lifecycle.name · {formatCount(list.data.unmanaged)} follow no policy
          </Text>
        )}
      </Group>
      {list.error && (
        <Alert color="red" variant="light" p="xs">
          {list.error}
        </Alert>
      )}
      {list.data?.missingPolicy.map((m) => (
        <Alert key={m.policy} color="yellow" variant="light" p="xs">
          {m.indices} indices name the policy {m.policy}, which does not exist.
        </Alert>
      ))}
      {list.loading && !list.data && <Loader size="sm" />}
      {list.data && (
        <Paper withBorder>
          <ScrollArea.Autosize mah={editing ? 180 : 420}>
            <Table verticalSpacing={3} horizontalSpacing="xs" fz="xs" highlightOnHover aria-label="ILM policies">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Policy</Table.Th>
                  <Table.Th>Phases</Table.Th>
                  <Table.Th ta="right">Indices</Table.Th>
                  <Table.Th ta="right">Tenants</Table.Th>
                  <Table.Th ta="right">Version</Table.Th>
                  <Table.Th>Checks</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.policies.map((p) => (
                  <Table.Tr key={p.name} data-testid="policy-row" bg={editing?.name === p.name ? 'var(--mantine-color-default-hover)' : undefined}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Text size="xs" ff="monospace">
                          {p.name}
                        </Text>
                        {p.prescribed && (
                          <Badge size="xs" variant="outline">
                            blueprint
                          </Badge>
                        )}
                        {p.managed && (
                          <Badge size="xs" variant="outline" color="gray">
                            managed
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={3} wrap="nowrap">
                        {p.phases.map((phase) => (
                          <Badge key={phase.phase} size="xs" variant="light" color={PHASE_COLORS[phase.phase] ?? 'gray'} title={phase.actions.join(', ')}>
                            {phase.phase}
                            {phase.minAge && phase.minAge !== '0ms' ? ` ${phase.minAge}` : ''}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(p.indices)}</Table.Td>
                    <Table.Td ta="right">{formatCount(p.tenants)}</Table.Td>
                    <Table.Td ta="right">{p.version ?? '—'}</Table.Td>
                    <Table.Td>
                      {p.problems.length === 0 ? (
                        <Text size="xs" c="dimmed">
                          valid
                        </Text>
                      ) : (
                        <Text size="xs" c="yellow" title={p.problems.map((x) => `${x.path}: ${x.message}`).join('\n')}>
                          {p.problems[0]?.path}: {p.problems.length} problem{p.problems.length === 1 ? '' : 's'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="subtle" leftSection={<Pencil size={12} />} onClick={() => open(p)}>
                        {mayChange && !p.managed ? 'Edit' : 'View'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </Paper>
      )}
      {editing && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Group justify="space-between">
              <Group gap="xs">
                <Title order={6}>{editing.isNew ? 'New policy' : editing.name}</Title>
                {!editing.isNew && (
                  <Text size="xs" c="dimmed">
                    version {editing.version ?? '—'} · saved as a job, refused if it changed meanwhile
                  </Text>
                )}
              </Group>
              {mayChange && (
                <Group gap="xs">
                  {reviewing ? (
                    <>
                      <Button size="xs" variant="subtle" onClick={() => setReviewing(false)}>
                        Back to editing
                      </Button>
                      <Button size="xs" color="orange" leftSection={<Save size={13} />} onClick={() => void save()}>
                        Save {editing.isNew ? 'new policy' : `${changes.length} change${changes.length === 1 ? '' : 's'}`}
                      </Button>
                    </>
                  ) : (
                    <Button size="xs" variant="light" leftSection={<GitCompare size={13} />} disabled={checked.problems.length > 0 || changes.length === 0 || Boolean(nameProblem)} onClick={() => setReviewing(true)}>
                      Review changes
                    </Button>
                  )}
                </Group>
              )}
            </Group>
            {editing.followers && <PolicyFollowers key={editing.name} workspaceId={workspaceId} policy={editing.name} indices={editing.followers.indices} tenants={editing.followers.tenants} />}
            {editing.isNew && (
              <TextInput size="xs" w={320} label="Name" value={editing.name} error={editing.name ? nameProblem : undefined} onChange={(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
            )}
            {job && <JobOutcome job={job} done={(result) => `Saved ${String(result?.name ?? editing.name)}: version ${String(result?.version ?? '?')}.`} />}
            {error && (
              <Alert color="red" variant="light" p="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {error}
              </Alert>
            )}
            {reviewing ? (
              <>
                <Stack gap={2} data-testid="policy-changes">
                  {changes.map((c) => (
                    <Text key={`${c.kind}:${c.path}`} size="xs" ff="monospace">
                      <Badge size="xs" variant="light" color={c.kind === 'removed' ? 'red' : c.kind === 'added' ? 'green' : 'yellow'} mr={6}>
                        {c.kind}
                      </Badge>
                      {c.path}
                      {c.kind === 'changed' ? `: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}` : ''}
                    </Text>
                  ))}
                </Stack>
                <Suspense fallback={<Loader size="sm" />}>
                  <PolicyDiff stored={editing.stored || '{}'} edited={pretty(checked.policy)} />
                </Suspense>
              </>
            ) : (
              <>
                <Suspense fallback={<Loader size="sm" />}>
                  <PolicyEditor value={text} problems={checked.problems} onChange={setText} readOnly={!mayChange} />
                </Suspense>
                {checked.problems.length > 0 && (
                  <Stack gap={2} data-testid="policy-problems">
                    {checked.problems.map((p) => (
                      <Text key={`${p.path}:${p.message}`} size="xs" c="red">
                        {p.line ? `line ${p.line}: ` : ''}
                        <Code>{p.path || 'policy'}</Code> {p.message}
                      </Text>
                    ))}
                  </Stack>
                )}
              </>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
