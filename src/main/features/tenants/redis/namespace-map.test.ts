import { describe, expect, it } from 'vitest';
import { apportion } from './namespace-map';

describe('apportion', () => {
  it('scales sampled bucket counts up to the keys they stand for, in whole numbers that add up', () => {
    expect(apportion([1, 0, 2, 0, 0], 30)).toEqual([10, 0, 20, 0, 0]);
    // 7 keys from 3 samples: 2.33… and 4.66…; the larger remainder gets the spare key.
    expect(apportion([1, 2, 0, 0, 0], 7)).toEqual([2, 5, 0, 0, 0]);
    expect(apportion([1, 1, 1, 0, 0], 100).reduce((sum, n) => sum + n, 0)).toBe(100);
  });

  it('gives no buckets when no sampled key answered', () => {
    expect(apportion([0, 0, 0, 0, 0], 12)).toEqual([0, 0, 0, 0, 0]);
  });
});
