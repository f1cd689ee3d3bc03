import { describe, expect, it } from 'vitest';
import { fingerprintJson, fingerprintOf, fingerprintSql } from './fingerprint';

describe('SQL fingerprint', () => {
  it('takes literals out, folds whitespace and the case of unquoted words, and keeps quoted identifiers', () => {
    const a = fingerprintSql(`SELECT *  FROM cases\n WHERE status = 'open' AND priority > 3 AND "Owner" = E'it\\'s'`);
    const b = fingerprintSql(`select * from CASES where STATUS='closed' and priority>10.5e3 and "Owner"=$$x$$;`);
    expect(a).toBe('select * from cases where status = ? and priority > ? and "Owner" = ?');
    expect(b).toBe(a);
    expect(fingerprintSql('select * from cases where "owner" = 1')).not.toBe(fingerprintSql('select * from cases where "Owner" = 1'));
  });

  it('reads every literal form of the lexer as one literal, and drops comments, nested ones included', () => {
    const text = `/* a /* nested */ comment */ select B'101', X'ff', U&'d\\0061t', $tag$ it's ; $tag$, 0x1F, 1_000, .5, $1 -- trailing
      from t`;
    expect(fingerprintSql(text)).toBe('select ?, ?, ?, ?, ?, ?, ?, ? from t');
  });

  it('treats lists of literals of any length alike, and a sign as part of its number', () => {
    expect(fingerprintSql('select 1 from t where id in (1, 2, 3)')).toBe(fingerprintSql('select 1 from t where id in (7)'));
    expect(fingerprintSql('select 1 from t where id in (a, 2)')).toBe('select ? from t where id in (a, ?)');
    expect(fingerprintSql('select 1 from t where x=-5')).toBe(fingerprintSql('select 1 from t where x = 5'));
    expect(fingerprintSql('select a - 5 from t')).toBe('select a - ? from t');
  });

  it('keeps operators and casts, so different queries stay apart', () => {
    expect(fingerprintSql("select data ? 'k', d::date from t")).toBe('select data ? ?, d::date from t');
    expect(fingerprintSql('select * from t where a < 1')).not.toBe(fingerprintSql('select * from t where a <= 1'));
    expect(fingerprintSql("select 'a;b'")).toBe('select ?');
  });

  it('gives a fingerprint back unchanged', () => {
    for (const statement of ["SELECT * FROM t WHERE id IN (1,2) AND x = -3 AND y = 'z'", "update t set a = 1 where b ?| array['x']", 'select f(1, 2), g(a, 3)']) {
      const once = fingerprintSql(statement);
      expect(fingerprintSql(once)).toBe(once);
    }
  });
});

describe('JSON fingerprint (MongoDB, Elasticsearch)', () => {
  it('replaces values and keeps keys; arrays of values match whatever their length', () => {
    expect(fingerprintJson('{"status": "open", "n": {"$gt": 3}, "id": {"$in": [1, 2, 3]}}')).toBe('{"status":"?","n":{"$gt":"?"},"id":{"$in":["?"]}}');
    expect(fingerprintJson('{ "status" : "closed", "n": {"$gt": 9}, "id": {"$in": [4]} }')).toBe(fingerprintJson('{"status": "open", "n": {"$gt": 3}, "id": {"$in": [1, 2, 3]}}'));
    expect(fingerprintJson(fingerprintJson('[{"$match": {"a": 1}}]'))).toBe('[{"$match":{"a":"?"}}]');
  });

  it('names the collection or index the query ran on', () => {
    expect(fingerprintOf('mongo', '{"a": 1}', 'find cases')).toBe('find cases {"a":"?"}');
    expect(fingerprintOf('mongo', '{"a": 1}', 'find notes')).not.toBe(fingerprintOf('mongo', '{"a": 1}', 'find cases'));
    expect(fingerprintOf('elastic', '{not json}   x')).toBe('{not json} x');
  });
});
