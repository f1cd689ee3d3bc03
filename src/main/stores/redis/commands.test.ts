import { describe, expect, it } from 'vitest';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { assertKeyInScope, escapeGlob, isWriteTraits, normaliseCommandName, parseCommandInfo, pipelineCommands } from './commands';

describe('Redis command helpers', () => {
  it('escapes glob characters so a prefix matches only itself', () => {
    expect(escapeGlob('a*b?[c]\\:')).toBe('a\\*b\\?\\[c\\]\\\\:');
  });

  it('refuses keys outside the tenant prefix, including a longer tenant id sharing the start', () => {
    const scope = defaultTenantScope('acme');
    expect(() => assertKeyInScope('acme:case:1', scope)).not.toThrow();
    expect(() => assertKeyInScope('acme2:case:1', scope)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
    expect(() => assertKeyInScope('case:1', scope)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });

  it('turns bulk writes into pipeline commands with their expiry', () => {
    expect(pipelineCommands({ op: 'set', key: 'k', value: 'v', ttlSeconds: 1.5 })).toEqual([['set', 'k', 'v', 'EX', 2]]);
    expect(pipelineCommands({ op: 'hset', key: 'h', fields: { a: '1' }, ttlSeconds: 60 })).toEqual([['hset', 'h', 'a', '1'], ['expire', 'h', 60]]);
    expect(pipelineCommands({ op: 'zadd', key: 'z', entries: [{ score: 1, member: 'm' }] })).toEqual([['zadd', 'z', 1, 'm']]);
    expect(() => pipelineCommands({ op: 'sadd', key: 's', members: [] })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });

  it('reads COMMAND INFO replies as Redis 7 sends them and knows which commands write', () => {
    const set = parseCommandInfo([['set', -3, ['write', 'denyoom'], 1, 1, 1, ['@write', '@string', '@slow'], [], [], []]]);
    const get = parseCommandInfo([['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read'], [], [], []]]);
    const config = parseCommandInfo([['config', -2, [], 0, 0, 0, ['@slow'], [], [], [['config|get', -3, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, [], [], [], []]]]]);
    const evalInfo = parseCommandInfo([['eval', -3, ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'], 0, 0, 0, [], [], [], []]]);
    expect(set && isWriteTraits(set)).toBe(true);
    expect(get && isWriteTraits(get)).toBe(false);
    expect(config?.container).toBe(true);
    expect(evalInfo && isWriteTraits(evalInfo)).toBe(true);
    expect(parseCommandInfo([null])).toBeUndefined();
  });

  it('refuses command names with anything but letters, digits and separators', () => {
    expect(normaliseCommandName(' GET ')).toBe('get');
    expect(normaliseCommandName('config|get')).toBe('config|get');
    expect(() => normaliseCommandName('get\r\nflushall')).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });
});
