import type { IndexFinding, StatsReset } from '@shared/model/indexes';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import type { PostgresBlueprint } from '@shared/tenancy';

/** One index of one tenant as the catalog pass reads it. */
export interface IndexRow {
  tenantId: string;
  schema: string;
  tbl: string;
  name: string;
  display: string;
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  constraint: string | null;
  keys: string[];
  include: string[];
  predicate: string | null;
  sizeBytes: number;
  scans: number;
  tupRead: number;
  tupFetch: number;
  /** When it was last scanned, where the server keeps that (PostgreSQL 16+) and it was asked for. */
  lastScanAt?: string | null;
}

export interface ForeignKeyRow {
  tenantId: string;
  schema: string;
  tbl: string;
  name: string;
  columns: string[];
  referenced: string;
}

export interface FindingOptions {
  statsReset: StatsReset;
  unusedAfterDays: number;
  blueprint: PostgresBlueprint;
  tenantColumn: string | undefined;
}

const MAX_LISTED = 200;

interface Pending {
  finding: Omit<IndexFinding, 'tenantCount' | 'tenantIds' | 'fix' | 'blueprint'>;
  fix: (schema: string) => string;
  tenants: string[];
  firstSchema: string;
}

/** Whether dropping the index would change what the table enforces (a key, a unique rule, a constraint). */
const enforces = (row: IndexRow): boolean => row.unique || row.primary || row.constraint !== null;

/** The one of a pair to keep: the one that enforces something, else the prescribed one, else the first by name. */
function keeper(a: IndexRow, b: IndexRow, prescribed: Set<string>): [keep: IndexRow, drop: IndexRow] {
  const rank = (row: IndexRow): number => (enforces(row) ? 2 : 0) + (prescribed.has(`${row.tbl}\u0000${row.name}`) ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? [a, b] : [b, a];
  return a.name <= b.name ? [a, b] : [b, a];
}

const dropSql = (schema: string, name: string): string => `DROP INDEX CONCURRENTLY ${qualified(schema, name)}`;

/**
 * Findings over every tenant's indexes, grouped across tenants by what they say: an unused index
 * (only once the statistics are older than `unusedAfterDays`, the reset date in the evidence),
 * duplicates (same method, keys, INCLUDE and predicate), redundant ones (keys a leading prefix of
 * another's, same predicate, btree, enforcing nothing), invalid ones (a failed concurrent build),
 * indexes not led by the tenant key where the blueprint leads all its composite ones with it, and
 * foreign keys no index leads with.
 */
export function findIndexProblems(rows: readonly IndexRow[], foreignKeys: readonly ForeignKeyRow[], options: FindingOptions): { findings: IndexFinding[]; unusedChecked: boolean } {
  const pending = new Map<string, Pending>();
  const add = (key: string, schema: string, tenantId: string, make: () => Omit<Pending, 'tenants' | 'firstSchema'>): void => {
    let entry = pending.get(key);
    if (!entry) {
      entry = { ...make(), tenants: [], firstSchema: schema };
      pending.set(key, entry);
    }
    entry.tenants.push(tenantId);
  };
  const prescribed = new Set(options.blueprint.indexes.map((i) => `${i.table}\u0000${i.name}`));
  const unusedChecked = options.statsReset.ageDays >= options.unusedAfterDays;
  const since = options.statsReset.at ? `the statistics reset of ${options.statsReset.at.slice(0, 10)}` : 'the server started';
  const prefixed = tenantPrefixedTables(options.blueprint, options.tenantColumn);

  const byTable = new Map<string, IndexRow[]>();
  for (const row of rows) {
    const key = `${row.schema}\u0000${row.tbl}`;
    const list = byTable.get(key) ?? [];
    list.push(row);
    byTable.set(key, list);

    if (!row.valid) {
      add(`invalid:${row.tbl}:${row.name}`, row.schema, row.tenantId, () => ({
        finding: { kind: 'invalid', table: row.tbl, index: row.name, keptIndex: null, evidence: `${row.name} is marked invalid: a concurrent build failed or was cancelled, and it is kept up to date on writes yet never used by queries.` },
        fix: (schema) => `REINDEX INDEX CONCURRENTLY ${qualified(schema, row.name)}; -- or: ${dropSql(schema, row.name)}`,
      }));
      continue;
    }
    if (unusedChecked && row.scans === 0 && !enforces(row)) {
      add(`unused:${row.tbl}:${row.name}`, row.schema, row.tenantId, () => ({
        finding: { kind: 'unused', table: row.tbl, index: row.name, keptIndex: null, evidence: `No scan of ${row.name} since ${since} (${Math.floor(options.statsReset.ageDays)} days).` },
        fix: (schema) => dropSql(schema, row.name),
      }));
    }
    const column = options.tenantColumn;
    if (column && prefixed.has(row.tbl) && row.method === 'btree' && !enforces(row) && row.keys[0] !== column && row.keys.length > 1) {
      add(`prefix:${row.tbl}:${row.name}`, row.schema, row.tenantId, () => ({
        finding: { kind: 'not_tenant_prefixed', table: row.tbl, index: row.name, keptIndex: null, evidence: `${row.name} (${row.keys.join(', ')}) does not lead with ${column}, as every composite index of the blueprint on ${row.tbl} does.` },
        fix: (schema) => `CREATE INDEX CONCURRENTLY ${quoteIdent(`${row.name}_t`.slice(0, 63))} ON ${qualified(schema, row.tbl)} (${[column, ...row.keys.filter((k) => k !== column)].join(', ')}); ${dropSql(schema, row.name)}`,
      }));
    }
  }

  for (const list of byTable.values()) {
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const a = list[i] as IndexRow;
        const b = list[j] as IndexRow;
        if (!a.valid || !b.valid || a.method !== b.method || a.predicate !== b.predicate) continue;
        const same = a.keys.join('\n') === b.keys.join('\n') && a.include.join('\n') === b.include.join('\n');
        if (same) {
          const [keep, drop] = keeper(a, b, prescribed);
          // Both back constraints: dropping one is ALTER TABLE … DROP CONSTRAINT, a schema decision, not an index fix.
          if (drop.constraint !== null) continue;
          add(`duplicate:${a.tbl}:${drop.name}:${keep.name}`, a.schema, a.tenantId, () => ({
            finding: { kind: 'duplicate', table: a.tbl, index: drop.name, keptIndex: keep.name, evidence: `${drop.name} and ${keep.name} have the same keys (${keep.keys.join(', ')})${keep.predicate ? ` and predicate ${keep.predicate}` : ''}.` },
            fix: (schema) => dropSql(schema, drop.name),
          }));
          continue;
        }
        if (a.method !== 'btree') continue;
        for (const [short, long] of [[a, b], [b, a]] as const) {
          if (enforces(short) || short.keys.length >= long.keys.length) continue;
          if (!short.keys.every((key, k) => long.keys[k] === key)) continue;
          add(`redundant:${a.tbl}:${short.name}:${long.name}`, a.schema, a.tenantId, () => ({
            finding: { kind: 'redundant', table: a.tbl, index: short.name, keptIndex: long.name, evidence: `${short.name} (${short.keys.join(', ')}) is a leading prefix of ${long.name} (${long.keys.join(', ')})${short.predicate ? ` with the same predicate ${short.predicate}` : ''}.` },
            fix: (schema) => dropSql(schema, short.name),
          }));
        }
      }
    }
  }

  for (const fk of foreignKeys) {
    const indexes = byTable.get(`${fk.schema}\u0000${fk.tbl}`) ?? [];
    const covered = indexes.some((ix) => ix.valid && ix.predicate === null && fk.columns.every((column) => ix.keys.slice(0, fk.columns.length).includes(column)));
    if (covered) continue;
    add(`fk:${fk.tbl}:${fk.name}`, fk.schema, fk.tenantId, () => ({
      finding: { kind: 'missing_fk_index', table: fk.tbl, index: null, keptIndex: null, evidence: `Foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.referenced.replace(/^[^.]*\./, '')} has no index leading with its columns: deleting or updating a referenced row scans ${fk.tbl}.` },
      fix: (schema) => `CREATE INDEX CONCURRENTLY ${quoteIdent(`${fk.tbl}_${fk.columns.join('_')}_fk_idx`.slice(0, 63))} ON ${qualified(schema, fk.tbl)} (${fk.columns.map(quoteIdent).join(', ')})`,
    }));
  }

  const findings = [...pending.values()]
    .map(({ finding, fix, tenants, firstSchema }) => ({ ...asBlueprintAware(finding, fix(firstSchema), prescribed), tenantCount: tenants.length, tenantIds: tenants.slice(0, MAX_LISTED) }))
    .sort((x, y) => y.tenantCount - x.tenantCount || x.kind.localeCompare(y.kind) || x.table.localeCompare(y.table));
  return { findings, unusedChecked };
}

