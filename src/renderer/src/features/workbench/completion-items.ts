import type { CatalogEntry, WorkbenchEngine } from '@shared/model/workbench';

/** One suggestion, before Monaco dresses it: what to show, what to insert, and what kind of thing it is. */
export interface Suggestion {
  label: string;
  insert: string;
  kind: 'table' | 'column' | 'field' | 'keyword' | 'operator';
  detail?: string;
}

/** What the editor completes for the active tab: its engine, catalog, and chosen collection or index. */
export interface CompletionSource {
  engine: WorkbenchEngine;
  entries: readonly CatalogEntry[];
  collection?: string | null;
  index?: string | null;
}

const SQL_KEYWORDS = ['select', 'from', 'where', 'join', 'left join', 'group by', 'order by', 'limit', 'having', 'with', 'and', 'or', 'not', 'in', 'is null', 'count(*)', 'distinct', 'explain'];
const MONGO_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$and', '$or', '$not', '$elemMatch', '$size'];
const MONGO_STAGES = ['$match', '$group', '$project', '$sort', '$limit', '$skip', '$unwind', '$lookup', '$count', '$addFields', '$facet'];
const ES_KEYWORDS = ['query', 'bool', 'must', 'filter', 'should', 'must_not', 'match', 'match_phrase', 'term', 'terms', 'range', 'exists', 'aggs', 'sort', 'size', 'from', '_source', 'track_total_hits'];

const IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;

/** A name as SQL needs it: bare when it is a plain lower-case identifier, double-quoted otherwise. */
export function sqlName(name: string): string {
  return IDENTIFIER.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Tables named after FROM or JOIN, with their aliases: `from cases c join users as u` → c → cases, u → users. */
export function tablesInQuery(text: string, tables: ReadonlySet<string>): Map<string, string> {
  const named = new Map<string, string>();
  const pattern = /\b(?:from|join)\s+("?[\w$]+"?(?:\."?[\w$]+"?)?)(?:\s+(?:as\s+)?("?[\w$]+"?))?/gi;
  for (const match of text.matchAll(pattern)) {
    const table = unquote(match[1]!.split('.').pop()!);
    if (!tables.has(table)) continue;
    named.set(table, table);
    const alias = match[2] ? unquote(match[2]) : null;
    if (alias && !/^(where|join|left|right|inner|outer|on|group|order|limit|cross|full|natural|using)$/i.test(alias)) named.set(alias, table);
  }
  return named;
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

function columnsOf(entry: CatalogEntry): Suggestion[] {
  return entry.fields.map((field) => ({ label: field.name, insert: sqlName(field.name), kind: 'column', detail: `${entry.name} · ${field.type}` }));
}

/** SQL: after `alias.` that table's columns; after FROM/JOIN the tables; otherwise tables, the named tables' columns and keywords. */
export function sqlSuggestions(source: CompletionSource, before: string, whole: string): Suggestion[] {
  const byName = new Map(source.entries.map((entry) => [entry.name, entry]));
  const named = tablesInQuery(whole, new Set(byName.keys()));
  const qualified = /("?[\w$]+"?)\.\s*[\w$]*$/.exec(before);
  if (qualified) {
    const table = named.get(unquote(qualified[1]!)) ?? unquote(qualified[1]!);
    const entry = byName.get(table);
    return entry ? columnsOf(entry) : [];
  }
  const tables: Suggestion[] = source.entries.map((entry) => ({ label: entry.name, insert: sqlName(entry.name), kind: 'table', detail: entry.kind }));
  if (/\b(from|join|into|update|table)\s+[\w$"]*$/i.test(before)) return tables;
  const referenced = [...new Set(named.values())].map((name) => byName.get(name)!);
  const columns = referenced.flatMap(columnsOf);
  return [...columns, ...tables, ...SQL_KEYWORDS.map((word): Suggestion => ({ label: word, insert: word, kind: 'keyword' }))];
}

/**
 * Documents (MongoDB filters and pipelines, Elasticsearch bodies): the field names, quoted unless
 * the cursor already follows a quote, and the engine's operators or DSL words.
 */
export function documentSuggestions(source: CompletionSource, before: string): Suggestion[] {
  const inString = /"[^"]*$/.test(before.slice(before.lastIndexOf('\n') + 1));
  const quote = (word: string) => (inString ? word : `"${word}"`);
  const fields = fieldsFor(source).map((field): Suggestion => ({ label: field.name, insert: quote(field.name), kind: 'field', detail: field.type }));
  const words = source.engine === 'mongo' ? [...MONGO_OPERATORS, ...MONGO_STAGES] : ES_KEYWORDS;
  return [...fields, ...words.map((word): Suggestion => ({ label: word, insert: quote(word), kind: source.engine === 'mongo' ? 'operator' : 'keyword' }))];
}

/** The fields of the chosen collection, or of every index the chosen name or pattern covers. */
function fieldsFor(source: CompletionSource): CatalogEntry['fields'] {
  if (source.engine === 'mongo') return source.entries.find((entry) => entry.name === source.collection)?.fields ?? [];
  if (!source.index) return [];
  const pattern = new RegExp(`^${source.index.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  const seen = new Map<string, string>();
  for (const entry of source.entries) if (pattern.test(entry.name)) for (const field of entry.fields) if (!seen.has(field.name)) seen.set(field.name, field.type);
  return [...seen].map(([name, type]) => ({ name, type }));
}

export function suggestionsFor(source: CompletionSource, before: string, whole: string): Suggestion[] {
  if (source.engine === 'postgres') return sqlSuggestions(source, before, whole);
  if (source.engine === 'mongo' || source.engine === 'elastic') return documentSuggestions(source, before);
  return [];
}
