import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/errors';
import { tenantSchemaName, type PostgresBlueprint, type PostgresLayout } from '@shared/tenancy';
import { GUARD_FUNCTION, renderTenantSchema } from '@shared/tenancy/postgres-sql';
import { recordsOf } from '../../reading/stores';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import { liveObjectsSql } from './drift-sql';

/** One object the blueprint prescribes, with its definition as this server deparses it. */
export interface ReferenceObject {
  object: string;
  tbl: string;
  name: string;
  def: string;
}

/**
 * What the blueprint looks like on this server: a tenant schema built from it under a random
 * tenant id, read with the same catalog SQL as the live schemas, inside a transaction that is
 * always rolled back — nothing of it is ever committed or seen by another session. The partitions
 * stage is left out (indexes, constraints and policies live on the parents).
 */
export async function readReference(
  pg: Pick<PostgresFace, 'session'>,
  blueprint: PostgresBlueprint,
  layout: PostgresLayout,
  options: ExecutionOptions,
): Promise<ReferenceObject[]> {
  const tenantId = randomUUID();
  const schema = tenantSchemaName(layout, tenantId);
  const month = new Date().toISOString().slice(0, 7);
  const sql = renderTenantSchema(blueprint, layout, tenantId, { firstMonth: month, lastMonth: month });
  try {
    return await pg.session(async (session) => {
      await session.run('BEGIN');
      try {
        const searchPath = await session.run("SELECT current_setting('search_path')");
        for (const text of [...sql.skeleton, ...sql.ddl]) await session.run(text);
        const guard = await session.run('SELECT to_regproc($1) IS NOT NULL', [`public.${GUARD_FUNCTION}`]);
        if (guard.rows[0]?.[0] === true) for (const statement of sql.guards) await session.run(statement.text, statement.values);
        // The live pass deparses under the session's own search_path; the reference must too.
        await session.run('SELECT set_config($1, $2, true)', ['search_path', String(searchPath.rows[0]?.[0] ?? 'public')]);
        const rows = recordsOf(await session.run(liveObjectsSql(layout, false), [layout.schemaPrefix, [schema], null, null]));
        return rows.map((row) => ({ object: String(row.object), tbl: String(row.tbl), name: String(row.name), def: String(row.def) }));
      } finally {
        // The session is discarded afterwards, so a failed ROLLBACK leaves nothing behind either.
        await session.run('ROLLBACK').catch(() => undefined);
      }
    }, options);
  } catch (error) {
    if (error instanceof AppError && error.code === 'read_only') {
      throw new AppError(
        'read_only',
        'Drift is compared with a reference schema the blueprint builds in a transaction that is rolled back, and this workspace’s PostgreSQL is read-only (prod).',
      );
    }
    throw error;
  }
}
