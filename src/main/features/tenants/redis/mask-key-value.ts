import { maskRecord, type RecordKind } from '@shared/masking';
import type { Role } from '@shared/model/session';
import type { KeyValue } from '@shared/model/tenant';

/**
 * Masks a Redis value for a role before it leaves the main process: a hash by its field names (the
 * `redis:<family>` rules, e.g. every field of a session, plus sensitive names anywhere), the other
 * types as one value under the family's rules.
 */
export function maskKeyValue(value: KeyValue, family: string, role: Role, unmasked: Iterable<string> = []): KeyValue {
  const kind = `redis:${family}` as RecordKind;
  const paths = [...unmasked];
  switch (value.type) {
    case 'hash': {
      const masked = maskRecord(kind, Object.fromEntries(value.fields), role, paths);
      return { ...value, fields: value.fields.map(([field]) => [field, String(masked[field] ?? '')]) };
    }
    case 'string':
      return { ...value, value: String(maskRecord(kind, { value: value.value }, role, paths).value) };
    case 'list':
      return { ...value, items: value.items.map((item) => String(maskRecord(kind, { value: item }, role, paths).value)) };
    case 'set':
      return { ...value, members: value.members.map((member) => String(maskRecord(kind, { value: member }, role, paths).value)) };
    case 'zset':
      return { ...value, members: value.members.map((m) => ({ ...m, member: String(maskRecord(kind, { value: m.member }, role, paths).value) })) };
  }
}
