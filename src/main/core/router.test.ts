import { describe, expect, it } from 'vitest';
import { createApiClient } from '@shared/contract/client';
import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import { createRouter, type CallContext, type Services } from './router';
import { connectInMemory } from './in-memory-transport';

const session: Session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' };

function setup(overrides: Partial<Services['workspaces']> = {}, authorize?: Parameters<typeof createRouter>[1]) {
  const log: string[] = [];
  const services = {
    system: {
      info: async () => ({ version: '0.0.0', mode: 'web' as const, dataDir: '/tmp', vault: 'key-file' as const }),
      ping: async ({ echo }: { echo?: string }) => ({ echo, at: new Date().toISOString() }),
    },
    workspaces: {
      list: async () => {
        log.push('list');
        return [];
      },
      ...overrides,
    },
  } as unknown as Services;
  const router = createRouter(services, authorize);
  const { transport, close } = connectInMemory(router, session);
  return { api: createApiClient(transport), router, log, close };
}

describe('router over an in-memory pair', () => {
  it('answers a call with the service result', async () => {
    const { api } = setup();
    await expect(api.system.ping({ echo: 'hello' })).resolves.toMatchObject({ echo: 'hello' });
  });

  it('refuses arguments that fail the schema before the service runs', async () => {
    const { api, log } = setup();
    const error = await api.workspaces.list({ extra: 1 } as never).catch((e: unknown) => e);
    expect(AppError.is(error, 'invalid_argument')).toBe(true);
    expect((error as AppError).details).toMatchObject({ issues: [expect.objectContaining({ code: 'unrecognized_keys' })] });
    expect(log).toEqual([]);
  });

  it('answers an unknown method with not_found', async () => {
    const { router } = setup();
    await expect(router.invoke('workspaces.dropEverything', {}, session)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('carries a service error with its stable code and hides unexpected ones as internal', async () => {
    const { api } = setup({
      get: async () => {
        throw new AppError('not_found', 'No workspace "x"');
      },
      remove: async () => {
        throw new Error('secret stack detail');
      },
    });
    await expect(api.workspaces.get({ id: 'x' })).rejects.toMatchObject({ code: 'not_found', message: 'No workspace "x"' });
    const error = (await api.workspaces.remove({ id: 'x', confirmName: 'x' }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('secret');
  });

  it('cancels by call id: the service sees its signal abort and the caller gets cancelled', async () => {
    let serviceSawAbort = false;
    const { api } = setup({
      status: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            serviceSawAbort = true;
            reject(new Error('driver noise'));
          });
        }),
    });
    const controller = new AbortController();
    const call = api.workspaces.status({ id: 'demo' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((r) => setTimeout(r, 10));
    expect(serviceSawAbort).toBe(true);
  });

  it('streams events to the calling connection while the call runs', async () => {
    const { api } = setup({
      status: async (args, { emit }) => {
        for (let i = 0; i < 3; i++) emit('stores.status', { workspaceId: args.id, statuses: [] });
        return [];
      },
    });
    const seen: string[] = [];
    const off = api.on('stores.status', (p) => seen.push(p.workspaceId));
    await api.workspaces.status({ id: 'demo' });
    off();
    expect(seen).toEqual(['demo', 'demo', 'demo']);
  });

  it('runs the policy check before the service and reports its refusal', async () => {
    const { api, log } = setup({}, {
      authorize: (method) => {
        if (method === 'workspaces.list') throw new AppError('forbidden', 'not for you');
      },
    });
    await expect(api.workspaces.list({})).rejects.toMatchObject({ code: 'forbidden' });
    expect(log).toEqual([]);
  });

  it('aborts running calls when the connection closes', async () => {
    let aborted = false;
    const { api, close } = setup({
      status: (_a, { signal }) =>
        new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
    });
    void api.workspaces.status({ id: 'demo' });
    await new Promise((r) => setTimeout(r, 5));
    close();
    expect(aborted).toBe(true);
  });
});

describe('router: room on the caller\'s connection', () => {
  const services = (seen: string[]) =>
    ({
      workspaces: {
        status: async (args: { id: string }, context: CallContext) => {
          seen.push('service asks');
          await context.whenWritable?.();
          seen.push('service goes on');
          context.emit('stores.status', { workspaceId: args.id, statuses: [] });
          return [];
        },
      },
    }) as unknown as Services;

  it('hands a call the connection\'s whenWritable, so a streaming service waits until it drains', async () => {
    const seen: string[] = [];
    const router = createRouter(services(seen));
    let drain: () => void = () => undefined;
    const sent: string[] = [];
    const connection = router.connect(
      {
        send: (message) => sent.push(message.kind),
        whenWritable: () => {
          seen.push('connection full');
          return new Promise<void>((resolve) => {
            drain = () => {
              seen.push('connection drained');
              resolve();
            };
          });
        },
      },
      session,
    );
    connection.receive({ kind: 'call', callId: 'c1', method: 'workspaces.status', args: { id: 'demo' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['service asks', 'connection full']);
    expect(sent).toEqual([]);
    drain();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['service asks', 'connection full', 'connection drained', 'service goes on']);
    expect(sent).toEqual(['event', 'result']);
  });

  it('resolves at once for a connection without a queue (IPC, in memory) and for invoke', async () => {
    const seen: string[] = [];
    const router = createRouter(services(seen));
    await router.invoke('workspaces.status', { id: 'demo' }, session);
    const sent: string[] = [];
    const connection = router.connect({ send: (message) => sent.push(message.kind) }, session);
    connection.receive({ kind: 'call', callId: 'c2', method: 'workspaces.status', args: { id: 'demo' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['service asks', 'service goes on', 'service asks', 'service goes on']);
    expect(sent).toEqual(['event', 'result']);
  });
});
