import { AppError } from '@shared/errors';
import type { Month } from '@shared/model/lifecycle';
import type { DefaultRows, DefaultRowsMonth } from '@shared/model/partitions';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import type { TenancyPreset } from '@shared/tenancy';
import type { JobResult } from '../../jobs';
import { jobTag } from '../../jobs/demo-kinds';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace, PostgresSession } from '../../stores/postgres/face';
import { coverOf, readInventory, type ReadTable, type TenantInventory } from './inventory';
import { addMonths, boundLiteral, monthStartMs } from './months';
import { createPartitionSql } from './plans';

/**
 * Rows of a default partition, counted by month, and the job that moves them into their months'
 * partitions: detach the default, create each month's partition, move its rows with
 * `DELETE … RETURNING` into it, reattach the default — one transaction, with the table's row count
 * compared before and after (a difference rolls it all back).
 */

type Reader = Pick<PostgresFace, 'query'>;

/** The table as the catalog has it in one tenant, with refusals a person can act on. */
export async function tenantTable(pg: Reader, preset: TenancyPreset, tenantId: string, table: string, options: ExecutionOptions): Promise<{ tenant: TenantInventory; table: ReadTable }> {
  const { tenants } = await readInventory(pg, preset, { tenantIds: [tenantId] }, options);
  const tenant = tenants[0];
  if (!tenant) throw new AppError('not_found', `Tenant ${tenantId} has no schema here.`);
  const found = tenant.tables.find((t) => t.table === table);
  if (!found) throw new AppError('not_found', `Tenant ${tenantId} has no partitioned table ${table}.`);
  return { tenant, table: found };
}

function monthlyWithDefault(tenantId: string, table: ReadTable): { keyColumn: string; defaultName: string } {
  if (!table.monthly || !table.keyColumn) throw new AppError('invalid_argument', `${table.table} is not range-partitioned on one date or timestamp column; its rows have no month to go to.`);
  if (!table.defaultPartition || table.defaultPartition.state === 'detached') throw new AppError('invalid_argument', `${table.table} of tenant ${tenantId} has no default partition attached.`);
  return { keyColumn: table.keyColumn, defaultName: table.defaultPartition.name };
}

/** The month of a key value in UTC, as SQL over the key column. */
function monthExpression(keyColumn: string, keyType: string | null): string {
  const key = quoteIdent(keyColumn);
  return keyType === 'timestamp with time zone' ? `to_char(${key} AT TIME ZONE 'UTC', 'YYYY-MM')` : `to_char(${key}, 'YYYY-MM')`;
}

function countsSql(schema: string, defaultName: string, keyColumn: string, keyType: string | null): string {
  return `SELECT ${monthExpression(keyColumn, keyType)} AS month, count(*)::bigint AS n FROM ${qualified(schema, defaultName)} GROUP BY 1 ORDER BY 1`;
}

function monthsOf(table: ReadTable, schema: string, counts: Array<{ month: string | null; n: number }>): { months: DefaultRowsMonth[]; unplaceable: number } {
  const detachedNames = new Set(table.partitions.filter((p) => p.state === 'detached').map((p) => p.name));
  const months: DefaultRowsMonth[] = [];
  let unplaceable = 0;
  for (const { month, n } of counts) {
    if (month === null || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      unplaceable += n;
      continue;
    }
    const { partition } = createPartitionSql(schema, table.table, month);
    const { covered, overlapping } = coverOf(table, monthStartMs(month), monthStartMs(addMonths(month, 1)));
    const blocker = covered ?? overlapping;
    const conflict = blocker ? `bounds of ${blocker.name} overlap ${month}` : detachedNames.has(partition) ? `a detached table named ${partition} exists` : null;
    months.push({ month, rows: n, partition, conflict });
  }
  return { months, unplaceable };
}

const countsOf = (rows: unknown[][]) => rows.map(([month, n]) => ({ month: month === null ? null : String(month), n: Number(n) }));

export async function readDefaultRows(pg: Reader, preset: TenancyPreset, tenantId: string, tableName: string, options: ExecutionOptions): Promise<DefaultRows> {
  const { tenant, table } = await tenantTable(pg, preset, tenantId, tableName, options);
  if (!table.defaultPartition || table.defaultPartition.state === 'detached' || !table.monthly || !table.keyColumn) {
    return { tenantId, table: table.table, defaultPartition: table.defaultPartition?.name ?? null, total: 0, months: [], unplaceable: 0 };
  }
  const { rows } = await pg.query(countsSql(tenant.schema, table.defaultPartition.name, table.keyColumn, table.keyType), [], undefined, options);
  const { months, unplaceable } = monthsOf(table, tenant.schema, countsOf(rows));
  return { tenantId, table: table.table, defaultPartition: table.defaultPartition.name, total: months.reduce((s, m) => s + m.rows, 0) + unplaceable, months, unplaceable };
}

