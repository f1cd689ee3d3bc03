import { describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import { ResultAssembler } from './result-assembler';
import type { ResultMasking } from './result-masking';

const support: ResultMasking = { role: 'support', unmaskedPaths: () => [] };
const admin = (unmasked: Record<string, string[]> = {}): ResultMasking => ({ role: 'platform_admin', unmaskedPaths: (kind) => unmasked[kind] ?? [] });

describe('ResultAssembler: rows to column batches', () => {
  it('sends columns with the first batch only, numbers batches from 0 and lays values out by column', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support });
    const reader = assembler.reader([
      { name: 'id', type: 'int4' },
      { name: 'total', type: 'numeric' },
      { name: 'open', type: 'bool' },
    ]);
    const first = assembler.rowsBatch(reader, [['1', '10.50', 't'], ['2', null, 'f']]);
    const second = assembler.rowsBatch(reader, [['3', '0', 't']]);
    expect(first).toEqual({
      runId: 'run_abcdefgh',
      seq: 0,
      rows: 2,
      columns: [{ name: 'id', type: 'int4' }, { name: 'total', type: 'numeric' }, { name: 'open', type: 'bool' }],
      // Small integers and booleans typed for the grid; numeric stays the server's text.
      values: [[1, 2], ['10.50', null], [true, false]],
    });
    expect(second).toEqual({ runId: 'run_abcdefgh', seq: 1, rows: 1, values: [[3], ['0'], [true]] });
    expect(assembler.rows).toBe(3);
  });

  it('keeps the server text exactly when asked (exports)', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support, textValues: true });
    const reader = assembler.reader([{ name: 'id', type: 'int4' }, { name: 'doc', type: 'jsonb' }]);
    expect(assembler.rowsBatch(reader, [['007', '{"a": 1}']]).values).toEqual([['007'], ['{"a": 1}']]);
  });

  it('masks a column the rules name for the caller, marks it, and keeps NULL as NULL', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support });
    const reader = assembler.reader([{ name: 'email', type: 'text' }, { name: 'api_key', type: 'text' }, { name: 'name', type: 'text' }]);
    const batch = assembler.rowsBatch(reader, [['ann@example.com', 'sk_live_1234567890abcdef', 'Ann'], [null, null, 'Bob']]);
    expect(batch.columns).toEqual([
      { name: 'email', type: 'text', masked: true },
      { name: 'api_key', type: 'text', masked: true },
      { name: 'name', type: 'text' },
    ]);
    expect(batch.values).toEqual([['a***@e***.com', null], [`${MASK}cdef`, null], ['Ann', 'Bob']]);
  });

  it('shows a masked column in clear only to an admin who unmasked that field', () => {
    const clear = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: admin({ 'postgres:users': ['email'] }) });
    expect(clear.rowsBatch(clear.reader([{ name: 'email', type: 'text' }]), [['ann@example.com']]).values).toEqual([['ann@example.com']]);
    const other = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: admin({ 'postgres:users': ['password_hash'] }) });
    expect(other.rowsBatch(other.reader([{ name: 'email', type: 'text' }]), [['ann@example.com']]).values).toEqual([['a***@e***.com']]);
  });

  it('masks sensitive names inside JSON values and marks the column once it holds one', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support });
    const reader = assembler.reader([{ name: 'configuration', type: 'jsonb' }]);
    const plain = assembler.rowsBatch(reader, [['{"region": "eu"}']]);
    const secret = assembler.rowsBatch(reader, [['{"apiKey": "abcdefghijklmnopqrstuvwxyz"}']]);
    expect(plain.values).toEqual([[{ region: 'eu' }]]);
    expect(secret.values).toEqual([[{ apiKey: `${MASK}wxyz` }]]);
    expect(secret.columns).toEqual([{ name: 'configuration', type: 'jsonb', masked: true }]);
  });

  it('keeps two columns of the same name apart (a join) and puts a tenant first in a fan-out', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support, leadingTenant: true });
    const reader = assembler.reader([{ name: 'id', type: 'int4' }, { name: 'id', type: 'int4' }]);
    const batch = assembler.rowsBatch(reader, [['1', '2']], 't1');
    expect(batch.columns?.map((c) => c.name)).toEqual(['tenant', 'id', 'id']);
    expect(batch.values).toEqual([['t1'], [1], [2]]);
  });

  it('matches a later tenant’s columns by name: an extra column is added, none is shifted', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'postgres', masking: support, leadingTenant: true });
    assembler.rowsBatch(assembler.reader([{ name: 'a', type: 'text' }, { name: 'b', type: 'text' }]), [['a1', 'b1']], 't1');
    const second = assembler.rowsBatch(assembler.reader([{ name: 'b', type: 'text' }, { name: 'c', type: 'text' }]), [['b2', 'c2']], 't2');
    expect(second.columns?.map((c) => c.name)).toEqual(['tenant', 'a', 'b', 'c']);
    expect(second.values).toEqual([['t2'], [null], ['b2'], ['c2']]);
  });
});

