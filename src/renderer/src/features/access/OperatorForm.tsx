import { useState } from 'react';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { ShieldCheck } from 'lucide-react';
import { AppError } from '@shared/errors';
import type { AccessSession, Operator } from '@shared/model/operator';
import type { Role } from '@shared/model/session';

export const ROLE_LABEL: Record<Role, string> = { platform_admin: 'Platform admin', dba: 'DBA', support: 'Support' };

const ROLE_OPTIONS = [
  { value: 'support', label: 'Support' },
  { value: 'dba', label: 'DBA' },
  { value: 'platform_admin', label: 'Admin' },
];

function issueFor(error: unknown, field: string): string | null {
  if (!AppError.is(error, 'invalid_argument')) return null;
  const details = error.details as { issues?: { path?: unknown[]; message?: string }[] } | undefined;
  return details?.issues?.find((issue) => issue.path?.[0] === field)?.message ?? null;
}

/**
 * Who the operator is in this workspace. A managed workspace fixes the role (and the policy
 * refuses a change), so the form shows it, with who signed the file, instead of a switcher.
 */
export function OperatorForm({ session, onSave }: { session: AccessSession; onSave(operator: Operator): Promise<void> }) {
  const [name, setName] = useState(session.operator.name);
  const [email, setEmail] = useState(session.operator.email);
  const [role, setRole] = useState<Role>(session.operator.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const managed = session.managed;
  const changed = name !== session.operator.name || email !== session.operator.email || role !== session.operator.role;

  async function save(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await onSave({ name: name.trim(), email: email.trim(), role });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string) => issueFor(error, field);
  const general = error && !fieldError('name') && !fieldError('email') ? (error instanceof Error ? error.message : String(error)) : null;

  return (
    <form
      aria-label="Operator"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="xs">
        <TextInput size="xs" label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError('name')} disabled={managed !== null} />
        <TextInput
          size="xs"
          label="Email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldError('email')}
          disabled={managed !== null}
          placeholder="pat@example.com"
        />
        {managed ? (
          <Stack gap={4}>
            <Group gap={6}>
              <Text size="xs" fw={500}>
                Role
              </Text>
              <Badge size="sm" variant="light">
                {ROLE_LABEL[session.operator.role]}
              </Badge>
              <Badge size="sm" variant="outline" color="teal" leftSection={<ShieldCheck size={11} />}>
                managed
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              Set by {managed.issuedBy} in a signed workspace file (key {managed.keyName}, {managed.keyFingerprint.slice(0, 16)}…). It cannot be changed
              here.
            </Text>
          </Stack>
        ) : (
          <Stack gap={4}>
            <Text size="xs" fw={500}>
              Role
            </Text>
            <SegmentedControl size="xs" fullWidth aria-label="Role" data={ROLE_OPTIONS} value={role} onChange={(value) => setRole(value as Role)} />
          </Stack>
        )}
        {general && (
          <Alert color="red" variant="light" p="xs">
            {general}
          </Alert>
        )}
        {!managed && (
          <Group justify="flex-end">
            <Button size="xs" type="submit" disabled={!changed || name.trim() === ''} loading={busy}>
              Save
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
