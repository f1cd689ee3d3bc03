import { Accordion, Alert, Badge, Code, CopyButton, Group, Loader, NumberInput, Stack, Text, Tooltip, ActionIcon } from '@mantine/core';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import type { IndexFinding } from '@shared/model/indexes';
import { api } from '../../api';
import { useCall } from '../../lib/useCall';
import { FINDING_TITLES, findingsByKind, statsResetLabel } from './indexes-state';

/** A statement with a copy button beside it. */
export function Statement({ sql }: { sql: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code block fz="xs" style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {sql}
      </Code>
      <CopyButton value={sql}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy the statement'}>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy the statement">
              {copied ? <Check size={13} /> : <Copy size={13} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function FindingRow({ finding }: { finding: IndexFinding }) {
  const shown = finding.tenantIds.slice(0, 12);
  return (
    <Stack gap={4} py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} data-finding={finding.kind}>
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" ff="monospace" fw={500}>
          {finding.table}
          {finding.index ? `.${finding.index}` : ''}
        </Text>
        {finding.keptIndex && (
          <Text size="xs" c="dimmed">
            keep {finding.keptIndex}
          </Text>
        )}
        <Badge size="xs" variant="light">
          {finding.tenantCount} {finding.tenantCount === 1 ? 'tenant' : 'tenants'}
        </Badge>
        {finding.blueprint && (
          <Tooltip label="The preset's blueprint prescribes this index: drift would re-create it if it were dropped here.">
            <Badge size="xs" variant="outline" color="teal">
              blueprint
            </Badge>
          </Tooltip>
        )}
      </Group>
      <Text size="xs">{finding.evidence}</Text>
      {finding.fix !== null ? (
        <Statement sql={finding.fix} />
      ) : (
        <Text size="xs" c="dimmed" fs="italic" data-testid="no-fix">
          No statement to run here: change the blueprint first.
        </Text>
      )}
      <Text size="xs" c="dimmed" truncate>
        {shown.join(', ')}
        {finding.tenantCount > shown.length ? ` … and ${finding.tenantCount - shown.length} more` : ''}
      </Text>
    </Stack>
  );
}

/**
 * Findings over every tenant schema, grouped by kind, each with its evidence and the statement
 * that fixes it. Unused is only claimed when the statistics are older than the days asked for.
 */
export function FindingsTab({ workspaceId }: { workspaceId: string }) {
  const [days, setDays] = useState(14);
  const findings = useCall((signal) => api().indexes.findings({ workspaceId, unusedAfterDays: days }, { signal }), [workspaceId, days]);
  const groups = findings.data ? findingsByKind(findings.data.findings) : [];
  return (
    <Stack gap="xs">
      <Group gap="sm" align="flex-end">
        <NumberInput size="xs" w={170} label="Unused after (days)" min={1} max={365} value={days} onChange={(v) => setDays(Math.min(365, Math.max(1, Number(v) || 1)))} />
        {findings.loading && <Loader size="xs" />}
        {findings.data && (
          <Text size="xs" c="dimmed" data-testid="findings-reset">
            {findings.data.tenantSchemas} tenant schemas · usage {statsResetLabel(findings.data.statsReset)}
            {findings.data.unusedChecked ? '' : ` — younger than ${days} d, so nothing is called unused`}
          </Text>
        )}
      </Group>
      {findings.error && (
        <Alert color="red" variant="light" p="xs" title="The findings could not be read">
          {findings.error}
        </Alert>
      )}
      <Accordion multiple variant="separated" defaultValue={['duplicate', 'redundant', 'invalid']} chevronPosition="left">
        {groups.map(({ kind, findings: list }) => (
          <Accordion.Item key={kind} value={kind} data-kind={kind}>
            <Accordion.Control py={4}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {FINDING_TITLES[kind]}
                </Text>
                <Badge size="sm" variant="light" color={list.length > 0 ? (kind === 'invalid' ? 'red' : 'yellow') : 'gray'}>
                  {list.length}
                </Badge>
                {kind === 'unused' && findings.data && !findings.data.unusedChecked && (
                  <Text size="xs" c="dimmed">
                    not claimed: statistics reset {statsResetLabel(findings.data.statsReset)}
                  </Text>
                )}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {list.length === 0 ? (
                <Text size="xs" c="dimmed">
                  None found.
                </Text>
              ) : (
                list.map((finding) => <FindingRow key={`${finding.table}:${finding.index ?? ''}:${finding.evidence}`} finding={finding} />)
              )}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
