import type { ReactNode } from 'react';
import { Alert, Badge, Code, Grid, Group, Loader, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import type { CaseUser } from '@shared/model/case';
import { api } from '../../api';
import { useAppStore } from '../../store';
import { formatTime } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { TenantCrumbs } from '../tenants';
import { UnmaskableValue } from '../access';
import { PriorityBadge, StatusBadge } from './CaseSearch';
import { CaseSources, CaseTimeline } from './CaseTimeline';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap={8} wrap="nowrap" align="flex-start">
      <Text size="xs" c="dimmed" w={90} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="xs" component="div" style={{ minWidth: 0, wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Group>
  );
}

/** A user of the case; the e-mail arrives masked unless a platform admin unmasked it with a reason. */
function person(user: CaseUser | null, email: (value: string) => ReactNode): ReactNode {
  if (!user) return '—';
  return (
    <>
      {user.name} ({user.role}) · {user.email === null ? 'no e-mail' : email(user.email)}
    </>
  );
}

function Heading({ children }: { children: string }) {
  return (
    <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
      {children}
    </Text>
  );
}

/** A case with its type, workflow stage, people and one timeline merged from every store. */
export function CasePage({ tenantId, caseId }: { tenantId: string; caseId: string }) {
  const workspaceId = useAppStore((s) => s.activeWorkspaceId);
  const detail = useCall(workspaceId ? (signal) => api().cases.get({ workspaceId, tenantId, caseId }, { signal }) : null, [workspaceId, tenantId, caseId]);
  const data = detail.data;
  const record = data?.case;
  const stages = data?.workflow?.stages ?? [];
  const current = data?.currentStage ? stages.findIndex((s) => s.id === data.currentStage?.id) : -1;
  const unmaskable = (email: string) =>
    workspaceId ? <UnmaskableValue workspaceId={workspaceId} tenantId={tenantId} field="postgres:users#email" value={email} onUnmasked={detail.reload} /> : email;

  return (
    <Stack gap="sm" p="md">
      <TenantCrumbs tenantId={tenantId}>
        <Text size="xs">{record?.caseNumber ?? 'Case'}</Text>
      </TenantCrumbs>
      {detail.loading && <Loader size="xs" />}
      {detail.error && (
        <Alert color="red" variant="light" title="The case could not be read">
          {detail.error}
        </Alert>
      )}
      {data && record && (
        <>
          <Group gap="sm" wrap="nowrap">
            <Text ff="monospace" size="sm" c="dimmed">
              {record.caseNumber}
            </Text>
            <Title order={3}>{record.title}</Title>
            <StatusBadge status={record.status} />
            <PriorityBadge priority={record.priority} />
          </Group>
          {stages.length > 0 && (
            <Paper withBorder p="xs" radius="sm" aria-label="Workflow">
              <Text size="xs" c="dimmed" mb={6}>
                Workflow {data.workflow?.name}
                {data.currentStage ? ` · stage ${data.currentStage.name}` : ' · no current stage'}
              </Text>
              <Stepper active={current} size="xs" iconSize={20} allowNextStepsSelect={false}>
                {stages.map((stage) => (
                  <Stepper.Step key={stage.id} label={stage.name} />
                ))}
              </Stepper>
            </Paper>
          )}
          <Grid gap="sm">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="sm">
                <Paper withBorder p="xs" radius="sm" aria-label="Details">
                  <Heading>Details</Heading>
                  <Stack gap={3}>
                    <Field label="Type">{data.caseType ? data.caseType.name : '—'}</Field>
                    <Field label="Assignee">{person(data.assignee, unmaskable)}</Field>
                    <Field label="Created by">{person(data.createdBy, unmaskable)}</Field>
                    <Field label="Created">{formatTime(record.createdAt)}</Field>
                    <Field label="Updated">{formatTime(record.updatedAt)}</Field>
                    <Field label="Due">{formatTime(record.dueDate)}</Field>
                    <Field label="Version">{record.version}</Field>
                    <Field label="Tags">
                      <Group gap={4}>
                        {record.tags.length === 0 ? '—' : record.tags.map((tag) => <Badge key={tag} size="xs" variant="default">{tag}</Badge>)}
                      </Group>
                    </Field>
                    <Field label="Description">{record.description ?? '—'}</Field>
                  </Stack>
                </Paper>
                {(record.customFields || record.metadata) && (
                  <Paper withBorder p="xs" radius="sm">
                    <Heading>Custom fields and metadata</Heading>
                    <Code block fz={11}>
                      {JSON.stringify({ customFields: record.customFields, metadata: record.metadata }, null, 2)}
                    </Code>
                  </Paper>
                )}
                <Paper withBorder p="xs" radius="sm">
                  <Heading>Sources</Heading>
                  <CaseSources sources={data.sources} />
                </Paper>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Paper withBorder p="xs" radius="sm">
                <Heading>{`Timeline · ${data.timeline.length} events, oldest first`}</Heading>
                <CaseTimeline items={data.timeline} />
              </Paper>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}
