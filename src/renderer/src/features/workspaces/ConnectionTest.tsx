import { useEffect, useRef, useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { CircleCheck, CircleX, PlugZap } from 'lucide-react';
import type { Api } from '@shared/contract';
import { AppError } from '@shared/errors';
import { STORE_LABELS, type ConnectionCheck, type StoreKind } from '@shared/model/workspace';
import { api } from '../../api';
import { fieldErrorsFromError, type FieldErrors } from './field-errors';
import { formatLatency } from './format';

type TestTarget = Parameters<Api['workspaces']['testConnection']>[0]['target'];

/** The server answers within 5 s; this margin covers the transport before the view gives up. */
const CLIENT_BOUND_MS = 8000;

type Outcome = { kind: 'idle' } | { kind: 'testing' } | { kind: 'checked'; check: ConnectionCheck } | { kind: 'failed'; code: string; message: string };

export interface ConnectionTestProps {
  store: StoreKind;
  /** With an id, the server uses the stored password when none was typed. */
  workspaceId: string | null;
  /** Builds the endpoint from the form at the moment of the click. */
  endpoint(): TestTarget['endpoint'];
  onFieldErrors(errors: FieldErrors): void;
}

/** "Test connection" for one store: the server version and round trip, or the reason it failed. */
export function ConnectionTest({ store, workspaceId, endpoint, onFieldErrors }: ConnectionTestProps) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  async function test(): Promise<void> {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    const timer = setTimeout(() => controller.abort(), CLIENT_BOUND_MS);
    setOutcome({ kind: 'testing' });
    onFieldErrors({});
    try {
      const target = { store, endpoint: endpoint() } as TestTarget;
      const args = workspaceId ? { workspaceId, target } : { target };
      const check = await api().workspaces.testConnection(args, { signal: controller.signal });
      setOutcome({ kind: 'checked', check });
    } catch (error) {
      if (controller !== running.current) return; // a newer test replaced this one
      if (AppError.is(error, 'cancelled')) {
        setOutcome({ kind: 'failed', code: 'timeout', message: `No answer within ${CLIENT_BOUND_MS / 1000} s` });
        return;
      }
      const fieldErrors = fieldErrorsFromError(error, store);
      onFieldErrors(fieldErrors);
      const code = AppError.is(error) ? error.code : 'internal';
      const message = Object.keys(fieldErrors).length > 0 ? 'Fix the highlighted fields first' : error instanceof Error ? error.message : String(error);
      setOutcome({ kind: 'failed', code, message });
    } finally {
      clearTimeout(timer);
      if (running.current === controller) running.current = null;
    }
  }

  return (
    <Group gap="sm" wrap="nowrap" align="center" mih={28}>
      <Button
        variant="light"
        leftSection={<PlugZap size={14} />}
        loading={outcome.kind === 'testing'}
        onClick={() => void test()}
        style={{ flexShrink: 0 }}
        aria-label={`Test ${STORE_LABELS[store]} connection`}
      >
        Test connection
      </Button>
      <div role="status" aria-live="polite" data-testid={`test-result-${store}`} style={{ minWidth: 0 }}>
        <OutcomeText outcome={outcome} store={store} />
      </div>
    </Group>
  );
}

function OutcomeText({ outcome, store }: { outcome: Outcome; store: StoreKind }) {
  if (outcome.kind === 'idle') return null;
  if (outcome.kind === 'testing') {
    return (
      <Text size="xs" c="dimmed">
        Connecting… (gives up after 5 s)
      </Text>
    );
  }
  if (outcome.kind === 'checked' && outcome.check.ok) {
    return (
      <Group gap={6} wrap="nowrap">
        <CircleCheck size={16} color="var(--mantine-color-teal-6)" />
        <Text size="sm" truncate>
          {STORE_LABELS[store]} <b>{outcome.check.serverVersion}</b> · {formatLatency(outcome.check.latencyMs)}
        </Text>
      </Group>
    );
  }
  const { code, message } = outcome.kind === 'checked' && !outcome.check.ok ? outcome.check : (outcome as { code: string; message: string });
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <CircleX size={16} color="var(--mantine-color-red-6)" style={{ flexShrink: 0, marginTop: 2 }} />
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        <Text span ff="monospace" fw={700} c="red">
          {code}
        </Text>{' '}
        {message}
      </Text>
    </Group>
  );
}
