import { Badge, Button, Group, PasswordInput } from '@mantine/core';
import type { PasswordDraft } from './draft';

export interface PasswordFieldProps {
  label: string;
  value: PasswordDraft;
  hasStoredPassword: boolean;
  error?: string;
  onChange(value: PasswordDraft): void;
}

/**
 * A write-only password: the stored one is never shown, only that it exists. Typing replaces it,
 * "Forget" removes it on save, and leaving the field alone keeps it.
 */
export function PasswordField({ label, value, hasStoredPassword, error, onChange }: PasswordFieldProps) {
  const typed = value.mode === 'set' ? value.value : '';
  const clearing = value.mode === 'clear';
  const placeholder = clearing ? 'will be removed on save' : hasStoredPassword ? 'stored — type to replace' : 'none';

  return (
    <PasswordInput
      label={
        <Group gap={6} wrap="nowrap" component="span">
          <span>{label}</span>
          {hasStoredPassword && value.mode === 'keep' && (
            <Badge size="xs" variant="light" color="teal" radius="sm">
              stored
            </Badge>
          )}
          {value.mode === 'set' && (
            <Badge size="xs" variant="light" color="blue" radius="sm">
              {hasStoredPassword ? 'replaces stored' : 'new'}
            </Badge>
          )}
          {clearing && (
            <Badge size="xs" variant="light" color="orange" radius="sm">
              forgotten on save
            </Badge>
          )}
          {hasStoredPassword && (
            <Button
              variant="subtle"
              size="compact-xs"
              color={clearing ? 'gray' : 'orange'}
              onClick={() => onChange(clearing ? { mode: 'keep' } : { mode: 'clear' })}
            >
              {clearing ? 'Keep stored' : 'Forget'}
            </Button>
          )}
        </Group>
      }
      aria-label={label}
      placeholder={placeholder}
      value={typed}
      disabled={clearing}
      error={error}
      autoComplete="new-password"
      onChange={(event) => {
        const next = event.currentTarget.value;
        onChange(next === '' ? { mode: 'keep' } : { mode: 'set', value: next });
      }}
    />
  );
}
