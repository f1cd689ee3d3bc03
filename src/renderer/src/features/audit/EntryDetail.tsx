import type { ReactNode } from 'react';
import { Badge, CloseButton, Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { AuditEntry } from '@shared/model/audit';
import { formatAuditTime, OUTCOME_COLOR, tenantsText } from './columns';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xs" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

/** One journal entry whole: the chain fields and the details a row cannot show. */
export function EntryDetail({ entry, onClose }: { entry: AuditEntry; onClose(): void }) {
  return (
    <Paper withBorder p="sm" radius="sm" aria-label={`Entry ${entry.seq}`} component="section">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              #{entry.seq} · {entry.action}
            </Text>
            <Badge size="xs" variant="light" color={OUTCOME_COLOR[entry.outcome]}>
              {entry.outcome}
            </Badge>
          </Group>
          <CloseButton size="sm" aria-label="Close the entry" onClick={onClose} />
        </Group>
        <SimpleGrid cols={4} spacing="xs" verticalSpacing={6}>
          <Field label="Time">{formatAuditTime(entry.at)}</Field>
          <Field label="Operator">
            {entry.operator.name}
            {entry.operator.email ? ` <${entry.operator.email}>` : ''} · {entry.role}
          </Field>
          <Field label="Workspace">{entry.workspaceId}</Field>
          <Field label="Tenants">{tenantsText(entry.tenantIds) || '—'}</Field>
          <Field label="Target">{entry.target || '—'}</Field>
          <Field label="Justification">
            {entry.justification ? `${entry.justification.reason}${entry.justification.ticket ? ` (${entry.justification.ticket})` : ''}` : '—'}
          </Field>
          <Field label="Hash">
            <Text span size="xs" ff="monospace">
              {entry.hash.slice(0, 24)}…
            </Text>
          </Field>
          <Field label="Previous hash">
            <Text span size="xs" ff="monospace">
              {entry.prevHash.slice(0, 24)}…
            </Text>
          </Field>
        </SimpleGrid>
        {Object.keys(entry.details).length > 0 && (
          <Code block fz="xs">
            {JSON.stringify(entry.details, null, 2)}
          </Code>
        )}
      </Stack>
    </Paper>
  );
}
