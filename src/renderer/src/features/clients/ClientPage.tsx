import type { ReactNode } from 'react';
import { Accordion, Alert, Badge, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { api } from '../../api';
import { useAppStore } from '../../store';
import { useCall } from '../../lib/useCall';
import { TenantCrumbs } from '../tenants';
import { RecordView } from './RecordView';

function Section({ title, children, count, truncated }: { title: string; children: ReactNode; count?: number; truncated?: boolean }) {
  return (
    <Paper withBorder p="xs" radius="sm" aria-label={title}>
      <Group gap={6} mb={4}>
        <Text size="xs" fw={700} tt="uppercase" c="dimmed">
          {title}
        </Text>
        {count !== undefined && (
          <Badge size="xs" variant="default">
            {count}
            {truncated ? '+' : ''}
          </Badge>
        )}
      </Group>
      {children}
    </Paper>
  );
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function labelOf(record: Record<string, unknown>, ...fields: string[]): string {
  for (const field of fields) {
    const value = text(record[field]);
    if (value) return value;
  }
  return text(record._id) ?? text(record.id) ?? 'record';
}

/** A list section: one fold per record, its title from the record's own name fields. */
function Records({ items, fields, omit = [], nested }: { items: Record<string, unknown>[]; fields: string[]; omit?: string[]; nested?: { key: string; title: string } }) {
  if (items.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        None.
      </Text>
    );
  }
  return (
    <Accordion multiple variant="filled" chevronPosition="left" styles={{ label: { padding: '4px 0' }, content: { padding: '0 8px 8px' } }}>
      {items.map((item, i) => {
        const children = nested ? item[nested.key] : undefined;
        const list = Array.isArray(children) ? (children as Record<string, unknown>[]) : [];
        return (
          <Accordion.Item key={labelOf(item, '_id', 'id') + i} value={String(i)}>
            <Accordion.Control>
              <Text size="xs">
                {labelOf(item, ...fields)}
                {nested && list.length > 0 && (
                  <Text span size="xs" c="dimmed">
                    {` · ${list.length} ${nested.title}`}
                  </Text>
                )}
              </Text>
            </Accordion.Control>
            <Accordion.Panel>
              <RecordView record={item} omit={nested ? [...omit, nested.key] : omit} />
              {nested && list.length > 0 && (
                <Stack gap={4} mt={4} pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
                  <Text size="xs" fw={600}>
                    {nested.title}
                  </Text>
                  {list.map((child, j) => (
                    <RecordView key={j} record={child} />
                  ))}
                </Stack>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}

/** One client: business details, relationship and churn risk, analytics, contacts, documents, notes, user. */
export function ClientPage({ tenantId, clientId }: { tenantId: string; clientId: string }) {
  const workspaceId = useAppStore((s) => s.activeWorkspaceId);
  const detail = useCall(workspaceId ? (signal) => api().clients.get({ workspaceId, tenantId, clientId }, { signal }) : null, [workspaceId, tenantId, clientId]);
  const data = detail.data;
  const name = data ? labelOf(data.client, 'companyName', 'legalName', 'tradingName', 'clientCode') : null;

  return (
    <Stack gap="sm" p="md">
      <TenantCrumbs tenantId={tenantId}>
        <Text size="xs">{name ?? 'Client'}</Text>
      </TenantCrumbs>
      {detail.loading && <Loader size="xs" />}
      {detail.error && (
        <Alert color="red" variant="light" title="The client could not be read">
          {detail.error}
        </Alert>
      )}
      {data && (
        <>
          <Group gap="sm">
            <Title order={3}>{name}</Title>
            {text(data.client.clientCode) && (
              <Text size="xs" ff="monospace" c="dimmed">
                {text(data.client.clientCode)}
              </Text>
            )}
          </Group>
          <Grid gap="sm">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Stack gap="sm">
                <Section title="Business details">
                  <RecordView record={data.businessDetails} />
                </Section>
                <Section title="Relationship and churn risk">
                  <RecordView record={data.relationship} />
                </Section>
                <Section title="Analytics">
                  <RecordView record={data.analytics} />
                </Section>
                <Section title="Linked user">
                  <RecordView record={data.user} />
                </Section>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Stack gap="sm">
                <Section title="Contacts" count={data.contacts.items.length} truncated={data.contacts.truncated}>
                  <Records items={data.contacts.items} fields={['fullName', 'name', 'email', 'firstName']} />
                </Section>
                <Section title="Documents" count={data.documents.items.length} truncated={data.documents.truncated}>
                  <Records items={data.documents.items} fields={['title', 'name', 'fileName', 'documentType']} nested={{ key: 'versions', title: 'versions' }} />
                </Section>
                <Section title="Notes" count={data.notes.items.length} truncated={data.notes.truncated}>
                  <Records items={data.notes.items} fields={['title', 'subject', 'type']} nested={{ key: 'tasks', title: 'tasks' }} />
                </Section>
              </Stack>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}
