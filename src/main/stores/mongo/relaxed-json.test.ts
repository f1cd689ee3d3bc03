import { BSON, Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { toRelaxedJson } from './relaxed-json';

describe('documents as relaxed Extended JSON', () => {
  it('writes what the driver’s relaxed serializer writes, for every BSON type a document can hold', () => {
    const document = {
      _id: new ObjectId('652f1c2e9b1d4a0012ab34cd'),
      text: 'x',
      int: 3,
      double: 1.5,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      bool: true,
      none: null,
      date: new Date('2025-01-02T03:04:05Z'),
      dateMs: new Date('2025-01-02T03:04:05.678Z'),
      ancient: new Date('1900-01-01T00:00:00Z'),
      long: Long.fromNumber(42),
      decimal: Decimal128.fromString('1.10'),
      binary: new Binary(Buffer.from('hi'), 0),
      uuid: new Binary(Buffer.from('0123456789abcdef'), 4),
      timestamp: new Timestamp({ t: 1, i: 2 }),
      regex: /a.c/i,
      bsonRegex: new BSON.BSONRegExp('^x', 'm'),
      min: new MinKey(),
      max: new MaxKey(),
      int32: new Int32(7),
      doubleWrapped: new Double(2),
      nested: { list: [new ObjectId('652f1c2e9b1d4a0012ab34ce'), { at: new Date(0) }] },
    };
    expect(toRelaxedJson(document)).toEqual(BSON.EJSON.serialize(document, { relaxed: true }));
  });

  it('keeps an int64 past 2^53 whole, where relaxed mode would round it', () => {
    expect(toRelaxedJson({ big: Long.fromString('-9007199254740993') })).toEqual({ big: { $numberLong: '-9007199254740993' } });
  });

  it('keeps a __proto__ field a field', () => {
    const document = JSON.parse('{ "__proto__": { "polluted": true } }') as Record<string, unknown>;
    const converted = toRelaxedJson(document);
    expect(Object.keys(converted)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
  });
});
