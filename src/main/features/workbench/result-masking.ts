import { MASKING_RULES, UNMASKABLE_BY, maskKeyName, maskRecordDetailed, maskValue, sensitiveNameCategory, type MaskCategory, type RecordKind } from '@shared/masking';
import type { Role } from '@shared/model/session';
import type { StoreKind } from '@shared/model/workspace';
import type { WorkbenchTarget } from '@shared/model/workbench';

/** Who reads a result and what they have unmasked (with a recorded reason) in the tenant it comes from. */
export interface ResultMasking {
  role: Role;
  unmaskedPaths(kind: RecordKind): readonly string[];
}

/** A masked column of a row result: its category and the record families whose rules name it. */
export interface ColumnRule {
  category: MaskCategory;
  kinds: RecordKind[];
}

/**
 * A row result (PostgreSQL, Redis) has column names but no record family: the query may join
 * anything. A column is masked when a rule of the engine's families names a top-level field so
 * (`email`, `password_hash` of `postgres:users`), or when its name is sensitive anywhere
 * (`api_key`, `token`). Masking an `email` of another table too errs on the side of the secret.
 */
export function columnRule(engine: StoreKind, name: string): ColumnRule | undefined {
  const kinds: RecordKind[] = [];
  let category: MaskCategory | undefined;
  for (const [kind, rules] of Object.entries(MASKING_RULES) as Array<[RecordKind, (typeof MASKING_RULES)[RecordKind]]>) {
    if (!kind.startsWith(`${engine}:`)) continue;
    const rule = rules.fields.find((field) => field.path === name);
    if (!rule) continue;
    kinds.push(kind);
    category ??= rule.category;
  }
  category ??= sensitiveNameCategory(name);
  return category ? { category, kinds } : undefined;
}

/** Whether the caller sees a masked column in clear: a role that may, with an unmask of that field in one of its families. */
export function columnVisible(rule: ColumnRule, name: string, masking: ResultMasking): boolean {
  return UNMASKABLE_BY[rule.category].includes(masking.role) && rule.kinds.some((kind) => masking.unmaskedPaths(kind).includes(name));
}

/** One cell of a masked column, as the caller may see it. */
export function maskCell(rule: ColumnRule, value: unknown): unknown {
  return maskValue(rule.category, value);
}

/** The family a JSON value of a row result is masked as: only names that are sensitive anywhere apply. */
export function rowJsonKind(engine: StoreKind): RecordKind {
  return `${engine}:workbench`;
}

/** Masks a JSON value deep; the top-level fields that held a masked value come back too. */
export function maskJson<T>(kind: RecordKind, value: T, masking: ResultMasking): { value: T; maskedFields: Set<string> } {
  const { record, masked } = maskRecordDetailed(kind, value, masking.role, masking.unmaskedPaths(kind));
  return { value: record, maskedFields: new Set(masked.map((field) => field.path.split('.')[0] ?? field.path)) };
}

/**
 * The record family documents of a target are masked as: the collection (`mongo:clientcontacts`),
 * or the index entity without its tenant, pattern and month (`elastic:audit-logs`).
 */
export function documentKind(target: WorkbenchTarget): RecordKind | undefined {
  if (target.engine === 'mongo') return `mongo:${target.collection}`;
  if (target.engine === 'elastic') {
    const entity = target.index
      .replace(/\*+$/, '')
      .replace(/-\d{4}[.-]\d{2}(?:[.-]\d{2})?$/, '')
      .replace(/-+$/, '');
    return `elastic:${entity}`;
  }
  return undefined;
}

/** A key of the session family (`<tenant>:session:<session id>`): its last part is a credential. */
const SESSION_KEY = /^[^:\s]+:session:./;

/**
 * One Redis reply row (`item`, `reply`): the reply to a hash field whose name is sensitive
 * (`token`, `password`) is masked as that field, and a session key named in a reply (KEYS, SCAN)
 * loses its session id, as the key browser shows it. Rows do not say which key a reply came from,
 * so a session hash's other fields are shown as read.
 */
export function maskRedisReply(item: unknown, reply: unknown, masking: ResultMasking): { value: unknown; masked: boolean } {
  const category = typeof item === 'string' ? sensitiveNameCategory(item) : undefined;
  if (category && reply !== null && reply !== undefined) {
    if (UNMASKABLE_BY[category].includes(masking.role) && masking.unmaskedPaths('redis:workbench').includes(String(item))) return { value: reply, masked: false };
    return { value: maskValue(category, reply), masked: true };
  }
  if (typeof reply === 'string' && SESSION_KEY.test(reply)) {
    const value = maskKeyName('redis:session', reply, masking.role, masking.unmaskedPaths('redis:session'));
    return { value, masked: value !== reply };
  }
  return { value: reply, masked: false };
}
