import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { VaultStatus } from '@shared/contract/vault';
import { AppError } from '@shared/errors';
import { api, onCallFailure } from '../../api';
import { UnlockScreen } from './UnlockScreen';

type Phase = { name: 'checking' } | { name: 'unreadable'; message: string } | { name: 'locked'; initialized: boolean } | { name: 'open' };

function phaseOf(status: VaultStatus): Phase {
  return status.locked ? { name: 'locked', initialized: status.initialized } : { name: 'open' };
}

/**
 * Shows the app only once the secrets vault is open. A passphrase vault starts locked, so the
 * unlock screen comes first; a call that fails with `locked` later (the main process started again)
 * asks the vault once more and brings the screen back over the app, which stays mounted so nothing
 * typed is lost.
 */
export function VaultGate({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>({ name: 'checking' });
  const [opened, setOpened] = useState(false);
  const inFlight = useRef<Promise<void> | null>(null);

  const show = useCallback((next: Phase) => {
    setPhase(next);
    if (next.name === 'open') setOpened(true);
  }, []);

  const check = useCallback((): Promise<void> => {
    inFlight.current ??= api()
      .vault.status({})
      .then(
        (status) => show(phaseOf(status)),
        (error: unknown) => {
          const message = AppError.is(error) ? error.message : String(error);
          // Once the app is showing, a failed check leaves it be: the views report their own errors.
          setPhase((current) => (current.name === 'open' ? current : { name: 'unreadable', message }));
        },
      )
      .finally(() => {
        inFlight.current = null;
      });
    return inFlight.current;
  }, [show]);

  useEffect(() => {
    void check();
    return onCallFailure((error) => {
      if (AppError.is(error, 'locked')) void check();
    });
  }, [check]);

  const lockScreen =
    phase.name === 'locked' ? <UnlockScreen key={String(phase.initialized)} initialized={phase.initialized} onUnlocked={(status) => show(phaseOf(status))} /> : null;

  if (!opened) {
    if (lockScreen) return lockScreen;
    if (phase.name === 'unreadable') {
      return (
        <Center mih="100dvh" p="md">
          <Alert color="red" variant="light" title="The secrets vault could not be read" maw={480}>
            <Stack gap="xs">
              <Text size="sm">{phase.message}</Text>
              <Group>
                <Button variant="default" onClick={() => void check()}>
                  Try again
                </Button>
              </Group>
            </Stack>
          </Alert>
        </Center>
      );
    }
    return (
      <Center mih="100dvh">
        <Loader size="sm" aria-label="Opening the vault" />
      </Center>
    );
  }

  return (
    <>
      <div inert={lockScreen !== null} aria-hidden={lockScreen !== null || undefined}>
        {children}
      </div>
      {lockScreen && (
        <Box pos="fixed" inset={0} bg="var(--mantine-color-body)" style={{ zIndex: 1000 }}>
          {lockScreen}
        </Box>
      )}
    </>
  );
}
