import { BSON, ObjectId, type Document } from 'mongodb';
import { AppError } from '@shared/errors';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

function invalid(detail: string): AppError {
  return new AppError('invalid_argument', `Not valid Extended JSON: ${detail}`);
}

function viaEjson(value: Record<string, unknown>): unknown {
  try {
    return BSON.EJSON.deserialize(value, { relaxed: true });
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The two wrappers generated documents are full of, `{ $oid: hex }` and `{ $date: iso }`, are read
 * here directly (several times faster than the general reader); anything else with a `$` key (other
 * type wrappers, query operators) goes through BSON.EJSON, which gives the same result for these two.
 */
function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const inner = record[key];
    if (key === '$oid' && typeof inner === 'string') {
      if (!OBJECT_ID.test(inner)) throw invalid(`${JSON.stringify(inner.slice(0, 40))} is not an ObjectId`);
      return ObjectId.createFromHexString(inner);
    }
    if (key === '$date' && typeof inner === 'string') {
      const date = new Date(inner);
      if (Number.isNaN(date.getTime())) throw invalid(`${JSON.stringify(inner.slice(0, 40))} is not a date`);
      return date;
    }
  }
  if (keys.some((key) => key.startsWith('$'))) return viaEjson(record);
  // fromEntries defines own properties, so a `__proto__` key stays a field and never a prototype.
  return Object.fromEntries(keys.map((key) => [key, convert(record[key])]));
}

/**
 * Canonical or relaxed Extended JSON (`{ $oid }`, `{ $date }`, `{ $numberLong }`…) into driver
 * values, for code outside this room, which never imports the driver. Relaxed reading: plain JSON
 * numbers stay numbers, stored as the driver stores any number (int32 or double), not as the
 * Int32/Long/Double wrappers canonical mode makes of them.
 */
export function fromExtendedJson(value: Record<string, unknown>): Document {
  return convert(value) as Document;
}
