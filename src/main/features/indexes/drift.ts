import { createHash } from 'node:crypto';
import type { DriftGroup, DriftObject } from '@shared/model/indexes';
import type { PostgresBlueprint } from '@shared/tenancy';
import type { ReferenceObject } from './reference';

/** One row of the drift statement: a schema's object that differs from the reference. */
export interface DriftRow {
  tenantId: string;
  schema: string;
  object: DriftObject;
  tbl: string;
  name: string;
  change: 'missing' | 'different' | 'extra';
  /** The live definition (null when missing). */
  def: string | null;
}

/** The parts of `UNIQUE USING btree (a, b DESC) INCLUDE (c) WHERE (x)`, as the catalog pass writes an index. */
export interface IndexParts {
  unique: boolean;
  method: string;
  keys: string[];
  include: string[];
  predicate: string | null;
}

/** Reads a parenthesised group starting at `from` (which must be `(`); returns its inside and the index after it. */
function group(text: string, from: number): { inside: string; end: number } {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return { inside: text.slice(from + 1, i), end: i + 1 };
  }
  return { inside: text.slice(from + 1), end: text.length };
}

/** Splits on top-level commas (not those inside parentheses or quotes). */
function splitTop(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < list.length; i += 1) {
    const c = list[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = list.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

export function indexParts(def: string): IndexParts {
  const unique = def.startsWith('UNIQUE ');
  const rest = unique ? def.slice('UNIQUE '.length) : def;
  const method = /^USING (\S+) /.exec(rest)?.[1] ?? '';
  const open = rest.indexOf('(');
  const keys = open >= 0 ? group(rest, open) : { inside: '', end: rest.length };
  let tail = rest.slice(keys.end);
  let include: string[] = [];
  if (tail.startsWith(' INCLUDE (')) {
    const inc = group(tail, ' INCLUDE '.length);
    include = splitTop(inc.inside);
    tail = tail.slice(inc.end);
  }
  const predicate = tail.startsWith(' WHERE ') ? tail.slice(' WHERE '.length) : null;
  return { unique, method, keys: splitTop(keys.inside), include, predicate };
}

/** Which parts of two index definitions differ; `column order` when the keys are the same set in another order. */
export function indexDifferences(expected: string, actual: string): string[] {
  const a = indexParts(expected);
  const b = indexParts(actual);
  const out: string[] = [];
  if (a.unique !== b.unique) out.push('unique');
  if (a.method !== b.method) out.push('method');
  if (a.keys.join('\n') !== b.keys.join('\n')) {
    const sameSet = a.keys.length === b.keys.length && [...a.keys].sort().join('\n') === [...b.keys].sort().join('\n');
    out.push(sameSet ? 'column order' : 'keys');
  }
  if (a.include.join('\n') !== b.include.join('\n')) out.push('include');
  if (a.predicate !== b.predicate) out.push('predicate');
  return out.length > 0 ? out : ['definition'];
}

const COMMANDS: Record<string, string> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

/** A policy definition of the catalog pass (`cmd \x01 using \x01 check \x01 permissive`) in words. */
export function policyText(def: string): string {
  const [cmd = '', using = '', check = '', permissive = 'true'] = def.split('\u0001');
  const parts = [`${permissive === 'true' ? '' : 'AS RESTRICTIVE '}FOR ${COMMANDS[cmd] ?? cmd}`];
  if (using) parts.push(`USING (${using})`);
  if (check) parts.push(`WITH CHECK (${check})`);
  return parts.join(' ');
}

export function policyDifferences(expected: string, actual: string): string[] {
  const a = expected.split('\u0001');
  const b = actual.split('\u0001');
  const names = ['command', 'using', 'with_check', 'permissive'];
  const out = names.filter((_, i) => a[i] !== b[i]);
  return out.length > 0 ? out : ['definition'];
}

/** A definition as people read it. */
export function displayOf(object: DriftObject, def: string | null): string | null {
  if (def === null) return null;
  if (object === 'policy') return policyText(def);
  if (object === 'row_level_security') return def === 'true' ? 'enabled' : 'disabled';
  return def;
}

function differencesOf(object: DriftObject, expected: string, actual: string): string[] {
  if (object === 'index') return indexDifferences(expected, actual);
  if (object === 'policy') return policyDifferences(expected, actual);
  if (object === 'row_level_security') return ['enabled'];
  return ['definition'];
}

const OBJECT_WORD: Record<DriftObject, string> = {
  index: 'index',
  constraint: 'constraint',
  policy: 'policy',
  row_level_security: 'row-level security',
  trigger: 'trigger',
};

function titleOf(row: Pick<DriftRow, 'object' | 'tbl' | 'name' | 'change' | 'def'>, differences: string[]): string {
  if (row.object === 'row_level_security') return `row-level security ${row.def === 'true' ? 'enabled' : 'disabled'} on ${row.tbl}`;
  const what = `${OBJECT_WORD[row.object]} ${row.name} on ${row.tbl}`;
  if (row.change === 'missing') return `missing ${what}`;
  if (row.change === 'extra') return `extra ${what} (not in the blueprint)`;
  return `${what}: ${differences.join(', ')} ${differences.length === 1 ? 'differs' : 'differ'}`;
}

/** Where the blueprint took an object from, for the report's pointer into the seed. */
export function sourceOf(blueprint: PostgresBlueprint, object: DriftObject, tbl: string, name: string): string | null {
  if (object === 'index') return blueprint.indexes.find((i) => i.table === tbl && i.name === name)?.source ?? null;
  if (object === 'policy') return blueprint.policies.find((p) => p.table === tbl && p.name === name)?.source ?? null;
  if (object === 'trigger') return blueprint.triggers.find((t) => t.table === tbl && t.name === name)?.source ?? null;
  return blueprint.tables.find((t) => t.name === tbl)?.source ?? null;
}

const digest = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 12);

/** The key of the group a drift row belongs to: same object, same change, same live definition. */
export function groupKeyOf(row: Pick<DriftRow, 'object' | 'tbl' | 'name' | 'change' | 'def'>): string {
  return `${row.object}:${row.tbl}:${row.name}:${row.change}${row.def === null ? '' : `:${digest(row.def)}`}`;
}

const MAX_LISTED_TENANTS = 1_000;

/**
 * Groups drift rows by finding ("missing idx_cases_status_priority: 37 tenants"), largest first,
 * each with the blueprint's and the tenants' definitions and which parts differ.
 */
export function groupDrift(rows: Iterable<DriftRow>, reference: readonly ReferenceObject[], blueprint: PostgresBlueprint): DriftGroup[] {
  const expected = new Map(reference.map((r) => [`${r.object}:${r.tbl}:${r.name}`, r.def]));
  const groups = new Map<string, DriftGroup>();
  for (const row of rows) {
    const key = groupKeyOf(row);
    let found = groups.get(key);
    if (!found) {
      const want = expected.get(`${row.object}:${row.tbl}:${row.name}`) ?? null;
      const differences = row.change === 'different' && want !== null && row.def !== null ? differencesOf(row.object, want, row.def) : [];
      found = {
        key,
        object: row.object,
        change: row.change,
        table: row.tbl,
        name: row.name,
        title: titleOf(row, differences),
        differences,
        expected: displayOf(row.object, want),
        actual: displayOf(row.object, row.def),
        source: sourceOf(blueprint, row.object, row.tbl, row.name),
        tenantCount: 0,
        tenantIds: [],
      };
      groups.set(key, found);
    }
    found.tenantCount += 1;
    if (found.tenantIds.length < MAX_LISTED_TENANTS) found.tenantIds.push(row.tenantId);
  }
  return [...groups.values()].sort((a, b) => b.tenantCount - a.tenantCount || a.key.localeCompare(b.key));
}
