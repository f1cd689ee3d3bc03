import { describe, expect, it } from 'vitest';
import { explainInBatches, explainPathLength, packBatches } from './batches';

const group = (n: number, indices = 10) => ({ pattern: `tenant-${String(n).padStart(36, '0')}-*`, indices });

describe('packing explain requests', () => {
  it('fills each request up to the path bound and the index bound, in order', () => {
    const groups = Array.from({ length: 300 }, (_, n) => group(n));
    const batches = packBatches(groups, { maxPathChars: 2_000, maxIndices: 150 }, true);
    expect(batches.flatMap((b) => b.patterns)).toEqual(groups.map((g) => g.pattern));
    for (const batch of batches) {
      expect(batch.pathLength).toBe(explainPathLength(batch.patterns, true));
      expect(batch.pathLength).toBeLessThanOrEqual(2_000);
      expect(batch.indices).toBeLessThanOrEqual(150);
    }
    // The index bound cuts first here: 15 prefixes of 10 indices.
    expect(batches[0]?.patterns).toHaveLength(15);
  });

  it('gives a prefix larger than the index bound a request of its own', () => {
    const batches = packBatches([group(1), group(2, 5_000), group(3)], { maxPathChars: 3_500, maxIndices: 1_000 }, false);
    expect(batches.map((b) => b.patterns.length)).toEqual([1, 1, 1]);
    expect(batches[1]?.indices).toBe(5_000);
  });

  it('refuses a single pattern longer than a request may be', () => {
    expect(() => packBatches([{ pattern: `${'x'.repeat(4_000)}*`, indices: 1 }], { maxPathChars: 3_500, maxIndices: 1_000 }, false)).toThrow(/too long/);
  });

  it('runs no more requests at once than the concurrency allows, and stops on cancel', async () => {
    let running = 0;
    let most = 0;
    const ilm = {
      explain: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return [];
      },
    };
    const batches = packBatches(Array.from({ length: 40 }, (_, n) => group(n, 400)), { maxPathChars: 3_500, maxIndices: 1_000 }, false);
    await explainInBatches(ilm, batches, { onlyErrors: false }, { concurrency: 3, requestTimeoutMs: 1_000 }, new AbortController().signal);
    expect(most).toBe(3);
    const controller = new AbortController();
    controller.abort();
    await expect(explainInBatches(ilm, batches, { onlyErrors: false }, { concurrency: 3, requestTimeoutMs: 1_000 }, controller.signal)).rejects.toThrow();
  });
});
