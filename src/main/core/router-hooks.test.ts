import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import { createRouter, type CallContext, type Services } from './router';

const connection: Session = { connectionId: 'c1', operator: { name: 'console user' }, role: 'platform_admin' };
const support: Session = { connectionId: 'c1', operator: { name: 'sam' }, role: 'support' };

function servicesWith(get: (args: { id: string }, context: CallContext) => Promise<unknown>): Services {
  return { workspaces: { get } } as unknown as Services;
}

describe('router session and failure hooks', () => {
  it('runs authorize and the service as the session chosen from the call’s arguments', async () => {
    const seen: string[] = [];
    const router = createRouter(
      servicesWith(async (_args, context) => {
        seen.push(`service:${context.session.role}`);
        return null;
      }),
      {
        sessionFor: (_method, args, session) => ((args as { id: string }).id === 'support-ws' ? support : session),
        authorize: (_method, _args, session) => {
          seen.push(`authorize:${session.role}`);
        },
      },
    );
    await router.invoke('workspaces.get', { id: 'support-ws' }, connection).catch(() => undefined);
    await router.invoke('workspaces.get', { id: 'other-ws' }, connection).catch(() => undefined);
    expect(seen).toEqual(['authorize:support', 'service:support', 'authorize:platform_admin', 'service:platform_admin']);
  });

  it('tells onCallFailed about a failed call, keeps the caller’s error, and says nothing of refusals or successes', async () => {
    const failed: Array<[string, string, string]> = [];
    let fail = true;
    const router = createRouter(
      servicesWith(async () => {
        if (fail) throw new AppError('unreachable', 'PostgreSQL is down');
        return null;
      }),
      {
        authorize: (_method, args) => {
          if ((args as { id: string }).id === 'refused') throw new AppError('forbidden', 'no');
        },
        onCallFailed: (method, _args, session, error) => {
          failed.push([method, session.role, AppError.is(error) ? error.code : 'other']);
          throw new Error('the journal is full');
        },
      },
    );
    await expect(router.invoke('workspaces.get', { id: 'w' }, support)).rejects.toMatchObject({ code: 'unreachable' });
    await expect(router.invoke('workspaces.get', { id: 'refused' }, support)).rejects.toMatchObject({ code: 'forbidden' });
    fail = false;
    await router.invoke('workspaces.get', { id: 'w' }, support);
    expect(failed).toEqual([['workspaces.get', 'support', 'unreachable']]);
  });
});
