import type { FleetIndex } from '@shared/model/indexes';
import type { PostgresLayout } from '@shared/tenancy';
import { recordsOf } from '../../reading/stores';
import type { ExecutionOptions } from '../../stores/execution';
import { LAST_SCAN_KEPT_SQL, fleetChunkSql, foreignKeysSql, indexRowsSql } from './catalog';
import { FleetMerge, type FleetChunkRow } from './fleet';
import type { ForeignKeyRow, IndexRow } from './findings';
import { registryPresent, schemaNames, type Reader } from './passes';

const num = (value: unknown): number => Number(value ?? 0);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Whether the server keeps each index's last scan time (PostgreSQL 16 and later). */
export async function lastScanKept(pg: Reader, options: ExecutionOptions): Promise<boolean> {
  return recordsOf(await pg.query(LAST_SCAN_KEPT_SQL, [], undefined, options))[0]?.kept === true;
}

const isoOf = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? new Date(value).toISOString() : null);

/**
 * Every index of the given schemas (null: all tenant schemas), optionally of one table: one
 * statement. `lastScan` reads each index's last scan time, which only PostgreSQL 16+ keeps.
 */
export async function readIndexRows(
  pg: Reader,
  layout: PostgresLayout,
  schemas: string[] | null,
  table: string | undefined,
  options: ExecutionOptions,
  lastScan = false,
): Promise<IndexRow[]> {
  const registry = await registryPresent(pg, layout, options);
  const rows = recordsOf(await pg.query(indexRowsSql(layout, registry, lastScan), [layout.schemaPrefix, schemas, null, null, table ?? null], undefined, options));
  return rows.map((r) => ({
    tenantId: String(r.tenant_id),
    schema: String(r.schema),
    tbl: String(r.tbl),
    name: String(r.name),
    display: String(r.display ?? ''),
    method: String(r.method),
    unique: r.is_unique === true,
    primary: r.is_primary === true,
    valid: r.valid === true,
    constraint: r.constraint_name === null ? null : String(r.constraint_name),
    keys: texts(r.keys),
    include: texts(r.include),
    predicate: r.predicate === null ? null : String(r.predicate),
    sizeBytes: num(r.size_bytes),
    scans: num(r.scans),
    tupRead: num(r.tup_read),
    tupFetch: num(r.tup_fetch),
    lastScanAt: isoOf(r.last_scan),
  }));
}

export async function readForeignKeys(pg: Reader, layout: PostgresLayout, schemas: string[] | null, table: string | undefined, options: ExecutionOptions): Promise<ForeignKeyRow[]> {
  const registry = await registryPresent(pg, layout, options);
  const rows = recordsOf(await pg.query(foreignKeysSql(layout, registry), [layout.schemaPrefix, schemas, null, null, table ?? null], undefined, options));
  return rows.map((r) => ({
    tenantId: String(r.tenant_id),
    schema: String(r.schema),
    tbl: String(r.tbl),
    name: String(r.name),
    columns: texts(r.columns),
    referenced: String(r.referenced),
  }));
}

export interface FleetPass {
  schemasTotal: number;
  rows: FleetIndex[];
}

/**
 * The fleet view in chunks of `chunkSize` tenant schemas (by name, so each chunk is one range
 * read of the catalogs and no schema is read twice); `onChunk` gets the rows merged so far after each.
 */
export async function readFleet(
  pg: Reader,
  layout: PostgresLayout,
  prescribed: ReadonlySet<string>,
  request: { table?: string | undefined; chunkSize: number },
  onChunk: (done: number, total: number, rows: FleetIndex[]) => void,
  options: ExecutionOptions,
): Promise<FleetPass> {
  const names = await schemaNames(pg, layout, null, options);
  const registry = await registryPresent(pg, layout, options);
  const sql = fleetChunkSql(layout, registry);
  const merge = new FleetMerge();
  let after: string | null = null;
  for (let start = 0; start < names.length; start += request.chunkSize) {
    const last = names[Math.min(start + request.chunkSize, names.length) - 1] ?? null;
    const chunk = recordsOf(await pg.query(sql, [layout.schemaPrefix, null, after, last, request.table ?? null], undefined, options));
    merge.add(
      chunk.map(
        (r): FleetChunkRow => ({
          tbl: String(r.tbl),
          name: String(r.name),
          display: String(r.display ?? ''),
          tenants: num(r.tenants),
          sizeBytes: num(r.size_bytes),
          scans: num(r.scans),
          usedIn: num(r.used_in),
          neverUsedIn: num(r.never_used_in),
          invalidIn: num(r.invalid_in),
          top: (Array.isArray(r.top) ? r.top : []).map((t: { tenantId?: unknown; scans?: unknown }) => ({ tenantId: String(t.tenantId), scans: num(t.scans) })),
        }),
      ),
    );
    after = last;
    onChunk(Math.min(start + request.chunkSize, names.length), names.length, merge.rows(prescribed));
  }
  return { schemasTotal: names.length, rows: merge.rows(prescribed) };
}
