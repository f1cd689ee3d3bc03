import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Divider, Group, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { LockOpen, ShieldCheck, UserRound } from 'lucide-react';
import { ReasonDialog } from '../../components/ReasonDialog';
import { useAppStore } from '../../store';
import { ActiveReasons } from './ActiveReasons';
import { describeNeed, mayGiveReason, UNLOCK_DURATIONS } from './needs';
import { OperatorForm, ROLE_LABEL } from './OperatorForm';
import { formatRemaining, useNow } from './time';

const ROLE_COLOR = { platform_admin: 'red', dba: 'violet', support: 'blue' } as const;

/**
 * The header's "who am I here": the operator's name and role in the active workspace, the reasons
 * they gave that still hold, and on prod the time-boxed unlock of writes.
 */
export function OperatorPanel() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const workspaceId = workspace?.id;
  const entry = useAppStore((s) => (workspaceId ? s.access[workspaceId] : undefined));
  const loadAccess = useAppStore((s) => s.loadAccess);
  const saveOperator = useAppStore((s) => s.saveOperator);
  const giveReason = useAppStore((s) => s.giveReason);
  const [opened, setOpened] = useState(false);
  const [unlocking, setUnlocking] = useState(false);
  const session = entry?.session ?? null;
  const now = useNow(1000, session !== null && session.justifications.length > 0);

  useEffect(() => {
    if (workspaceId) void loadAccess(workspaceId);
  }, [workspaceId, loadAccess]);

  // A reason that runs out is dropped by the main process; read the session again when it does.
  const nextExpiry = session?.justifications.reduce((soonest, j) => Math.min(soonest, Date.parse(j.expiresAt)), Infinity) ?? Infinity;
  useEffect(() => {
    if (!workspaceId || !Number.isFinite(nextExpiry)) return undefined;
    const timer = setTimeout(() => void loadAccess(workspaceId), Math.max(0, nextExpiry - Date.now()) + 250);
    return () => clearTimeout(timer);
  }, [workspaceId, nextExpiry, loadAccess]);

  if (!workspace || !workspaceId) return null;
  if (!session) {
    return entry?.error ? (
      <Text size="xs" c="red" title={entry.error}>
        Operator unknown
      </Text>
    ) : (
      <Loader size="xs" />
    );
  }

  const role = session.operator.role;
  const unlock = session.prodUnlock && Date.parse(session.prodUnlock.expiresAt) > now ? session.prodUnlock : null;
  const canUnlock = workspace.environment === 'prod' && mayGiveReason(role, 'prod-unlock');
  const unlockText = describeNeed({ scope: 'prod-unlock', workspaceId });

  return (
    <Group gap="xs" wrap="nowrap">
      {unlock && (
        <Badge color="red" variant="filled" size="sm" leftSection={<LockOpen size={11} />} title={unlock.reason}>
          writes unlocked · {formatRemaining(unlock.expiresAt, now)}
        </Badge>
      )}
      <Popover width={340} position="bottom-end" withArrow shadow="md" opened={opened} onChange={setOpened}>
        <Popover.Target>
          <UnstyledButton
            aria-label="Operator"
            onClick={() => setOpened((o) => !o)}
            px={8}
            py={4}
            style={{ borderRadius: 4, border: '1px solid var(--mantine-color-default-border)' }}
          >
            <Group gap={6} wrap="nowrap">
              <UserRound size={14} />
              <Text size="xs" fw={500} maw={160} truncate>
                {session.operator.name}
              </Text>
              <Badge size="xs" variant="light" color={ROLE_COLOR[role]}>
                {ROLE_LABEL[role]}
              </Badge>
              {session.managed && <ShieldCheck size={13} color="var(--mantine-color-teal-5)" aria-label="managed" />}
            </Group>
          </UnstyledButton>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              You in {workspace.name}
            </Text>
            <OperatorForm
              key={`${workspaceId}:${JSON.stringify(session.operator)}`}
              session={session}
              onSave={(operator) => saveOperator(workspaceId, operator)}
            />
            <Divider label="Reasons that hold" labelPosition="left" />
            <ActiveReasons justifications={session.justifications} now={now} />
            {canUnlock && (
              <>
                <Divider label="Prod" labelPosition="left" />
                {unlock ? (
                  <Alert color="red" variant="light" p="xs" icon={<LockOpen size={14} />}>
                    <Text size="xs">
                      Writes unlocked for {formatRemaining(unlock.expiresAt, now)} more: {unlock.reason}
                    </Text>
                  </Alert>
                ) : (
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      Read-only until you unlock writes.
                    </Text>
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      leftSection={<LockOpen size={13} />}
                      onClick={() => {
                        setOpened(false);
                        setUnlocking(true);
                      }}
                    >
                      Unlock writes
                    </Button>
                  </Group>
                )}
              </>
            )}
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <ReasonDialog
        opened={unlocking}
        title={unlockText.title}
        actionLabel={unlockText.actionLabel}
        durations={UNLOCK_DURATIONS}
        onCancel={() => setUnlocking(false)}
        onSubmit={async (input) => {
          await giveReason({ scope: 'prod-unlock', workspaceId }, input);
          setUnlocking(false);
        }}
      >
        <Text size="sm">{unlockText.body}</Text>
      </ReasonDialog>
    </Group>
  );
}
