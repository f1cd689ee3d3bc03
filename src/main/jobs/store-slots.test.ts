import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { DEFAULT_STORE_LIMITS, StoreSlots } from './store-slots';

const pg = { workspaceId: 'demo', store: 'postgres' as const };

describe('per-store job slots', () => {
  it('lets `limit` holders in and queues the rest first come, first served', async () => {
    const slots = new StoreSlots({ postgres: 2 });
    const order: string[] = [];
    const a = await slots.acquire(pg);
    const b = await slots.acquire(pg);
    const waiting = ['c', 'd', 'e'].map((name) => slots.acquire(pg).then((release) => (order.push(name), release)));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(slots.usage(pg)).toEqual({ busy: 2, waiting: 3 });

    a();
    const c = await waiting[0]!;
    expect(order).toEqual(['c']);
    b();
    c();
    const [d, e] = await Promise.all([waiting[1]!, waiting[2]!]);
    expect(order).toEqual(['c', 'd', 'e']);
    d();
    e();
    expect(slots.usage(pg)).toEqual({ busy: 0, waiting: 0 });
  });

  it('keeps stores and workspaces apart', async () => {
    const slots = new StoreSlots({ postgres: 1, redis: 1 });
    await slots.acquire(pg);
    // Another store of the same workspace, and the same store of another workspace, are free.
    await expect(slots.acquire({ workspaceId: 'demo', store: 'redis' })).resolves.toBeTypeOf('function');
    await expect(slots.acquire({ workspaceId: 'other', store: 'postgres' })).resolves.toBeTypeOf('function');
    expect(slots.usage(pg)).toEqual({ busy: 1, waiting: 0 });
  });

  it('drops a waiter whose signal fires, with cancelled, and does not give it a slot later', async () => {
    const slots = new StoreSlots({ postgres: 1 });
    const release = await slots.acquire(pg);
    const controller = new AbortController();
    const waiting = slots.acquire(pg, controller.signal);
    const after = slots.acquire(pg);
    controller.abort();
    const refusal = await waiting.catch((error: unknown) => error);
    expect(AppError.is(refusal, 'cancelled')).toBe(true);
    expect(slots.usage(pg)).toEqual({ busy: 1, waiting: 1 });
    release();
    const next = await after;
    expect(slots.usage(pg)).toEqual({ busy: 1, waiting: 0 });
    next();
    expect(slots.usage(pg)).toEqual({ busy: 0, waiting: 0 });
  });

  it('counts a release given twice once', async () => {
    const slots = new StoreSlots({ postgres: 1 });
    const release = await slots.acquire(pg);
    const queued = slots.acquire(pg);
    release();
    release();
    const second = await queued;
    // Were the second release counted, a third holder would get in beside the second.
    let third = false;
    void slots.acquire(pg).then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    second();
  });

  it('runs fan-out steps under the same limit', async () => {
    const slots = new StoreSlots({ postgres: 2 });
    let inside = 0;
    let most = 0;
    const step = () =>
      slots.run(pg, undefined, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside -= 1;
      });
    await Promise.all(Array.from({ length: 10 }, step));
    expect(most).toBe(2);
  });

  it('has sane defaults and refuses limits that are not whole numbers from 1 to 64', () => {
    expect(new StoreSlots().limitOf('redis')).toBe(DEFAULT_STORE_LIMITS.redis);
    expect(new StoreSlots({ elastic: 5 }).limitOf('elastic')).toBe(5);
    for (const bad of [0, -1, 1.5, 65, Number.NaN]) {
      expect(() => new StoreSlots({ postgres: bad })).toThrow(/whole number from 1 to 64/);
    }
  });
});
