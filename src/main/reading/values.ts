/** Small conversions from driver values (Date, Extended JSON) to the plain JSON the contract carries. */

/** An instant as ISO 8601 UTC, or null when the value is not one. */
export function isoOf(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  if (isPlainObject(value) && '$date' in value) {
    const inner = value.$date;
    if (isPlainObject(inner) && typeof inner.$numberLong === 'string') return isoOf(Number(inner.$numberLong));
    return isoOf(inner);
  }
  return null;
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A document from a store as plain JSON: Extended JSON wrappers become their plain form
 * (`{ $oid }` → hex string, `{ $date }` → ISO string, `{ $numberLong }` → number), dates become ISO
 * strings, and anything else non-plain becomes its string form.
 */
export function plainOf(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return isoOf(value);
  if (Array.isArray(value)) return value.map(plainOf);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const inner = value[key];
      if (key === '$oid' && typeof inner === 'string') return inner;
      if (key === '$date') return isoOf(value);
      if ((key === '$numberLong' || key === '$numberInt' || key === '$numberDouble') && typeof inner === 'string') return Number(inner);
      if (key === '$numberDecimal' && typeof inner === 'string') return inner;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainOf(v)]));
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return String(value);
  return value;
}

/** `plainOf` for a document known to be an object. */
export function plainRecord(value: Record<string, unknown>): Record<string, unknown> {
  return plainOf(value) as Record<string, unknown>;
}
