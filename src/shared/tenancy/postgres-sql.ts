import { validateTenantId } from '../model/tenant-id';
import { qualified, quoteIdent } from '../sql/identifiers';
import type { PgColumn, PgConstraint, PgFunction, PgIndex, PgPolicy, PgTable, PgTrigger, PostgresBlueprint } from './blueprint';
import { tenantSchemaName, type PostgresLayout } from './preset';

/** One statement: SQL text with `$n` placeholders and the values that go with them. */
export interface SqlStatement {
  text: string;
  values?: unknown[];
}

/**
 * The helper that creates a table's monthly partitions over a range of months (§5.1.2's
 * maintenance function, made generic): names go through %I and bounds through %L on the server.
 */
export const PARTITION_FUNCTION = 'create_monthly_partitions';

const PARTITION_FUNCTION_BODY = `
DECLARE
  month_start date := date_trunc('month', first_month)::date;
  created integer := 0;
BEGIN
  WHILE month_start <= last_month LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                   parent_schema, parent_table || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM'),
                   parent_schema, parent_table, month_start, (month_start + interval '1 month')::date);
    month_start := (month_start + interval '1 month')::date;
    created := created + 1;
  END LOOP;
  RETURN created;
END
`;

/** Adds a tenant_check constraint: the tenant id is formatted with %L on the server, never pasted. */
export const GUARD_FUNCTION = 'add_tenant_check';

const GUARD_FUNCTION_BODY = `
BEGIN
  EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (%I = %L::uuid)',
                 target_schema, target_table, constraint_name, tenant_column, tenant_id);
END
`;

