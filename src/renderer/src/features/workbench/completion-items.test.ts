import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '@shared/model/workbench';
import { documentSuggestions, sqlSuggestions, tablesInQuery } from './completion-items';

const TABLES: CatalogEntry[] = [
  { name: 'cases', kind: 'table', fields: [{ name: 'id', type: 'int8' }, { name: 'Status', type: 'text' }] },
  { name: 'users', kind: 'table', fields: [{ name: 'email', type: 'text' }] },
];
const labels = (items: { label: string }[]) => items.map((item) => item.label);

describe('SQL completion from the catalog', () => {
  it('finds the tables a query names and their aliases', () => {
    const named = tablesInQuery('select * from cases c join users as u on u.id = c.id where', new Set(['cases', 'users']));
    expect(Object.fromEntries(named)).toEqual({ cases: 'cases', c: 'cases', users: 'users', u: 'users' });
  });

  it('offers an alias’s columns after the dot, quoted when they need it', () => {
    const text = 'select c. from cases c';
    const items = sqlSuggestions({ engine: 'postgres', entries: TABLES }, 'select c.', text);
    expect(items.map((i) => [i.label, i.insert])).toEqual([
      ['id', 'id'],
      ['Status', '"Status"'],
    ]);
  });

  it('offers tables after FROM, and the named tables’ columns before the keywords elsewhere', () => {
    expect(labels(sqlSuggestions({ engine: 'postgres', entries: TABLES }, 'select * from ', 'select * from '))).toEqual(['cases', 'users']);
    const anywhere = labels(sqlSuggestions({ engine: 'postgres', entries: TABLES }, 'select ', 'select  from users'));
    expect(anywhere.slice(0, 3)).toEqual(['email', 'cases', 'users']);
    expect(anywhere).toContain('where');
    expect(anywhere).not.toContain('Status');
  });
});

describe('document completion', () => {
  const mongo: CatalogEntry[] = [{ name: 'cases', kind: 'collection', fields: [{ name: 'status', type: 'string' }], sampled: 100 }];
  it('offers the chosen collection’s sampled fields, quoted unless a quote is open, then operators', () => {
    const items = documentSuggestions({ engine: 'mongo', entries: mongo, collection: 'cases' }, '{ ');
    expect(items[0]).toMatchObject({ label: 'status', insert: '"status"', kind: 'field' });
    expect(labels(items)).toContain('$match');
    expect(documentSuggestions({ engine: 'mongo', entries: mongo, collection: 'cases' }, '{ "st')[0]!.insert).toBe('status');
    expect(documentSuggestions({ engine: 'mongo', entries: mongo, collection: 'other' }, '{ ')[0]!.kind).toBe('operator');
  });

  it('offers the fields of every index a pattern covers, once each', () => {
    const indices: CatalogEntry[] = [
      { name: 'logs-2026.12', kind: 'index', fields: [{ name: 'message', type: 'text' }] },
      { name: 'logs-2026.11', kind: 'index', fields: [{ name: 'message', type: 'text' }, { name: 'level', type: 'keyword' }] },
      { name: 'audit', kind: 'index', fields: [{ name: 'actor', type: 'keyword' }] },
    ];
    const fields = documentSuggestions({ engine: 'elastic', entries: indices, index: 'logs-*' }, '{ ').filter((i) => i.kind === 'field');
    expect(labels(fields)).toEqual(['message', 'level']);
  });
});