describe('ResultAssembler: Redis replies', () => {
  it('masks the reply of a sensitive hash field and the session id in a key name, and marks the reply column', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'redis', masking: support });
    const reader = assembler.reader([
      { name: 'line', type: 'integer' },
      { name: 'command', type: 'string' },
      { name: 'item', type: 'string' },
      { name: 'reply', type: 'reply' },
    ]);
    const batch = assembler.rowsBatch(reader, [
      [1, 'HGETALL', 'name', 'Ann'],
      [1, 'HGETALL', 'access_token', 'eyJhbGciOiJIUzI1NiJ9.payload.signature'],
      [2, 'KEYS', '1', 't1:session:9f8e7d6c5b4a'],
      [2, 'KEYS', '2', 't1:case:42'],
    ]);
    expect(batch.values[3]).toEqual(['Ann', `${MASK}ture`, `t1:session:${MASK}`, 't1:case:42']);
    expect(batch.columns?.[3]).toEqual({ name: 'reply', type: 'reply', masked: true });
  });
});

describe('ResultAssembler: documents', () => {
  it('unions top-level fields in order of first appearance, resends the grown columns, and keeps nested values as JSON', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'mongo', masking: support, documentKind: 'mongo:cases' });
    const first = assembler.documentsBatch([{ _id: 'a', title: 'One' }, { _id: 'b', tags: ['x'] }]);
    const second = assembler.documentsBatch([{ _id: 'c', title: 'Three' }]);
    const third = assembler.documentsBatch([{ _id: 'd', meta: { depth: { n: 2 } } }]);
    expect(first.columns?.map((c) => c.name)).toEqual(['_id', 'title', 'tags']);
    expect(first.values).toEqual([['a', 'b'], ['One', null], [null, ['x']]]);
    expect(second.columns).toBeUndefined();
    expect(second.values).toEqual([['c'], ['Three'], [null]]);
    expect(third.columns?.map((c) => c.name)).toEqual(['_id', 'title', 'tags', 'meta']);
    expect(third.values).toEqual([['d'], [null], [null], [{ depth: { n: 2 } }]]);
  });

  it('masks documents by their family’s rules, deep, and marks the top-level field', () => {
    const assembler = new ResultAssembler({ runId: 'run_abcdefgh', engine: 'mongo', masking: support, documentKind: 'mongo:clientcontacts' });
    const batch = assembler.documentsBatch([{ _id: 'a', professionalInfo: { personalEmail: 'ann@example.com', title: 'CTO' } }]);
    expect(batch.values[1]).toEqual([{ personalEmail: 'a***@e***.com', title: 'CTO' }]);
    expect(batch.columns?.find((c) => c.name === 'professionalInfo')).toMatchObject({ masked: true });
  });
});
