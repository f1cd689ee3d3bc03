import { describe, expect, it } from 'vitest';
import { Deadline } from './execution';

const never = new Promise<never>(() => undefined);

describe('Deadline', () => {
  it('rejects with timeout after timeoutMs and says so', async () => {
    const deadline = new Deadline({ timeoutMs: 20 });
    await expect(deadline.race(never, 'The query')).rejects.toMatchObject({ code: 'timeout', message: 'The query did not finish within 20 ms and was stopped.' });
    expect(deadline.reason).toBe('timeout');
    expect(deadline.signal.aborted).toBe(true);
    deadline.dispose();
  });

  it('rejects with cancelled when the caller aborts', async () => {
    const controller = new AbortController();
    const deadline = new Deadline({ signal: controller.signal, timeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 5);
    await expect(deadline.race(never, 'The scan')).rejects.toMatchObject({ code: 'cancelled' });
    deadline.dispose();
  });

  it('is already stopped for a signal aborted before the start', async () => {
    const controller = new AbortController();
    controller.abort();
    const deadline = new Deadline({ signal: controller.signal });
    expect(() => deadline.throwIfStopped('x')).toThrowError(expect.objectContaining({ code: 'cancelled' }) as Error);
    await expect(deadline.race(Promise.resolve(1), 'x')).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('uses the store default when the call gives no timeout, and passes values and errors through', async () => {
    const deadline = new Deadline({}, 1234);
    expect(deadline.timeoutMs).toBe(1234);
    await expect(deadline.race(Promise.resolve('ok'), 'x')).resolves.toBe('ok');
    await expect(deadline.race(Promise.reject(new Error('boom')), 'x')).rejects.toThrow('boom');
    deadline.dispose();
  });
});