async function columnsOf(session: PostgresSession, schema: string, table: string): Promise<string[]> {
  const { rows } = await session.run(
    `SELECT a.attname::text FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = to_regclass($1)::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [qualified(schema, table)],
  );
  return rows.map((r) => String(r[0]));
}

const countOf = async (session: PostgresSession, sql: string, params: unknown[] = []): Promise<number> => Number((await session.run(sql, params)).rows[0]?.[0] ?? 0);

export interface MoveParams {
  tenantId: string;
  table: string;
  months?: Month[] | undefined;
  lockTimeoutMs: number;
}

export async function moveDefaultRows(
  stores: { preset: TenancyPreset; postgres: Pick<PostgresFace, 'query' | 'session'> },
  params: MoveParams,
  context: { jobId: string; signal: AbortSignal; log: (line: string) => void },
): Promise<JobResult> {
  const { jobId, signal, log } = context;
  const { tenant, table } = await tenantTable(stores.postgres, stores.preset, params.tenantId, params.table, { signal });
  const { keyColumn, defaultName } = monthlyWithDefault(params.tenantId, table);
  const parent = qualified(tenant.schema, table.table);
  const fallback = qualified(tenant.schema, defaultName);
  const tag = jobTag(jobId);
  return stores.postgres.session(async (session) => {
    await session.run('BEGIN');
    try {
      await session.run('SELECT pg_catalog.set_config($1, $2, true)', ['lock_timeout', `${params.lockTimeoutMs}ms`]);
      // Taken first, so the counts below cannot change before the move.
      await session.run(`${tag}LOCK TABLE ${parent} IN ACCESS EXCLUSIVE MODE`);
      const before = await countOf(session, `SELECT count(*) FROM ${parent}`);
      const counts = countsOf((await session.run(countsSql(tenant.schema, defaultName, keyColumn, table.keyType))).rows);
      const { months, unplaceable } = monthsOf(table, tenant.schema, counts);
      const wanted = params.months ? new Set(params.months) : null;
      const chosen = months.filter((m) => m.conflict === null && (!wanted || wanted.has(m.month)));
      for (const m of months.filter((x) => x.conflict !== null && (!wanted || wanted.has(x.month)))) log(`${m.month}: ${m.rows} row(s) stay in ${defaultName}: ${m.conflict}.`);
      if (unplaceable > 0) log(`${unplaceable} row(s) have no month (a NULL key) and stay in ${defaultName}.`);
      if (chosen.length === 0) {
        await session.run('ROLLBACK');
        log(`Nothing to move: ${defaultName} holds no rows of a month that can be created.`);
        return { moved: 0, months: 0, before, after: before, partitions: [] };
      }
      const columns = (await columnsOf(session, tenant.schema, table.table)).map(quoteIdent).join(', ');
      await session.run(`${tag}ALTER TABLE ${parent} DETACH PARTITION ${fallback}`);
      let moved = 0;
      for (const m of chosen) {
        if (signal.aborted) throw new AppError('cancelled', 'The job was cancelled; the move was rolled back.');
        const { sql } = createPartitionSql(tenant.schema, table.table, m.month);
        await session.run(`${tag}${sql}`);
        const result = await session.run(
          `${tag}WITH moved AS (DELETE FROM ${fallback} WHERE ${quoteIdent(keyColumn)} >= $1 AND ${quoteIdent(keyColumn)} < $2 RETURNING ${columns}) ` +
            `INSERT INTO ${qualified(tenant.schema, m.partition)} (${columns}) SELECT ${columns} FROM moved`,
          [boundLiteral(m.month), boundLiteral(addMonths(m.month, 1))],
        );
        const n = result.rowCount ?? 0;
        if (n !== m.rows) throw new AppError('conflict', `${m.month}: moved ${n} row(s) where ${m.rows} were counted; rolled back, nothing changed.`);
        moved += n;
        log(`${m.month}: created ${m.partition} and moved ${n} row(s) into it.`);
      }
      await session.run(`${tag}ALTER TABLE ${parent} ATTACH PARTITION ${fallback} DEFAULT`);
      const after = await countOf(session, `SELECT count(*) FROM ${parent}`);
      if (after !== before) throw new AppError('conflict', `${table.table} held ${before} row(s) before and ${after} after; rolled back, nothing changed.`);
      // The estimates the inventory and the fleet horizon read: the default's would still count the moved rows.
      await session.run(`${tag}ANALYZE ${[fallback, ...chosen.map((m) => qualified(tenant.schema, m.partition))].join(', ')}`);
      await session.run('COMMIT');
      log(`Moved ${moved} row(s) out of ${defaultName} into ${chosen.length} partition(s); ${table.table} holds ${after} row(s) before and after.`);
      return { moved, months: chosen.length, before, after, partitions: chosen.map((m) => m.partition) };
    } catch (error) {
      await session.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }, { signal });
}
