import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { backoffDelay, retryWithBackoff } from './backoff';

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the maximum, with full jitter below it', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it('retries transient failures until one works', async () => {
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 3) throw new AppError('unreachable', 'not yet');
        return 'up';
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
      (error) => AppError.is(error, 'unreachable'),
    );
    expect(result).toBe('up');
    expect(calls).toBe(3);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    let calls = 0;
    const failing = retryWithBackoff(
      async () => {
        calls += 1;
        throw new AppError('unreachable', `attempt ${calls}`);
      },
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      () => true,
    );
    await expect(failing).rejects.toMatchObject({ code: 'unreachable', message: 'attempt 3' });
    expect(calls).toBe(3);
  });

  it('does not retry a final failure such as a refused password', async () => {
    let calls = 0;
    const failing = retryWithBackoff(
      async () => {
        calls += 1;
        throw new AppError('auth_failed', 'wrong password');
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
      (error) => AppError.is(error, 'unreachable'),
    );
    await expect(failing).rejects.toMatchObject({ code: 'auth_failed' });
    expect(calls).toBe(1);
  });

  it('stops waiting between attempts when cancelled', async () => {
    const controller = new AbortController();
    const failing = retryWithBackoff(
      async () => {
        throw new AppError('unreachable', 'down');
      },
      { attempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 },
      () => true,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 10);
    await expect(failing).rejects.toMatchObject({ code: 'cancelled' });
  });
});
