import { quoteIdent, MAX_IDENTIFIER_BYTES } from '../../sql/identifiers';
import type { PlanCondition } from '../model';

/** A column a condition compares, and whether a b-tree can use the comparison as equality or range. */
export interface ConditionColumn {
  column: string;
  use: 'equality' | 'range';
}

/**
 * The indexable comparisons in PostgreSQL's printed conditions, in the order they appear:
 * `(status = 'open'::text)`, `(created_at >= '…')`, `(id = ANY ('{…}'))`, `(c.case_id = n.id)`.
 * Negations, `IS NOT NULL`, LIKE patterns with a leading wildcard and expressions over a column
 * (`lower(title) = …`) cannot lead a plain b-tree and are left out.
 */
export function conditionColumns(conditions: readonly PlanCondition[] | undefined, kinds: readonly PlanCondition['kind'][]): ConditionColumn[] {
  const out: ConditionColumn[] = [];
  const seen = new Set<string>();
  for (const condition of conditions ?? []) {
    if (!kinds.includes(condition.kind)) continue;
    // A varchar column is printed cast to text, `((title)::text = 'x'::text)`; its b-tree serves that comparison.
    const pattern = /\(\s*\(?(?:[A-Za-z_][\w$]*\.)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\)::(?:"[^"]+"|[A-Za-z_][\w ]*?))?\s+(= ANY|=|<=|>=|<|>|~~\*|~~|IS NULL)\s*('(?:[^']|'')*')?/g;
    for (const match of condition.text.matchAll(pattern)) {
      const name = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replaceAll('""', '"') : match[1]!;
      const op = match[2]!;
      const literal = match[3];
      if ((op === '~~' || op === '~~*') && (op === '~~*' || literal === undefined || /^'[%_]/.test(literal))) continue;
      const use: ConditionColumn['use'] = op === '=' || op === '= ANY' || op === 'IS NULL' ? 'equality' : 'range';
      if (seen.has(name)) {
        // A column compared both ways (a = 1 AND a < 5) is used as equality.
        if (use === 'equality') out.find((c) => c.column === name)!.use = 'equality';
        continue;
      }
      seen.add(name);
      out.push({ column: name, use });
    }
  }
  return out;
}

/** Tenant key first, then equality columns, then range columns: the order a b-tree serves them best. */
export function indexColumns(tenantKey: string, columns: readonly ConditionColumn[]): string[] {
  const ordered = [tenantKey];
  for (const use of ['equality', 'range'] as const) {
    for (const c of columns) if (c.use === use && !ordered.includes(c.column)) ordered.push(c.column);
  }
  return ordered;
}

/** PostgreSQL's own naming (`table_col1_col2_idx`), cut to fit an identifier. */
export function indexName(table: string, columns: readonly string[]): string {
  const base = `${table}_${columns.join('_')}`.replace(/[^\w]/g, '_');
  const maxBase = MAX_IDENTIFIER_BYTES - '_idx'.length;
  return `${base.slice(0, maxBase)}_idx`;
}

/** The exact statement: identifiers quoted, CONCURRENTLY so a live tenant keeps writing while it builds. */
export function createIndexSql(options: { schema?: string; table: string; columns: readonly string[]; concurrently: boolean }): string {
  const table = options.schema ? `${quoteIdent(options.schema)}.${quoteIdent(options.table)}` : quoteIdent(options.table);
  const concurrently = options.concurrently ? 'CONCURRENTLY ' : '';
  return `CREATE INDEX ${concurrently}IF NOT EXISTS ${quoteIdent(indexName(options.table, options.columns))} ON ${table} (${options.columns.map(quoteIdent).join(', ')});`;
}

export function qualifiedTable(schema: string | undefined, table: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}
