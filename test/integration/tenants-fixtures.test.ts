import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { redisClient } from './tenants-fixtures';

describe('the tests’ Redis client', () => {
  it('works in the database it is given, not the /0 of the test server’s URL', async () => {
    const seven = redisClient(inject('redis').url, 7);
    const zero = redisClient(inject('redis').url, 0);
    const key = `fixture-db-check:${randomUUID()}`;
    try {
      expect(await seven.call('CLIENT', 'INFO')).toMatch(/ db=7 /);
      await seven.set(key, 'in seven', 'EX', 60);
      expect(await zero.exists(key)).toBe(0);
      expect(await seven.get(key)).toBe('in seven');
    } finally {
      await seven.del(key);
      seven.disconnect();
      zero.disconnect();
    }
  });
});
