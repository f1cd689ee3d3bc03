import { MongoIndexSpec } from '@shared/model/indexes';

export const MONGO_KEY_KINDS = ['1', '-1', 'text', '2dsphere', 'hashed'] as const;
export type MongoKeyKind = (typeof MONGO_KEY_KINDS)[number];

export interface MongoKeyRow {
  field: string;
  kind: MongoKeyKind;
}

/** The MongoDB create-index form as typed: every field a string or a switch, read by `mongoSpecOf`. */
export interface MongoIndexForm {
  name: string;
  keys: MongoKeyRow[];
  unique: boolean;
  hidden: boolean;
  /** A JSON object, or empty. */
  partialFilter: string;
  /** Whole seconds, or empty for no TTL. */
  ttlSeconds: string;
  /** A JSON object of field → weight (text indexes), or empty. */
  weights: string;
  defaultLanguage: string;
  collationLocale: string;
  /** 1–5, or empty. */
  collationStrength: string;
}

export const EMPTY_MONGO_INDEX_FORM: MongoIndexForm = {
  name: '',
  keys: [{ field: '', kind: '1' }],
  unique: false,
  hidden: false,
  partialFilter: '',
  ttlSeconds: '',
  weights: '',
  defaultLanguage: '',
  collationLocale: '',
  collationStrength: '',
};

export type MongoFormField = 'name' | 'keys' | 'unique' | 'partialFilter' | 'ttlSeconds' | 'weights' | 'defaultLanguage' | 'collation' | 'spec';
export type MongoFormErrors = Partial<Record<MongoFormField, string>>;

const keyValue = (kind: MongoKeyKind): 1 | -1 | 'text' | '2dsphere' | 'hashed' => (kind === '1' ? 1 : kind === '-1' ? -1 : kind);

/** The name MongoDB itself would give: `tenant_id_1_created_at_-1`. */
export function defaultMongoIndexName(keys: readonly MongoKeyRow[]): string {
  return keys
    .filter((k) => k.field.trim())
    .map((k) => `${k.field.trim()}_${k.kind}`)
    .join('_');
}

function jsonObject(text: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'a JSON object, like { "status": { "$exists": true } }' };
    return { value: parsed as Record<string, unknown> };
  } catch (failure) {
    return { error: `not JSON: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
}

/**
 * The contract's index spec from the form, or what is wrong with it, field by field. Checks what
 * MongoDB would refuse anyway — a unique hashed index, a TTL on more than one field, weights
 * without a text key — so the person reads it before a job is started.
 */
export function mongoSpecOf(form: MongoIndexForm): { spec: MongoIndexSpec; errors: MongoFormErrors } | { spec: null; errors: MongoFormErrors } {
  const errors: MongoFormErrors = {};
  const keys = form.keys.filter((k) => k.field.trim() !== '');
  const fields = keys.map((k) => k.field.trim());
  if (keys.length === 0) errors.keys = 'at least one field';
  else if (fields.some((f) => f.startsWith('$') || f.includes('\0'))) errors.keys = 'a field path cannot start with $';
  else if (new Set(fields).size !== fields.length) errors.keys = 'each field once';
  else if (keys.filter((k) => k.kind === 'hashed').length > 1) errors.keys = 'at most one hashed field';

  const hasText = keys.some((k) => k.kind === 'text');
  if (form.unique && keys.some((k) => k.kind === 'hashed')) errors.unique = 'a hashed index cannot be unique';

  let partialFilterExpression: Record<string, unknown> | undefined;
  if (form.partialFilter.trim()) {
    const parsed = jsonObject(form.partialFilter);
    if (parsed.error) errors.partialFilter = parsed.error;
    partialFilterExpression = parsed.value;
  }

  let expireAfterSeconds: number | undefined;
  if (form.ttlSeconds.trim()) {
    const seconds = Number(form.ttlSeconds.trim());
    if (!/^\d+$/.test(form.ttlSeconds.trim()) || seconds > 2_147_483_647) errors.ttlSeconds = 'whole seconds, 0 to 2147483647';
    else if (keys.length !== 1 || keys[0]?.kind === 'text' || keys[0]?.kind === 'hashed') errors.ttlSeconds = 'a TTL index has exactly one ascending or descending field (a date)';
    else expireAfterSeconds = seconds;
  }

  let weights: Record<string, number> | undefined;
  if (form.weights.trim()) {
    const parsed = jsonObject(form.weights);
    if (parsed.error) errors.weights = parsed.error;
    else if (!hasText) errors.weights = 'weights belong to a text index: give a field the kind text';
    else if (!Object.values(parsed.value ?? {}).every((w) => Number.isInteger(w) && (w as number) >= 1 && (w as number) <= 99_999)) errors.weights = 'each weight a whole number from 1 to 99999';
    else weights = parsed.value as Record<string, number>;
  }
  if (form.defaultLanguage.trim() && !hasText) errors.defaultLanguage = 'a default language belongs to a text index';

  let collation: MongoIndexSpec['collation'];
  const locale = form.collationLocale.trim();
  const strength = form.collationStrength.trim();
  if (strength && !locale) errors.collation = 'a collation needs its locale';
  else if (locale) {
    if (strength && !/^[1-5]$/.test(strength)) errors.collation = 'strength 1 to 5';
    else collation = { locale, ...(strength ? { strength: Number(strength) } : {}) };
  }

  if (Object.keys(errors).length > 0) return { spec: null, errors };
  const candidate = {
    name: form.name.trim() || defaultMongoIndexName(keys),
    key: keys.map((k): [string, 1 | -1 | 'text' | '2dsphere' | 'hashed'] => [k.field.trim(), keyValue(k.kind)]),
    ...(form.unique ? { unique: true } : {}),
    ...(partialFilterExpression ? { partialFilterExpression } : {}),
    ...(expireAfterSeconds !== undefined ? { expireAfterSeconds } : {}),
    ...(weights ? { weights } : {}),
    ...(form.defaultLanguage.trim() ? { defaultLanguage: form.defaultLanguage.trim() } : {}),
    ...(collation ? { collation } : {}),
    ...(form.hidden ? { hidden: true } : {}),
  };
  const parsed = MongoIndexSpec.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field: MongoFormField = issue?.path[0] === 'name' ? 'name' : issue?.path[0] === 'key' ? 'keys' : 'spec';
    return { spec: null, errors: { [field]: issue?.message ?? 'not a valid index' } };
  }
  return { spec: parsed.data, errors: {} };
}

/** Moves key row `index` up (-1) or down (+1); the order of the rows is the order of the index. */
export function moveKey(keys: readonly MongoKeyRow[], index: number, by: -1 | 1): MongoKeyRow[] {
  const to = index + by;
  if (to < 0 || to >= keys.length) return [...keys];
  const next = [...keys];
  const [moved] = next.splice(index, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

/**
 * JSON for people: a value that fits on a line of about 64 characters stays on one line, a larger
 * one opens up one level at a time — the command preview stays short without hiding its shape.
 */
export function compactJson(value: unknown, indent = ''): string {
  const flat = oneLine(value);
  if (flat.length + indent.length <= 64 || typeof value !== 'object' || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => `${inner}${compactJson(item, inner)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${compactJson(item, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** `{ "a": [1, 2] }`: JSON on one line with a space after each separator; strings exactly as JSON writes them. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}
