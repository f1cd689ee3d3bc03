import { Badge, Button, Card, Code, CopyButton, Group, List, Stack, Text } from '@mantine/core';
import { Check, Copy, Lightbulb, TerminalSquare } from 'lucide-react';
import type { ExplainedPlan } from '@shared/contract/explain';
import { EmptyState } from '../../components/EmptyState';
import { formatPercent } from './format';

type Tip = ExplainedPlan['tips'][number];

function scoreColor(score: number): string {
  if (score >= 0.5) return 'red';
  if (score >= 0.2) return 'orange';
  if (score >= 0.05) return 'yellow';
  return 'gray';
}

const FIX_LABEL: Record<NonNullable<Tip['fix']>['kind'], string> = { sql: 'SQL', mongosh: 'mongosh', setting: 'Setting', text: 'What to do' };

export interface TipsViewProps {
  tips: Tip[];
  onShowNode(nodeId: string): void;
  /** Opens the DDL in a new workbench tab for the plan's tenant; absent where the workspace has no PostgreSQL to run it in. */
  onOpenInWorkbench?(ddl: string): void;
}

/**
 * The advisor's tips, largest saving first: what is wrong, the figures that show it, and the fix
 * to copy. The DDL is never run from here: it is copied, or opened in the workbench, where it runs
 * like any other change (writes allowed by hand, audited).
 */
export function TipsView({ tips, onShowNode, onOpenInWorkbench }: TipsViewProps) {
  if (tips.length === 0) {
    return (
      <EmptyState icon={<Lightbulb size={22} />} title="No tips for this plan">
        Nothing in it matches the advisor’s rules: no large sequential scan, spill, misestimate into a join or heap fetches worth a change.
      </EmptyState>
    );
  }
  return (
    <Stack gap="xs" aria-label="Tips" role="list">
      {tips.map((tip, i) => (
        <Card key={`${tip.rule}-${tip.nodeId ?? i}`} withBorder padding="xs" radius="sm" role="listitem" data-rule={tip.rule}>
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Text fw={600} size="sm">
              {tip.title}
            </Text>
            <Badge color={scoreColor(tip.score)} variant="light" style={{ flexShrink: 0 }} title="The share of execution time this could save, at most">
              saves up to {formatPercent(tip.score)}
            </Badge>
          </Group>
          <Text size="xs" mt={4}>
            {tip.message}
          </Text>
          {tip.evidence.length > 0 && (
            <List size="xs" mt={4} c="dimmed" spacing={0}>
              {tip.evidence.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          )}
          {tip.fix && (
            <Stack gap={4} mt={6}>
              <Text size="xs" c="dimmed">
                {FIX_LABEL[tip.fix.kind]}
              </Text>
              <Code block fz="xs" data-fix={tip.fix.kind} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {tip.fix.text}
              </Code>
            </Stack>
          )}
          <Group gap="xs" mt={6}>
            {tip.fix && tip.fix.kind !== 'text' && (
              <CopyButton value={tip.fix.text}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="default" leftSection={copied ? <Check size={12} /> : <Copy size={12} />} onClick={copy}>
                    {copied ? 'Copied' : `Copy the ${tip.fix!.kind === 'sql' ? 'DDL' : 'command'}`}
                  </Button>
                )}
              </CopyButton>
            )}
            {tip.fix?.kind === 'sql' && onOpenInWorkbench && (
              <Button size="compact-xs" variant="default" leftSection={<TerminalSquare size={12} />} onClick={() => onOpenInWorkbench(tip.fix!.text)}>
                Open in workbench
              </Button>
            )}
            {tip.nodeId !== undefined && (
              <Button size="compact-xs" variant="subtle" onClick={() => onShowNode(tip.nodeId!)}>
                Show the node
              </Button>
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
