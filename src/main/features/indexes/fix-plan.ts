import type { FixPlan, FixStatement, LockLevel, TenantFixPlan } from '@shared/model/indexes';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import type { PgConstraint, PostgresBlueprint } from '@shared/tenancy';
import { GUARD_FUNCTION, constraintSql, createIndexSql, createPolicySql, createTriggerSql } from '@shared/tenancy/postgres-sql';
import { groupKeyOf, type DriftRow } from './drift';

/** A SQL string literal; only ever given tenant ids and names the catalog or the blueprint produced. */
const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/**
 * Statements run in this order inside a tenant's transaction: drops before the creates that
 * replace them, RLS switched on before its policies are recreated.
 */
const PHASE = { drop: 0, table: 1, create: 2 } as const;

interface Planned extends FixStatement {
  phase: number;
}

const MAX_LISTED_TENANTS = 1_000;

/**
 * The statements that repair one tenant's drift, each with the lock it takes (PostgreSQL manual,
 * §13.3.1) and whether it can run in the tenant's transaction. Everything here can: a tenant is
 * repaired whole or not at all, under a lock timeout. Extra objects are not dropped: that is a
 * person's decision, listed in `notFixed`.
 */
export function statementsFor(row: DriftRow, blueprint: PostgresBlueprint): Planned[] | string {
  const schema = row.schema;
  const group = groupKeyOf(row);
  const at = (sql: string, lock: LockLevel, phase: number): Planned => ({ sql, lock, transactional: true, group, phase });
  if (row.change === 'extra') return `extra ${row.object} ${row.name} on ${row.tbl}: not in the blueprint; drop it by hand once you know nothing uses it`;
  switch (row.object) {
    case 'index': {
      const index = blueprint.indexes.find((i) => i.table === row.tbl && i.name === row.name);
      if (!index) return `index ${row.name} on ${row.tbl}: the blueprint has no definition for it`;
      const create = at(createIndexSql(index, schema), 'SHARE', PHASE.create);
      if (row.change === 'missing') return [create];
      return [at(`DROP INDEX ${qualified(schema, row.name)}`, 'ACCESS EXCLUSIVE', PHASE.drop), create];
    }
    case 'policy': {
      const policy = blueprint.policies.find((p) => p.table === row.tbl && p.name === row.name);
      if (!policy) return `policy ${row.name} on ${row.tbl}: the blueprint has no definition for it`;
      const create = at(createPolicySql(policy, schema), 'ACCESS EXCLUSIVE', PHASE.create);
      if (row.change === 'missing') return [create];
      return [at(`DROP POLICY ${quoteIdent(row.name)} ON ${qualified(schema, row.tbl)}`, 'ACCESS EXCLUSIVE', PHASE.drop), create];
    }
    case 'row_level_security': {
      const table = blueprint.tables.find((t) => t.name === row.tbl);
      if (!table) return `row-level security of ${row.tbl}: not a blueprint table`;
      const verb = table.rowLevelSecurity ? 'ENABLE' : 'DISABLE';
      return [at(`ALTER TABLE ${qualified(schema, row.tbl)} ${verb} ROW LEVEL SECURITY`, 'ACCESS EXCLUSIVE', PHASE.table)];
    }
    case 'trigger': {
      const trigger = blueprint.triggers.find((t) => t.table === row.tbl && t.name === row.name);
      if (!trigger) return `trigger ${row.name} on ${row.tbl}: the blueprint has no definition for it`;
      const create = at(createTriggerSql(trigger, schema), 'SHARE ROW EXCLUSIVE', PHASE.create);
      if (row.change === 'missing') return [create];
      return [at(`DROP TRIGGER ${quoteIdent(row.name)} ON ${qualified(schema, row.tbl)}`, 'ACCESS EXCLUSIVE', PHASE.drop), create];
    }
    case 'constraint': {
      const constraint = blueprint.tables.find((t) => t.name === row.tbl)?.constraints.find((c) => c.name === row.name);
      if (!constraint) return `constraint ${row.name} on ${row.tbl}: the blueprint has no definition for it`;
      const create = at(addConstraintSql(constraint, schema, row.tbl, row.tenantId), constraint.kind === 'foreign_key' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE', PHASE.create);
      if (row.change === 'missing') return [create];
      return [at(`ALTER TABLE ${qualified(schema, row.tbl)} DROP CONSTRAINT ${quoteIdent(row.name)}`, 'ACCESS EXCLUSIVE', PHASE.drop), create];
    }
  }
}

function addConstraintSql(constraint: PgConstraint, schema: string, table: string, tenantId: string): string {
  if (constraint.kind !== 'tenant_check') return `ALTER TABLE ${qualified(schema, table)} ADD ${constraintSql(constraint, schema)}`;
  // The seeder's own helper formats the id with %L on the server, as it did when the tenant was made.
  const args = [schema, table, constraint.name, constraint.column].map(literal).join(', ');
  return `SELECT public.${quoteIdent(GUARD_FUNCTION)}(${args}, ${literal(tenantId)}::uuid)`;
}

/** The plan for every tenant with drift, in tenant-schema order, and what no statement repairs. */
export function planFixes(rows: readonly DriftRow[], blueprint: PostgresBlueprint): { plans: TenantFixPlan[]; notFixed: string[] } {
  const bySchema = new Map<string, { tenantId: string; statements: Planned[] }>();
  const notFixed = new Map<string, number>();
  for (const row of rows) {
    const planned = statementsFor(row, blueprint);
    if (typeof planned === 'string') {
      notFixed.set(planned, (notFixed.get(planned) ?? 0) + 1);
      continue;
    }
    const entry = bySchema.get(row.schema) ?? { tenantId: row.tenantId, statements: [] };
    entry.statements.push(...planned);
    bySchema.set(row.schema, entry);
  }
  const plans = [...bySchema.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([schema, { tenantId, statements }]) => ({
      tenantId,
      schema,
      statements: statements
        .sort((a, b) => a.phase - b.phase)
        .map(({ sql, lock, transactional, group }) => ({ sql, lock, transactional, group })),
    }));
  return { plans, notFixed: [...notFixed.entries()].map(([what, count]) => `${what} (${count} tenant${count === 1 ? '' : 's'})`) };
}

export function fixPlanOf(rows: readonly DriftRow[], blueprint: PostgresBlueprint): FixPlan {
  const { plans, notFixed } = planFixes(rows, blueprint);
  return {
    tenantCount: plans.length,
    statementCount: plans.reduce((sum, p) => sum + p.statements.length, 0),
    tenants: plans.slice(0, MAX_LISTED_TENANTS),
    notFixed,
  };
}
