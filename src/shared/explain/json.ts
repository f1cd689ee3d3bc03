/** Reading untyped engine JSON without `any`: plans arrive pasted or from drivers. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A number field. Engines print some numbers as strings (Elasticsearch 5 `time_in_nanos`) or as
 * extended JSON (`{ "$numberLong": "12" }` from mongosh's EJSON output).
 */
export function fieldNumber(record: JsonRecord, key: string): number | undefined {
  return asNumber(record[key]);
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (isRecord(value)) {
    for (const key of ['$numberLong', '$numberInt', '$numberDouble', '$numberDecimal']) {
      if (key in value) return asNumber(value[key]);
    }
  }
  return undefined;
}

export function fieldString(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** A shallow copy of `record` without the keys that hold children (kept in `children` instead). */
export function rawWithout(record: JsonRecord, ...keys: string[]): JsonRecord {
  // fromEntries defines own properties, so a pasted "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** JSON on one line, cut to `max` characters. */
export function compactJson(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