/** Findings whose fix drops the index they are about (the others repair it or add one). */
const DROPPING: ReadonlySet<IndexFinding['kind']> = new Set(['unused', 'duplicate', 'redundant', 'not_tenant_prefixed']);

/**
 * A finding about an index the blueprint prescribes stays a finding — the redundancy is real — but
 * offers no DROP: drift would re-create the index in every tenant. The blueprint has to change
 * first, and that is a change to the platform's design, outside Tenantscope. An invalid prescribed
 * index is only offered the rebuild.
 */
function asBlueprintAware(finding: Pending['finding'], fix: string, prescribed: ReadonlySet<string>): Omit<IndexFinding, 'tenantCount' | 'tenantIds'> {
  const fromBlueprint = finding.index !== null && prescribed.has(`${finding.table}\u0000${finding.index}`);
  if (!fromBlueprint) return { ...finding, fix, blueprint: false };
  if (finding.kind === 'invalid') return { ...finding, fix: fix.replace(/; -- or: DROP INDEX .*$/, ''), blueprint: true };
  if (!DROPPING.has(finding.kind)) return { ...finding, fix, blueprint: true };
  return {
    ...finding,
    evidence: `${finding.evidence} The blueprint prescribes ${finding.index}; drop it there first, or drift would re-create it (the blueprint is changed outside Tenantscope).`,
    fix: null,
    blueprint: true,
  };
}

/**
 * Tables where the blueprint leads every composite btree index with the tenant column: there an
 * index that does not is a finding. A blueprint that mixes both on a table requires nothing there.
 */
export function tenantPrefixedTables(blueprint: PostgresBlueprint, tenantColumn: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!tenantColumn) return out;
  const composite = blueprint.indexes.filter((i) => i.method === 'btree' && i.keys.length > 1);
  for (const table of new Set(composite.map((i) => i.table))) {
    const own = composite.filter((i) => i.table === table);
    if (own.every((i) => { const first = i.keys[0]; return first !== undefined && 'column' in first && first.column === tenantColumn; })) out.add(table);
  }
  return out;
}
