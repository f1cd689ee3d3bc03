import { useState } from 'react';
import { ActionIcon, Badge, Group, Text, Tooltip } from '@mantine/core';
import { Eye, EyeOff } from 'lucide-react';
import { ReasonDialog, type ReasonInput } from './ReasonDialog';

/** Whether, and how, the person may see a masked value in clear. */
export type UnmaskPermission =
  | { allowed: true; onUnmask(input: ReasonInput): Promise<void> }
  | { allowed: false; /** Why not, shown on hover. */ why: string };

export interface MaskedValueProps {
  /** The value as the main process sent it: masked, unless this person unmasked it. */
  value: string | null;
  masked: boolean;
  /** The field in the person's terms: `users.password_hash`. */
  fieldLabel: string;
  /** Who is asking for the reason, in the dialog's words: `of tenant acme`. */
  context?: string;
  unmask: UnmaskPermission;
}

/**
 * A sensitive value: masked, with an Unmask action that asks for a reason where the role may
 * unmask, and a disabled one that says why where it may not. A value shown in clear says so.
 */
export function MaskedValue({ value, masked, fieldLabel, context, unmask }: MaskedValueProps) {
  const [asking, setAsking] = useState(false);
  const shown = (
    <Text span size="sm" ff="monospace" data-masked={masked} style={{ overflowWrap: 'anywhere' }}>
      {value ?? '—'}
    </Text>
  );

  if (!masked || value === null) {
    return (
      <Group gap={6} wrap="wrap" component="span" display="inline-flex" style={{ verticalAlign: 'middle' }}>
        {shown}
        {!masked && value !== null && (
          <Badge size="xs" variant="light" color="orange" leftSection={<Eye size={10} />} style={{ flexShrink: 0 }}>
            unmasked
          </Badge>
        )}
      </Group>
    );
  }

  return (
    <Group gap={6} wrap="wrap" component="span" display="inline-flex" style={{ verticalAlign: 'middle' }}>
      {shown}
      {unmask.allowed ? (
        <>
          <Tooltip label={`Unmask ${fieldLabel} with a reason`} withArrow>
            <ActionIcon size="sm" variant="subtle" aria-label={`Unmask ${fieldLabel}`} onClick={() => setAsking(true)}>
              <Eye size={14} />
            </ActionIcon>
          </Tooltip>
          <ReasonDialog
            opened={asking}
            title={`Unmask ${fieldLabel}`}
            actionLabel="Unmask"
            onCancel={() => setAsking(false)}
            onSubmit={async (input) => {
              await unmask.onUnmask(input);
              setAsking(false);
            }}
          >
            <Text size="sm">
              Shows {fieldLabel}
              {context ? ` ${context}` : ''} in clear, to you only, for 30 minutes. The reason is recorded in the audit journal.
            </Text>
          </ReasonDialog>
        </>
      ) : (
        <Tooltip label={unmask.why} withArrow multiline w={260}>
          {/* A disabled button fires no hover events; aria-disabled keeps the explanation reachable. */}
          <ActionIcon
            size="sm"
            variant="subtle"
            color="gray"
            aria-label={`Unmask ${fieldLabel}`}
            aria-disabled
            data-disabled
            onClick={(event) => event.preventDefault()}
          >
            <EyeOff size={14} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}
