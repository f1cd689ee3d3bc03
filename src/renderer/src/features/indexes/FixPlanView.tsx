import { Alert, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { FixPlan } from '@shared/model/indexes';
import { Statement } from './FindingsTab';

const LOCK_COLORS: Record<string, string> = {
  'ACCESS EXCLUSIVE': 'red',
  'SHARE ROW EXCLUSIVE': 'orange',
  SHARE: 'yellow',
  'SHARE UPDATE EXCLUSIVE': 'teal',
};

/** The plan, per tenant: each statement with the lock it takes and whether it must run outside a transaction. */
export function FixPlanView({ plan }: { plan: FixPlan }) {
  return (
    <Stack gap="xs" aria-label="Fix plan" role="region">
      <Text size="sm" fw={600} data-testid="plan-summary">
        {plan.statementCount} {plan.statementCount === 1 ? 'statement' : 'statements'} in {plan.tenantCount} {plan.tenantCount === 1 ? 'tenant' : 'tenants'}
        {plan.tenants.length < plan.tenantCount ? ` (the first ${plan.tenants.length} listed)` : ''}
      </Text>
      {plan.notFixed.length > 0 && (
        <Alert color="yellow" variant="light" p="xs" title="Left for a person">
          {plan.notFixed.join('; ')}
        </Alert>
      )}
      {plan.tenants.map((tenant) => (
        <Paper key={tenant.tenantId} withBorder p="xs" data-plan-tenant={tenant.tenantId}>
          <Text size="xs" fw={600} mb={4}>
            {tenant.tenantId}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              {tenant.schema}
            </Text>
          </Text>
          <Stack gap={4}>
            {tenant.statements.map((statement, index) => (
              <Stack key={index} gap={2}>
                <Group gap={6}>
                  <Badge size="xs" variant="light" color={LOCK_COLORS[statement.lock] ?? 'gray'} data-testid="statement-lock">
                    {statement.lock}
                  </Badge>
                  {!statement.transactional && (
                    <Badge size="xs" variant="outline" color="orange">
                      cannot run in a transaction
                    </Badge>
                  )}
                </Group>
                <Statement sql={statement.sql} />
              </Stack>
            ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
