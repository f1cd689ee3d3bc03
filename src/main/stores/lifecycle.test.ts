import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { StoreStatus } from '@shared/model/workspace';
import { closeStore, isTransient, StoreLifecycle } from './lifecycle';

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

async function until(check: () => boolean, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('StoreLifecycle', () => {
  it('starts not_configured when the workspace has no endpoint, and refuses calls with unreachable', () => {
    const lifecycle = new StoreLifecycle('mongo', async () => undefined, fast, false);
    expect(lifecycle.status().state).toBe('not_configured');
    expect(() => lifecycle.assertUsable()).toThrowError(expect.objectContaining({ code: 'unreachable' }) as Error);
  });

  it('fails calls fast while down, reconnects in the background and tells listeners', async () => {
    let attempts = 0;
    const lifecycle = new StoreLifecycle(
      'postgres',
      async () => {
        attempts += 1;
        if (attempts < 3) throw new Error(`still down ${attempts}`);
        lifecycle.markConnected('15.8', 1);
      },
      fast,
    );
    const seen: StoreStatus[] = [];
    lifecycle.onStatus((status) => seen.push(status));
    lifecycle.markConnected('15.8', 1);
    lifecycle.markDown('connection refused');
    expect(() => lifecycle.assertUsable()).toThrowError(expect.objectContaining({ code: 'unreachable' }) as Error);
    await until(() => lifecycle.state === 'connected');
    expect(attempts).toBe(3);
    expect(seen.map((s) => s.state)).toEqual(['connected', 'down', 'down', 'down', 'connected']);
    expect(seen[2]?.reason).toBe('still down 1');
    expect(() => lifecycle.assertUsable()).not.toThrow();
  });

  it('stops reconnecting once closed', async () => {
    let attempts = 0;
    const lifecycle = new StoreLifecycle('redis', async () => {
      attempts += 1;
      throw new Error('down');
    }, fast);
    lifecycle.markDown('gone');
    await until(() => attempts >= 1);
    lifecycle.close();
    const after = attempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(after);
    expect(lifecycle.status()).toMatchObject({ state: 'down', reason: 'closed' });
  });

  it('degrades only a connected store', () => {
    const lifecycle = new StoreLifecycle('elastic', async () => undefined, fast);
    lifecycle.markDegraded('slow');
    expect(lifecycle.state).toBe('down');
    lifecycle.markConnected();
    lifecycle.markDegraded('a pooled connection was lost');
    expect(lifecycle.status()).toMatchObject({ state: 'degraded', reason: 'a pooled connection was lost' });
  });

  it('treats only unreachable and timeout as worth waiting for', () => {
    expect(isTransient(new AppError('unreachable', 'x'))).toBe(true);
    expect(isTransient(new AppError('timeout', 'x'))).toBe(true);
    expect(isTransient(new AppError('auth_failed', 'x'))).toBe(false);
    expect(isTransient(new Error('plain'))).toBe(false);
  });

  describe('connectOnce', () => {
    const policy = { attempts: 3, ...fast };
    const toError = (error: unknown): AppError => (error instanceof AppError ? error : new AppError('internal', String(error)));

    it('shares one attempt between callers that ask at the same time', async () => {
      let tries = 0;
      const lifecycle = new StoreLifecycle('postgres', async () => undefined, fast);
      const attempt = async (): Promise<void> => {
        tries += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        lifecycle.markConnected('15.18', 1);
      };
      await Promise.all([lifecycle.connectOnce({ attempt, toError, policy }), lifecycle.connectOnce({ attempt, toError, policy })]);
      expect(tries).toBe(1);
      expect(lifecycle.connecting).toBeUndefined();
      expect(lifecycle.state).toBe('connected');
    });

    it('retries a transient failure, then marks the store down and reconnects in the background', async () => {
      let tries = 0;
      let reconnects = 0;
      const lifecycle = new StoreLifecycle('elastic', async () => {
        reconnects += 1;
      }, fast);
      const attempt = async (): Promise<void> => {
        tries += 1;
        throw new AppError('unreachable', 'connection refused');
      };
      await expect(lifecycle.connectOnce({ attempt, toError, policy })).rejects.toMatchObject({ code: 'unreachable' });
      expect(tries).toBe(3);
      expect(lifecycle.status()).toMatchObject({ state: 'down', reason: 'connection refused' });
      await until(() => reconnects > 0);
      lifecycle.close();
    });

    it('gives up at once on a final failure and does not keep retrying it', async () => {
      let tries = 0;
      let reconnects = 0;
      const lifecycle = new StoreLifecycle('mongo', async () => {
        reconnects += 1;
      }, fast);
      const attempt = async (): Promise<void> => {
        tries += 1;
        throw new AppError('auth_failed', 'wrong password');
      };
      await expect(lifecycle.connectOnce({ attempt, toError, policy })).rejects.toMatchObject({ code: 'auth_failed' });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(tries).toBe(1);
      expect(reconnects).toBe(0);
      expect(lifecycle.status()).toMatchObject({ state: 'down', reason: 'wrong password' });
    });

    it('lets closeStore wait for an attempt in flight before releasing the driver', async () => {
      const lifecycle = new StoreLifecycle('postgres', async () => undefined, fast);
      const order: string[] = [];
      const attempt = async (): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('attempt settled');
        throw new AppError('unreachable', 'gone');
      };
      const connecting = lifecycle.connectOnce({ attempt, toError, policy: { ...policy, attempts: 1 } }).catch(() => undefined);
      await closeStore(lifecycle, [], async () => {
        order.push('released');
      });
      await connecting;
      expect(order).toEqual(['attempt settled', 'released']);
      expect(lifecycle.closed).toBe(true);
    });
  });

  describe('checkHealth', () => {
    const toError = (error: unknown): AppError => (error instanceof AppError ? error : new AppError('internal', String(error)));

    it('marks a store down on a transient failure and starts reconnecting unless told the driver does it', async () => {
      let reconnects = 0;
      const lifecycle = new StoreLifecycle('postgres', async () => {
        reconnects += 1;
        lifecycle.markConnected('15.8', 1);
      }, fast);
      lifecycle.markConnected('15.8', 1);
      const status = await lifecycle.checkHealth(async () => {
        throw new AppError('unreachable', 'connection refused');
      }, toError);
      expect(status).toMatchObject({ state: 'down', reason: 'connection refused' });
      await until(() => lifecycle.state === 'connected');
      expect(reconnects).toBe(1);

      const monitored = new StoreLifecycle('mongo', async () => {
        reconnects += 1;
      }, fast);
      monitored.markConnected('7.0', 1);
      await monitored.checkHealth(async () => {
        throw new AppError('timeout', 'no answer');
      }, toError, false);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(monitored.status()).toMatchObject({ state: 'down', reason: 'no answer' });
      expect(reconnects).toBe(1);
    });

    it('leaves the state alone on a final failure and reports a passing check', async () => {
      const lifecycle = new StoreLifecycle('elastic', async () => undefined, fast);
      lifecycle.markConnected('9.1', 1);
      expect(await lifecycle.checkHealth(async () => {
        throw new AppError('auth_failed', 'wrong password');
      }, toError)).toMatchObject({ state: 'connected' });
      expect(await lifecycle.checkHealth(async () => lifecycle.markConnected('9.2', 3), toError)).toMatchObject({ state: 'connected', serverVersion: '9.2', latencyMs: 3 });
    });
  });
});
