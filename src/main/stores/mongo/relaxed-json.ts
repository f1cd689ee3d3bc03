import { BSON, ObjectId, type Document } from 'mongodb';

/** The last instant relaxed Extended JSON writes as an ISO date (year 9999); outside 1970–9999 it is `{ $numberLong }`. */
const LAST_ISO_DATE = 253_402_300_800_000;

/** ISO 8601 as Extended JSON writes it: milliseconds only when there are some. */
function isoDate(date: Date): string {
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, -5)}Z` : iso;
}

function relaxed(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : { $numberDouble: String(value) };
    case 'undefined':
      return null;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : { $numberLong: BigInt.asIntN(64, value).toString() };
    case 'object':
      break;
    default:
      return value;
  }
  if (Array.isArray(value)) return value.map(relaxed);
  if (value instanceof Date) {
    const time = value.getTime();
    return time > -1 && time < LAST_ISO_DATE ? { $date: isoDate(value) } : { $date: { $numberLong: String(time) } };
  }
  if (value instanceof ObjectId) return { $oid: value.toHexString() };
  // A Timestamp is a Long too, and keeps its own { $timestamp } form.
  if (value instanceof BSON.Long && !(value instanceof BSON.Timestamp)) {
    // Relaxed mode would write a JSON number and lose digits past 2^53; those stay canonical.
    return value.greaterThan(Number.MAX_SAFE_INTEGER) || value.lessThan(Number.MIN_SAFE_INTEGER) ? { $numberLong: value.toString() } : value.toNumber();
  }
  if ('_bsontype' in value || value instanceof RegExp) return BSON.EJSON.serialize(value, { relaxed: true });
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const inner = relaxed((value as Record<string, unknown>)[key]);
    // A `__proto__` field stays a field, never the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: inner, writable: true, enumerable: true, configurable: true });
    else out[key] = inner;
  }
  return out;
}

/**
 * A document as relaxed Extended JSON: what `EJSON.serialize(…, { relaxed: true })` writes, except
 * an int64 past 2^53, which stays `{ $numberLong: "…" }` instead of a rounded number. Written
 * here for the two wrappers every document is full of (ObjectId, date), which it converts
 * faster than the general serializer (1.6× in test/bench/workbench-documents; that one checks
 * every object for cycles, and driver documents have none); other BSON types go through the
 * driver's own.
 */
export function toRelaxedJson(document: Document): Record<string, unknown> {
  return relaxed(document) as Record<string, unknown>;
}
