import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { StoreStatus } from '@shared/model/workspace';
import { isTransient, StoreLifecycle } from './lifecycle';

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
});