function columnSql(column: PgColumn): string {
  const parts = [quoteIdent(column.name), column.type];
  if (!column.nullable) parts.push('NOT NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${column.default}`);
  return parts.join(' ');
}

const columnList = (columns: string[]): string => columns.map(quoteIdent).join(', ');

export function constraintSql(constraint: Exclude<PgConstraint, { kind: 'tenant_check' }>, schema: string): string {
  const name = `CONSTRAINT ${quoteIdent(constraint.name)}`;
  switch (constraint.kind) {
    case 'primary_key':
      return `${name} PRIMARY KEY (${columnList(constraint.columns)})`;
    case 'unique':
      return `${name} UNIQUE (${columnList(constraint.columns)})`;
    case 'check':
      return `${name} CHECK (${constraint.expression})`;
    case 'foreign_key': {
      const target = constraint.references.schema === 'public' ? 'public' : schema;
      const onDelete = constraint.onDelete ? ` ON DELETE ${constraint.onDelete.toUpperCase()}` : '';
      return `${name} FOREIGN KEY (${columnList(constraint.columns)}) REFERENCES ${qualified(target, constraint.references.table)} (${columnList(constraint.references.columns)})${onDelete}`;
    }
  }
}

export function createTableSql(table: PgTable, schema: string): string {
  const inline = table.constraints.filter((c): c is Exclude<PgConstraint, { kind: 'tenant_check' }> => c.kind !== 'tenant_check');
  const body = [...table.columns.map(columnSql), ...inline.map((c) => constraintSql(c, schema))];
  const partition = table.partitioning ? ` PARTITION BY RANGE (${quoteIdent(table.partitioning.column)})` : '';
  return `CREATE TABLE ${qualified(schema, table.name)} (\n  ${body.join(',\n  ')}\n)${partition}`;
}

export function createIndexSql(index: PgIndex, schema: string): string {
  const keys = index.keys
    .map((key) => ('expression' in key ? `(${key.expression})` : `${quoteIdent(key.column)}${key.order === 'desc' ? ' DESC' : ''}`))
    .join(', ');
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${qualified(schema, index.table)} USING ${index.method} (${keys})${where}`;
}

export function createPolicySql(policy: PgPolicy, schema: string): string {
  const check = policy.withCheck ? ` WITH CHECK (${policy.withCheck})` : '';
  return `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualified(schema, policy.table)} FOR ${policy.command} USING (${policy.using})${check}`;
}

function dollarQuoted(body: string): string {
  // The bodies are constants of the blueprint; the guard keeps a future edit from breaking out.
  if (body.includes('$body$')) throw new Error('A function body may not contain $body$.');
  return `$body$${body}$body$`;
}

export function createFunctionSql(fn: PgFunction, schema: string): string {
  return `CREATE FUNCTION ${qualified(schema, fn.name)}() RETURNS ${fn.returns} LANGUAGE ${fn.language} AS ${dollarQuoted(fn.body)}`;
}

export function createTriggerSql(trigger: PgTrigger, schema: string): string {
  return `CREATE TRIGGER ${quoteIdent(trigger.name)} ${trigger.timing} ${trigger.events.join(' OR ')} ON ${qualified(schema, trigger.table)} FOR EACH ROW EXECUTE FUNCTION ${qualified(schema, trigger.function)}()`;
}

/** `interactions_y2025m06` */
export function monthlyPartitionName(table: string, month: string): string {
  const [year, mm] = month.split('-');
  return `${table}_y${year}m${mm}`;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The shared objects every tenant schema relies on: the registry tables of `public` and the
 * partition helper (§5.1.2's maintenance function, made generic and injection-free).
 */
export function renderSharedSchema(blueprint: PostgresBlueprint): SqlStatement[] {
  return [
    ...blueprint.shared.map((table) => ({ text: createTableSql(table, 'public') })),
    {
      text:
        `CREATE OR REPLACE FUNCTION public.${quoteIdent(PARTITION_FUNCTION)}(parent_schema text, parent_table text, first_month date, last_month date) ` +
        `RETURNS integer LANGUAGE plpgsql AS ${dollarQuoted(PARTITION_FUNCTION_BODY)}`,
    },
    {
      text:
        `CREATE OR REPLACE FUNCTION public.${quoteIdent(GUARD_FUNCTION)}(target_schema text, target_table text, constraint_name text, tenant_column text, tenant_id uuid) ` +
        `RETURNS void LANGUAGE plpgsql AS ${dollarQuoted(GUARD_FUNCTION_BODY)}`,
    },
  ];
}

export interface TenantSchemaOptions {
  /** The first and last month (`YYYY-MM`) to create partitions for, besides the default partition. */
  firstMonth: string;
  lastMonth: string;
}

export interface TenantSchemaSql {
  /**
   * Run first: the schema and its partitioned tables with their columns only, plus their default
   * partitions. PostgreSQL checks every new partition against all of `pg_constraint` with a
   * sequential scan (there is no index on the referenced table of a foreign key), so a partition
   * costs time in proportion to every constraint of every tenant. Created before any constraint,
   * partitions stay cheap however many tenants a database holds.
   */
  skeleton: string[];
  /** Run second: the monthly partitions; the schema and months go as parameters. */
  partitions: SqlStatement[];
  /**
   * Run third, as one script (statements with no values, identifiers quoted): the other tables, the
   * constraints of the partitioned tables (added to the parent, they reach every partition), the
   * indexes, functions, triggers, row-level security and policies. The policies are created after
   * the transaction's search_path is set to the tenant schema, so a table a policy names resolves inside the tenant.
   */
  ddl: string[];
  /** Run last: the tenant_check constraints; the tenant id goes as a parameter. */
  guards: SqlStatement[];
}

/**
 * Every statement that builds one tenant schema from the blueprint, in four stages to run in order
 * (skeleton, partitions, ddl, guards). In one transaction the schema appears whole or not at all;
 * a loader of many tenants may run every tenant's first two stages before the others' last two.
 */
export function renderTenantSchema(
  blueprint: PostgresBlueprint,
  layout: PostgresLayout,
  tenantId: string,
  options: TenantSchemaOptions,
): TenantSchemaSql {
  const schema = tenantSchemaName(layout, validateTenantId(tenantId));
  for (const month of [options.firstMonth, options.lastMonth]) {
    if (!MONTH.test(month)) throw new Error(`Not a month (YYYY-MM): ${month}`);
  }
  const skeleton: string[] = [`CREATE SCHEMA ${quoteIdent(schema)}`];
  // set_config(…, true) is SET LOCAL as a query: it ends with the transaction and, unlike a SET
  // command, does not make a data service retire the pooled connection as session-changed.
  const searchPath = `${quoteIdent(schema)}, public`.replaceAll("'", "''");
  const ddl: string[] = [`SELECT pg_catalog.set_config('search_path', '${searchPath}', true)`];
  const laterConstraints: string[] = [];
  const partitions: SqlStatement[] = [];
  const guards: SqlStatement[] = [];
  for (const table of blueprint.tables) {
    for (const c of table.constraints) {
      if (c.kind !== 'tenant_check') continue;
      guards.push({
        text: `SELECT public.${quoteIdent(GUARD_FUNCTION)}($1, $2, $3, $4, $5::uuid)`,
        values: [schema, table.name, c.name, c.column, tenantId],
      });
    }
    if (!table.partitioning) {
      ddl.push(createTableSql(table, schema));
      continue;
    }
    skeleton.push(createTableSql({ ...table, constraints: [] }, schema));
    for (const c of table.constraints) {
      if (c.kind !== 'tenant_check') laterConstraints.push(`ALTER TABLE ${qualified(schema, table.name)} ADD ${constraintSql(c, schema)}`);
    }
    if (table.partitioning.withDefault) {
      skeleton.push(`CREATE TABLE ${qualified(schema, `${table.name}_default`)} PARTITION OF ${qualified(schema, table.name)} DEFAULT`);
    }
    partitions.push({
      text: `SELECT public.${quoteIdent(PARTITION_FUNCTION)}($1, $2, $3::date, $4::date)`,
      values: [schema, table.name, `${options.firstMonth}-01`, `${options.lastMonth}-01`],
    });
  }
  // After every table: a partitioned table's foreign keys may name tables created after it.
  ddl.push(...laterConstraints);
  for (const index of blueprint.indexes) ddl.push(createIndexSql(index, schema));
  for (const fn of blueprint.functions) ddl.push(createFunctionSql(fn, schema));
  for (const trigger of blueprint.triggers) ddl.push(createTriggerSql(trigger, schema));
  for (const table of blueprint.tables.filter((t) => t.rowLevelSecurity)) {
    ddl.push(`ALTER TABLE ${qualified(schema, table.name)} ENABLE ROW LEVEL SECURITY`);
  }
  for (const policy of blueprint.policies) ddl.push(createPolicySql(policy, schema));
  return { skeleton, partitions, ddl, guards };
}

/** Every month from first to last (`YYYY-MM`), both included. */
export function monthsBetween(firstMonth: string, lastMonth: string): string[] {
  const out: string[] = [];
  let [year, month] = firstMonth.split('-').map(Number) as [number, number];
  const [lastYear, lastMon] = lastMonth.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMon)) {
    out.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** Names of every index the blueprint implies on a table: its own indexes plus key/unique constraints. */
export function expectedIndexNames(blueprint: PostgresBlueprint): Map<string, string[]> {
  const byTable = new Map<string, string[]>();
  for (const table of blueprint.tables) {
    byTable.set(
      table.name,
      table.constraints.filter((c) => c.kind === 'primary_key' || c.kind === 'unique').map((c) => c.name),
    );
  }
  for (const index of blueprint.indexes) byTable.get(index.table)?.push(index.name);
  return byTable;
}
