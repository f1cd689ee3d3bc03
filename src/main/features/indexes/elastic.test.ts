import { describe, expect, it } from 'vitest';
import { flattenMapping, mappingNotes } from './elastic';

describe('Elasticsearch mappings against their template', () => {
  it('says a new field is added in place and a changed type needs a reindex', () => {
    const template = flattenMapping({ properties: { title: { type: 'text', analyzer: 'english' }, status: { type: 'keyword' }, customer: { properties: { id: { type: 'keyword' } } } } });
    const live = flattenMapping({ properties: { title: { type: 'text' }, status: { type: 'keyword' }, extra: { type: 'long' } } });
    const notes = mappingNotes('tenant-a-cases-2026-01', template, live);
    expect(notes.map((n) => [n.field, n.template, n.live, n.needsReindex])).toEqual([
      ['title', 'text (analyzer english)', 'text', true],
      ['customer', 'object', null, false],
      ['customer.id', 'keyword', null, false],
      ['extra', null, 'long', false],
    ]);
  });
});
