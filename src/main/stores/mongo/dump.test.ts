import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { canonicalLine, documentOfLine } from './dump';

describe('canonical Extended JSON lines', () => {
  it('keep every BSON type through the round trip, where relaxed JSON would turn them into plain numbers and strings', () => {
    const document = {
      _id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
      tenantId: 'acme',
      small: new Int32(7),
      big: Long.fromString('9007199254740993'),
      money: Decimal128.fromString('1234.5600'),
      ratio: new Double(2),
      before1970: new Date('1969-07-20T20:17:40Z'),
      blob: new Binary(Buffer.from([0, 255, 16]), 0),
      uuid: new Binary(Buffer.from('0f8fad5bd9cb469fa16570867728950e', 'hex'), 4),
      ts: new Timestamp({ t: 1_700_000_000, i: 3 }),
      nested: [{ at: new Date(0), n: new Int32(1) }],
    };
    const line = canonicalLine(document);
    expect(line).not.toContain('\n');
    expect(line).toContain('"$numberInt":"7"');
    expect(line).toContain('"$numberLong":"9007199254740993"');
    expect(line).toContain('"$numberDecimal":"1234.5600"');
    expect(line).toContain('"$numberDouble":"2.0"');
    const back = documentOfLine(line, 'line 1');
    expect(back.small).toBeInstanceOf(Int32);
    expect(back.big).toBeInstanceOf(Long);
    expect((back.big as Long).toString()).toBe('9007199254740993');
    expect(back.money).toBeInstanceOf(Decimal128);
    expect(back.ratio).toBeInstanceOf(Double);
    expect((back.before1970 as Date).toISOString()).toBe('1969-07-20T20:17:40.000Z');
    expect([...(back.blob as Binary).buffer]).toEqual([0, 255, 16]);
    expect((back.uuid as Binary).sub_type).toBe(4);
    expect(back._id).toEqual(document._id);
    expect(canonicalLine(back)).toBe(line);
  });

  it('names the line of a damaged document', () => {
    expect(() => documentOfLine('{"a": {"$numberInt"', 'cases.ejson.gz line 2')).toThrow(/cases\.ejson\.gz line 2/);
    expect(() => documentOfLine('{"a": {"$oid": "not an id"}}', 'cases.ejson.gz line 3')).toThrow(/cases\.ejson\.gz line 3/);
  });
});
