import { createHash } from 'node:crypto';
import type { AuditEntry } from '@shared/model/audit';

/**
 * The canonical JSON of a value, the only form ever hashed or written to a journal:
 *
 * - objects: members sorted by key in ascending UTF-16 code-unit order (`Array.prototype.sort`
 *   without a comparator), members whose value is `undefined` left out;
 * - arrays: elements in order (`undefined` is refused, not turned into `null`);
 * - strings: as `JSON.stringify` escapes them (`"`, `\`, control characters, lone surrogates);
 * - numbers: finite only, as `JSON.stringify` writes them (shortest round-trip form, `-0` as `0`);
 * - `true`, `false`, `null`;
 * - no whitespace anywhere; encoded as UTF-8.
 *
 * For the values an entry can hold this is RFC 8785 (JSON Canonicalization Scheme), so the chain
 * can be recomputed by any language with a JCS library.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item: unknown) => {
            if (item === undefined) throw new TypeError('canonical JSON has no form for undefined in an array');
            return canonicalJson(item);
          })
          .join(',')}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON takes plain objects only, not ${value.constructor?.name ?? 'this object'}`);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}

/** Lower-case hex SHA-256 of the canonical JSON of the entry without its `hash`. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/** The journal line of an entry: its canonical JSON, hash included, and a newline. */
export function journalLine(entry: AuditEntry): string {
  return `${canonicalJson(entry)}\n`;
}
