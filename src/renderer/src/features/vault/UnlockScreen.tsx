import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Alert, Button, Center, Group, List, Loader, Paper, PasswordInput, Progress, Stack, Text, Title } from '@mantine/core';
import { KeyRound, LockKeyhole } from 'lucide-react';
import type { VaultStatus } from '@shared/contract/vault';
import { AppError } from '@shared/errors';
import { api } from '../../api';
import { MIN_PASSPHRASE_LENGTH, passphraseStrength, type StrengthLevel } from './strength';

const STRENGTH_COLORS: Record<StrengthLevel, string> = { 'too-short': 'red', weak: 'orange', fair: 'yellow', strong: 'teal' };

export interface UnlockScreenProps {
  /** False on first use: the person chooses the passphrase instead of entering it. */
  initialized: boolean;
  /** Called with the vault's status once it opened. */
  onUnlocked(status: VaultStatus): void;
}

interface FieldErrors {
  passphrase?: string;
  repeat?: string;
  other?: string;
}

/** What is wrong with a first-use choice before it is sent, if anything. */
export function checkNewPassphrase(passphrase: string, repeat: string): FieldErrors {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return { passphrase: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.` };
  if (passphrase !== repeat) return { repeat: 'The two passphrases differ: type the same one twice.' };
  return {};
}

/**
 * Asks for the master passphrase of a passphrase vault before anything else: on first use it is
 * chosen (twice, with a strength hint and why it is needed); later it is entered once. Deriving the
 * key takes about a second, so the form stays busy until the vault answers.
 */
export function UnlockScreen({ initialized, onUnlocked }: UnlockScreenProps) {
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const watchCapsLock = (event: KeyboardEvent<HTMLInputElement>) => setCapsLock(event.getModifierState('CapsLock'));
  const field = useRef<HTMLInputElement>(null);
  const strength = passphraseStrength(passphrase);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (!initialized) {
      const problems = checkNewPassphrase(passphrase, repeat);
      if (problems.passphrase || problems.repeat) {
        setErrors(problems);
        return;
      }
    } else if (passphrase.length === 0) {
      setErrors({ passphrase: 'Enter the master passphrase.' });
      field.current?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const status = await api().vault.unlock({ passphrase });
      setBusy(false);
      if (status.locked) {
        setErrors({ other: 'The vault is still locked. Try again.' });
        return;
      }
      onUnlocked(status);
    } catch (error) {
      setBusy(false);
      if (AppError.is(error, 'auth_failed') || AppError.is(error, 'invalid_argument')) {
        setErrors({ passphrase: error.message });
        setPassphrase('');
      } else {
        setErrors({ other: AppError.is(error) ? error.message : String(error) });
      }
      // The field stays focused so the person can type again at once.
      queueMicrotask(() => field.current?.focus());
    }
  }

  return (
    <Center mih="100dvh" p="md">
      <Paper component="form" withBorder p="lg" w={440} radius="md" onSubmit={(event) => void submit(event)} aria-label={initialized ? 'Unlock the vault' : 'Choose a master passphrase'} aria-busy={busy}>
        <Stack gap="sm">
          <Group gap="xs" wrap="nowrap">
            {initialized ? <LockKeyhole size={20} /> : <KeyRound size={20} />}
            <Title order={3}>{initialized ? 'Enter the master passphrase' : 'Choose a master passphrase'}</Title>
          </Group>
          {initialized ? (
            <Text size="sm" c="dimmed">
              The passwords saved in your workspaces are encrypted with a key derived from your master passphrase. Enter it to use them.
            </Text>
          ) : (
            <List size="sm" spacing={4} c="dimmed">
              <List.Item>This computer offers no secret store, so Tenantscope encrypts the passwords you save with a key derived from this passphrase.</List.Item>
              <List.Item>It cannot be recovered: if you forget it, the saved passwords are lost and must be entered again.</List.Item>
              <List.Item>You will enter it each time Tenantscope starts.</List.Item>
            </List>
          )}
          <PasswordInput
            ref={field}
            label="Master passphrase"
            autoFocus
            autoComplete={initialized ? 'current-password' : 'new-password'}
            value={passphrase}
            readOnly={busy}
            error={errors.passphrase}
            description={capsLock ? 'Caps Lock is on.' : undefined}
            onKeyDown={watchCapsLock}
            onKeyUp={watchCapsLock}
            onChange={(event) => {
              setPassphrase(event.currentTarget.value);
              if (errors.passphrase) setErrors({ ...errors, passphrase: undefined });
            }}
          />
          {!initialized && (
            <>
              <Stack gap={4} aria-live="polite">
                <Progress value={strength.score} color={STRENGTH_COLORS[strength.level]} size="sm" aria-label="Passphrase strength" />
                <Text size="xs" c="dimmed">
                  {strength.hint}
                </Text>
              </Stack>
              <PasswordInput
                label="Repeat the passphrase"
                autoComplete="new-password"
                value={repeat}
                readOnly={busy}
                error={errors.repeat}
                onChange={(event) => {
                  setRepeat(event.currentTarget.value);
                  if (errors.repeat) setErrors({ ...errors, repeat: undefined });
                }}
              />
            </>
          )}
          {errors.other && (
            <Alert color="red" variant="light">
              {errors.other}
            </Alert>
          )}
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs" c="dimmed">
              {busy && (
                <Group gap={6} component="span" wrap="nowrap">
                  <Loader size={12} />
                  Deriving the key…
                </Group>
              )}
            </Text>
            <Button type="submit" loading={busy}>
              {initialized ? 'Unlock' : 'Set passphrase and open'}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
