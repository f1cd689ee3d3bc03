import { describe, expect, it } from 'vitest';
import { toRedisError } from './errors';

describe('Redis errors', () => {
  it.each([
    ['WRONGPASS invalid username-password pair or user is disabled.', 'auth_failed'],
    ['NOAUTH Authentication required.', 'auth_failed'],
    ["READONLY You can't write against a read only replica.", 'read_only'],
    ['NOPERM this user has no permissions to run the \'flushall\' command', 'forbidden'],
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'invalid_argument'],
    ["ERR unknown command 'nope', with args beginning with: ", 'invalid_argument'],
    ['BUSY Redis is busy running a script.', 'locked'],
    ['LOADING Redis is loading the dataset in memory', 'unreachable'],
    ['Connection is closed.', 'unreachable'],
    ["Stream isn't writeable and enableOfflineQueue options is false", 'unreachable'],
    ['Command timed out', 'timeout'],
  ])('maps "%s" to %s', (message, code) => {
    expect(toRedisError(new Error(message)).code).toBe(code);
  });
});
