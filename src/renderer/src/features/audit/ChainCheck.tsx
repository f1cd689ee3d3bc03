import { Alert, Text } from '@mantine/core';
import { ShieldAlert, ShieldCheck } from 'lucide-react';
import type { MethodResult } from '@shared/contract';
import type { JournalProblemKind } from '@shared/model/audit';

export type ChainVerification = MethodResult<'audit.verify'>;

const PROBLEM_TITLE: Record<JournalProblemKind, string> = {
  malformed: 'An entry cannot be read',
  tampered: 'An entry was changed',
  broken_link: 'The chain is broken',
  missing: 'Entries are missing',
  reordered: 'Entries are out of order',
  torn_tail: 'The last entry was cut off',
};

/** The answer of a chain check: intact, or the first entry that is wrong, named so it can be found. */
export function ChainCheck({ result }: { result: ChainVerification }) {
  if (result.intact) {
    return (
      <Alert color="teal" variant="light" p="xs" icon={<ShieldCheck size={16} />} title="Chain intact" data-testid="chain-check" data-intact="true">
        <Text size="xs">
          {result.entries} entries of journal {result.journal}, each linked to the one before; last entry #{result.lastSeq}, hash{' '}
          <Text span ff="monospace" size="xs">
            {result.lastHash.slice(0, 16)}…
          </Text>
        </Text>
      </Alert>
    );
  }
  const problem = result.problem;
  const where = problem ? `${problem.seq !== undefined ? `entry #${problem.seq}, ` : ''}line ${problem.line}` : 'unknown place';
  return (
    <Alert
      color="red"
      variant="light"
      p="xs"
      icon={<ShieldAlert size={16} />}
      title={`${problem ? PROBLEM_TITLE[problem.kind] : 'The chain does not verify'} at ${where}`}
      data-testid="chain-check"
      data-intact="false"
    >
      <Text size="xs">
        {problem?.message ?? 'The journal did not verify.'} Journal {result.journal}: {result.entries} entries read before it. Run{' '}
        <Text span ff="monospace" size="xs">
          npm run audit:verify -- --journal FILE
        </Text>{' '}
        on the file to check it outside the console.
      </Text>
    </Alert>
  );
}
