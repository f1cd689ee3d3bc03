import { describe, expect, it } from 'vitest';
import { canonicalJson, hashEntry } from './canonical';
import { GENESIS_HASH, type AuditEntry } from '@shared/model/audit';

describe('canonicalJson', () => {
  it('sorts object members by UTF-16 code units at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    // Upper case sorts before lower case, and an astral character by its surrogates.
    expect(canonicalJson({ b: 1, B: 2, '\u{1F600}': 3, '\uFFFF': 4 })).toBe('{"B":2,"b":1,"\u{1F600}":3,"\uFFFF":4}');
  });

  it('writes numbers in their shortest round-trip form and -0 as 0', () => {
    expect(canonicalJson([1e21, 0.1, -0, 1.5e-7, 100])).toBe('[1e+21,0.1,0,1.5e-7,100]');
  });

  it('escapes strings as JSON.stringify does, lone surrogates included', () => {
    expect(canonicalJson('a"b\\c\n\u0001\uD800')).toBe('"a\\"b\\\\c\\n\\u0001\\ud800"');
  });

  it('refuses values that have no single JSON form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/no form/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/plain objects/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});

describe('hashEntry', () => {
  const entry: Omit<AuditEntry, 'hash'> = {
    seq: 1,
    id: 'e1',
    at: '2026-01-01T00:00:00.000Z',
    workspaceId: 'prod',
    prevHash: GENESIS_HASH,
    operator: { name: 'Ada', email: 'ada@example.com' },
    role: 'support',
    tenantIds: ['t1'],
    action: 'tenants.open',
    target: 'tenant t1',
    justification: { id: 'j1', reason: 'ticket about a missing invoice' },
    outcome: 'allowed',
    details: {},
  };

  it('hashes the canonical form, so member order does not matter and content does', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    expect(hashEntry(reordered)).toBe(hashEntry(entry));
    expect(hashEntry({ ...entry, target: 'tenant t2' })).not.toBe(hashEntry(entry));
    expect(hashEntry(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves the hash field itself out of what it hashes', () => {
    expect(hashEntry({ ...entry, hash: 'f'.repeat(64) })).toBe(hashEntry(entry));
  });
});
