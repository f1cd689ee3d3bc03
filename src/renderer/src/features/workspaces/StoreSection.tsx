import { Divider, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { ConnectionTest } from './ConnectionTest';
import { endpointInput, type EndpointDrafts } from './draft';
import { ConnectionOptionsFields, EndpointFields } from './EndpointFields';
import type { FieldErrors } from './field-errors';
import { UriPasteField } from './UriPasteField';

export interface StoreSectionProps<K extends StoreKind> {
  kind: K;
  draft: EndpointDrafts[K];
  workspaceId: string | null;
  errors: FieldErrors;
  onChange(patch: Partial<EndpointDrafts[K]>): void;
  onFieldErrors(errors: FieldErrors): void;
}

const STORE_HINTS: Record<StoreKind, string> = {
  postgres: 'Tenant schemas, RLS and partitions',
  mongo: 'Customer, shared and admin databases',
  redis: 'Sessions, permissions, locks and rate limits',
  elastic: 'Per-tenant search indices',
};

/** One store of the workspace: off, or its connection settings with a connection test. */
export function StoreSection<K extends StoreKind>({ kind, draft, workspaceId, errors, onChange, onFieldErrors }: StoreSectionProps<K>) {
  const label = STORE_LABELS[kind];
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-label={label} data-store={kind}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text fw={600} size="sm">
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {STORE_HINTS[kind]}
          </Text>
        </div>
        <Switch
          label={draft.enabled ? 'Configured' : 'Not used'}
          labelPosition="left"
          checked={draft.enabled}
          aria-label={`Use ${label}`}
          onChange={(event) => onChange({ enabled: event.currentTarget.checked } as Partial<EndpointDrafts[K]>)}
        />
      </Group>
      {draft.enabled && (
        <Stack gap="sm" mt="sm">
          <UriPasteField kind={kind} draft={draft} onApply={onChange} />
          <EndpointFields kind={kind} draft={draft} errors={errors} onChange={onChange} />
          <ConnectionOptionsFields
            tls={draft.tls}
            poolSize={draft.poolSize}
            errors={errors}
            onTls={(patch) => onChange({ tls: { ...draft.tls, ...patch } } as Partial<EndpointDrafts[K]>)}
            onPoolSize={(poolSize) => onChange({ poolSize } as Partial<EndpointDrafts[K]>)}
          />
          <Divider />
          {/* Keyed by the settings: a result shown is always for the settings on screen. */}
          <ConnectionTest
            key={JSON.stringify(endpointInput(kind, draft))}
            store={kind}
            workspaceId={workspaceId}
            endpoint={() => endpointInput(kind, draft)}
            onFieldErrors={onFieldErrors}
          />
        </Stack>
      )}
    </Paper>
  );
}
