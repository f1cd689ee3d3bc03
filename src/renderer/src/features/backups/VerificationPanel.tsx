import { Badge, Group, List, Paper, Text } from '@mantine/core';
import type { BundleVerification } from '@shared/model/backup';
import { formatTime } from '../../lib/format';

/** The last verify of a bundle: when, the outcome, and each problem as it names its file or count. */
export function VerificationPanel({ verification }: { verification: BundleVerification | null }) {
  return (
    <Paper withBorder px="sm" py={6} role="region" aria-label="Last verification">
      <Group gap="xs">
        <Text size="xs" fw={600}>
          Last verification
        </Text>
        {verification ? (
          <>
            <Badge size="xs" variant="light" color={verification.ok ? 'teal' : 'red'} data-testid="verification-outcome">
              {verification.ok ? 'passed' : 'failed'}
            </Badge>
            <Text size="xs" c="dimmed">
              {formatTime(verification.at)} · job {verification.jobId}
            </Text>
          </>
        ) : (
          <Text size="xs" c="dimmed" data-testid="verification-outcome">
            never verified: verify restores every part into scratch names and compares it with the manifest
          </Text>
        )}
      </Group>
      {verification && verification.problems.length > 0 && (
        <List size="xs" mt={4} spacing={2} c="red" aria-label="Verification problems">
          {verification.problems.map((problem) => (
            <List.Item key={problem}>
              <Text size="xs" ff="monospace" c="red">
                {problem}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}
