import { describe, expect, it } from 'vitest';
import { pagingSort, parseUserSearchBody } from './user-body';

function refusal(text: string): { code?: string; message?: string; details?: unknown } {
  try {
    parseUserSearchBody(text);
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('not refused');
}

describe('a workbench search body', () => {
  it('keeps the query, sort, aggs and _source, and takes size as the person’s cap', () => {
    expect(parseUserSearchBody('{ "query": { "match": { "title": "leak" } }, "size": 20, "from": 0, "_source": ["title"], "aggs": { "s": { "terms": { "field": "status" } } } }')).toEqual({
      body: { query: { match: { title: 'leak' } }, _source: ['title'], aggs: { s: { terms: { field: 'status' } } } },
      size: 20,
    });
    expect(parseUserSearchBody('  ')).toEqual({ body: {}, size: undefined });
  });

  it.each([
    ['a terms lookup in another index', { query: { terms: { user: { index: 'tenant-other02-users', id: '1', path: 'ids' } } } }],
    ['a percolate of a stored document', { query: { percolate: { field: 'q', index: 'tenant-other02-queries', id: '2' } } }],
    ['more_like_this liking a document of another index', { query: { more_like_this: { fields: ['t'], like: [{ _index: 'tenant-other02-cases', _id: '1' }] } } }],
    ['a stored script', { query: { script_score: { query: { match_all: {} }, script: { id: 'stolen' } } } }],
    ['an index key anywhere', { aggs: { a: { filter: { bool: { must: [{ geo_shape: { loc: { indexed_shape: { index: 'shapes', id: 'x', path: 'p' } } } }] } } } } }],
  ])('refuses %s as forbidden', (_, body) => {
    expect(refusal(JSON.stringify(body))).toMatchObject({ code: 'forbidden' });
  });

  it('allows inline scripts and queries on the _index field', () => {
    expect(() => parseUserSearchBody(JSON.stringify({ query: { bool: { filter: [{ term: { _index: 'cases-2025-01' } }, { script: { script: { source: "doc['n'].value > 1" } } }] } } }))).not.toThrow();
  });

  it.each([
    ['{ "pit": { "id": "x" } }', /point in time/],
    ['{ "search_after": [1] }', /point in time/],
    ['{ "from": 10 }', /row limit/],
    ['{ "size": -1 }', /size/],
    ['[1]', /JSON object/],
  ])('refuses %s as invalid_argument', (text, message) => {
    expect(refusal(text)).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(message) as string });
  });

  it('refuses a body that does not parse with its line and column', () => {
    expect(refusal('{\n  "query": { "match_all": {} },\n}')).toMatchObject({ code: 'invalid_argument', details: { line: 3, column: 1 } });
  });

  it('pages by the person’s sort with _shard_doc as the tiebreak, by score when none is given', () => {
    expect(pagingSort(undefined)).toEqual([{ _score: { order: 'desc' } }, { _shard_doc: 'asc' }]);
    expect(pagingSort({ openedAt: 'desc' })).toEqual([{ openedAt: 'desc' }, { _shard_doc: 'asc' }]);
    expect(pagingSort(['n', { _shard_doc: 'desc' }])).toEqual(['n', { _shard_doc: 'desc' }]);
  });
});
