import { Badge, Group, Stack, Text } from '@mantine/core';
import type { JustificationKind } from '@shared/access';
import type { ActiveJustification } from '@shared/model/operator';
import { fieldLabel } from './needs';
import { formatRemaining } from './time';

const SCOPE_LABEL: Record<JustificationKind, string> = {
  tenant: 'tenant',
  'cross-tenant': 'cross-tenant',
  unmask: 'unmask',
  'prod-unlock': 'prod unlock',
};

const SCOPE_COLOR: Record<JustificationKind, string> = { tenant: 'blue', 'cross-tenant': 'grape', unmask: 'orange', 'prod-unlock': 'red' };

function targetOf(justification: ActiveJustification): string {
  if (justification.scope === 'unmask' && justification.field) return `${fieldLabel(justification.field)} · ${justification.tenantId ?? ''}`;
  if (justification.tenantId) return justification.tenantId;
  return justification.scope === 'prod-unlock' ? 'writes' : 'all tenants';
}

/** The reasons an operator gave that still hold, soonest to expire first. */
export function ActiveReasons({ justifications, now }: { justifications: readonly ActiveJustification[]; now: number }) {
  const live = justifications.filter((j) => Date.parse(j.expiresAt) > now).sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  if (live.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No reason given yet in this workspace.
      </Text>
    );
  }
  return (
    <Stack gap={6} component="ul" aria-label="Active reasons" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {live.map((justification) => (
        <li key={justification.id} data-scope={justification.scope}>
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <Badge size="xs" variant="light" color={SCOPE_COLOR[justification.scope]} style={{ flexShrink: 0 }}>
                {SCOPE_LABEL[justification.scope]}
              </Badge>
              <Text size="xs" ff="monospace" truncate>
                {targetOf(justification)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} title={`until ${new Date(justification.expiresAt).toLocaleTimeString()}`}>
              {formatRemaining(justification.expiresAt, now)} left
            </Text>
          </Group>
          <Text size="xs" lineClamp={2}>
            {justification.reason}
            {justification.ticket && (
              <Text span size="xs" c="dimmed">
                {' '}
                · {justification.ticket}
              </Text>
            )}
          </Text>
        </li>
      ))}
    </Stack>
  );
}
