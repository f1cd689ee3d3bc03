import type { Role } from '../model/session';
import { maskValue } from './mask-value';
import {
  MASKING_RULES,
  SECRET_KEY_SEGMENTS,
  UNMASKABLE_BY,
  sensitiveNameCategory,
  type ChangeListRule,
  type ChangeMapRule,
  type FieldRule,
  type MaskCategory,
  type RecordKind,
} from './rules';

/** One value that was masked: where (with array indices), under which rule path, and what it is. */
export interface MaskedField {
  /** `contacts[2].personalEmail` */
  at: string;
  /** The path to name when unmasking: `contacts.personalEmail` (no indices). */
  path: string;
  category: MaskCategory;
}

export interface MaskOutcome<T> {
  record: T;
  masked: MaskedField[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Field names of every explicit rule, so an audit log recording a change to one masks the values. */
const RULE_FIELD_NAMES: ReadonlyMap<string, MaskCategory> = new Map(
  Object.values(MASKING_RULES).flatMap((rules) =>
    rules.fields.map((rule) => [rule.path.split('.').at(-1) ?? rule.path, rule.category] as const).filter(([name]) => name !== '*'),
  ),
);

function categoryOfChangedField(name: unknown): MaskCategory | undefined {
  if (typeof name !== 'string') return undefined;
  return RULE_FIELD_NAMES.get(name) ?? sensitiveNameCategory(name.split('.').at(-1) ?? name);
}

function matches(rulePath: string, path: readonly string[]): boolean {
  const segments = rulePath.split('.');
  return segments.length === path.length && segments.every((segment, index) => segment === '*' || segment === path[index]);
}

/**
 * Masks a record of the given family for a role, deep into nested documents and arrays: the
 * family's rules from the seeds, plus any field whose name is sensitive anywhere (`apiKey` in a
 * channel's configuration). A value is shown in clear only when the role may unmask its category
 * and its path is in `unmasked` (an unmask the policy allowed and the journal recorded). Pure: the
 * input is not changed; objects that are not plain (dates, driver types) are kept or replaced whole.
 */
export function maskRecordDetailed<T>(
  kind: RecordKind | string,
  record: T,
  role: Role,
  unmasked: Iterable<string> = [],
): MaskOutcome<T> {
  const rules = MASKING_RULES[kind as RecordKind] ?? { fields: [] };
  const clear = new Set(unmasked);
  const masked: MaskedField[] = [];

  const visible = (category: MaskCategory, path: string): boolean => UNMASKABLE_BY[category].includes(role) && clear.has(path);

  const hide = (category: MaskCategory, value: unknown, path: readonly string[], at: string): unknown => {
    const joined = path.join('.');
    if (visible(category, joined)) return value;
    masked.push({ at, path: joined, category });
    return maskValue(category, value);
  };

  const categoryOf = (path: readonly string[]): MaskCategory | undefined => {
    const rule: FieldRule | undefined = rules.fields.find((candidate) => matches(candidate.path, path));
    return rule?.category ?? sensitiveNameCategory(path.at(-1) ?? '');
  };

  const changeListAt = (path: readonly string[]): ChangeListRule | undefined =>
    rules.changeLists?.find((candidate) => matches(candidate.path, path));

  const changeMapAt = (path: readonly string[]): ChangeMapRule | undefined =>
    rules.changeMaps?.find((candidate) => matches(candidate.path, path));

  const maskChangeMap = (rule: ChangeMapRule, changes: Record<string, unknown>, path: readonly string[], at: string): unknown => {
    const out: Record<string, unknown> = {};
    for (const [field, change] of Object.entries(changes)) {
      const category = categoryOfChangedField(field);
      const changeAt = at ? `${at}.${field}` : field;
      if (!category) out[field] = walk(change, [...path, field], changeAt);
      else if (!isPlainObject(change)) out[field] = hide(category, change, [...path, field], changeAt);
      else {
        const copy: Record<string, unknown> = { ...change };
        for (const key of rule.valueKeys) {
          if (key in copy) copy[key] = hide(category, copy[key], [...path, field, key], `${changeAt}.${key}`);
        }
        out[field] = copy;
      }
    }
    return out;
  };

  const walk = (value: unknown, path: readonly string[], at: string): unknown => {
    if (Array.isArray(value)) {
      const list = changeListAt(path);
      return value.map((item: unknown, index) => {
        const itemAt = `${at}[${index}]`;
        if (list && isPlainObject(item)) {
          const category = categoryOfChangedField(item[list.fieldKey]);
          if (category) {
            const copy: Record<string, unknown> = { ...item };
            for (const key of list.valueKeys) {
              if (key in copy) copy[key] = hide(category, copy[key], [...path, key], `${itemAt}.${key}`);
            }
            return copy;
          }
        }
        return walk(item, path, itemAt);
      });
    }
    if (!isPlainObject(value)) return value;
    const map = changeMapAt(path);
    if (map && path.length > 0) return maskChangeMap(map, value, path, at);
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const childAt = at ? `${at}.${key}` : key;
      const category = categoryOf(childPath);
      out[key] = category ? hide(category, child, childPath, childAt) : walk(child, childPath, childAt);
    }
    return out;
  };

  return { record: walk(record, [], '') as T, masked };
}

/** `maskRecordDetailed` without the list of what was masked. */
export function maskRecord<T>(kind: RecordKind | string, record: T, role: Role, unmasked: Iterable<string> = []): T {
  return maskRecordDetailed(kind, record, role, unmasked).record;
}

/** Masks the part of a key name that is itself a credential (`t1:session:abcd…` → `t1:session:••••`). */
export function maskKeyName(kind: RecordKind | string, key: string, role: Role, unmasked: Iterable<string> = []): string {
  const rule = SECRET_KEY_SEGMENTS[kind];
  if (!rule) return key;
  if (UNMASKABLE_BY[rule.category].includes(role) && new Set(unmasked).has('<key>')) return key;
  const segments = key.split(':');
  if (segments.length <= rule.segment) return key;
  segments[rule.segment] = String(maskValue(rule.category, segments.slice(rule.segment).join(':')));
  return segments.slice(0, rule.segment + 1).join(':');
}
