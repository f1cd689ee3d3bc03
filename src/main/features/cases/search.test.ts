import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { buildCaseSearch } from './search';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';

describe('buildCaseSearch', () => {
  it('sends every value as a parameter and keeps the SQL text free of them', () => {
    const hostile = `x'); DROP SCHEMA public CASCADE; --`;
    const query = buildCaseSearch({ text: hostile, caseNumber: hostile, status: hostile, priority: hostile, limit: 10 }, TENANT);
    expect(query.text).not.toContain('DROP');
    expect(query.values).toEqual([TENANT, hostile, hostile, hostile, hostile, 11]);
    expect(query.text).toContain("websearch_to_tsquery('english', $2)");
  });

  it('filters on the tenant first and ranks only when there is text', () => {
    const plain = buildCaseSearch({ limit: 5 }, TENANT);
    expect(plain.text).toMatch(/WHERE c\.tenant_id = \$1::uuid\n/);
    expect(plain.text).not.toContain('ts_rank');
    expect(plain.text).toContain('ORDER BY c.created_at DESC, c.id DESC');
    const ranked = buildCaseSearch({ text: 'router', limit: 5 }, TENANT);
    expect(ranked.text).toContain('ORDER BY ts_rank(c.search_vector, q.query) DESC, c.created_at DESC, c.id DESC');
  });

  it('continues after the cursor’s position with one row comparison', () => {
    const cursor = encodeCursor({ rank: 0.0607927, at: '2026-03-01T08:00:00.123456Z', id: '11111111-2222-4333-8444-555555555555' });
    const query = buildCaseSearch({ text: 'router', limit: 5, cursor }, TENANT);
    expect(query.text).toContain('(ts_rank(c.search_vector, q.query), c.created_at, c.id) < ($3::real, $4::timestamptz, $5::uuid)');
    expect(query.values.slice(2)).toEqual([0.0607927, '2026-03-01T08:00:00.123456Z', '11111111-2222-4333-8444-555555555555', 6]);
  });
});

describe('case cursors', () => {
  it('round-trips a position', () => {
    const position = { rank: null, at: '2026-03-01T08:00:00.000001Z', id: '11111111-2222-4333-8444-555555555555' };
    expect(decodeCursor(encodeCursor(position), false)).toEqual(position);
  });

  it('refuses tampered cursors with a message saying what to do', () => {
    const forged = Buffer.from(JSON.stringify({ rank: null, at: "2026'; --", id: 'x' })).toString('base64url');
    expect(() => decodeCursor(forged, false)).toThrow(/start the search again/);
    expect(() => decodeCursor('%%%', false)).toThrow(/start the search again/);
  });
});
