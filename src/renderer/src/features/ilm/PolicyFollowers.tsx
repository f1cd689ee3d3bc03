import { Alert, Anchor, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { PolicyFollowerList } from '@shared/model/ilm-views';
import { api } from '../../api';
import { errorText } from './format';

/** Who follows a policy, by tenant, read on demand from the indices' own `index.lifecycle.name`. */
export function PolicyFollowers({ workspaceId, policy, indices, tenants }: { workspaceId: string; policy: string; indices: number; tenants: number }) {
  const [list, setList] = useState<PolicyFollowerList | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function read(): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      setList(await api().ilm.followers({ workspaceId, policy }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoading(false);
    }
  }

  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          Followed by {indices} indices of {tenants} tenants: a save changes their lifecycle.
        </Text>
        {indices > 0 && !list && (
          <Anchor component="button" type="button" size="xs" onClick={() => void read()}>
            Which?
          </Anchor>
        )}
        {loading && <Loader size={12} />}
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      )}
      {list && (
        <ScrollArea.Autosize mah={120} data-testid="policy-followers">
          {list.tenants.map((t) => (
            <Text key={String(t.tenantId)} size="xs" ff="monospace">
              {t.tenantId ?? 'no tenant'} · {t.indices} · {t.sample.join(', ')}
              {t.indices > t.sample.length ? ', …' : ''}
            </Text>
          ))}
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
