import { qualified, quoteIdent } from '../sql/identifiers';
import type { PgColumn, PgConstraint, PgFunction, PgIndex, PgPolicy, PgTable, PgTrigger, PostgresBlueprint } from './blueprint';
import { tenantSchemaName, type PostgresLayout } from './preset';

/** One statement: SQL text with `$n` placeholders and the values that go with them. */
export interface SqlStatement {
  text: string;
  values?: unknown[];
}

/** The helper that creates a month's partition; bounds are formatted server-side with %L. */
export const PARTITION_FUNCTION = 'create_monthly_partition';

const PARTITION_FUNCTION_BODY = `
DECLARE
  partition_name text := parent_table || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                 parent_schema, partition_name, parent_schema, parent_table,
                 date_trunc('month', month_start)::date, (date_trunc('month', month_start) + interval '1 month')::date);
  RETURN partition_name;
END
`;

function columnSql(column: PgColumn): string {
  const parts = [quoteIdent(column.name), column.type];
  if (!column.nullable) parts.push('NOT NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${column.default}`);
  return parts.join(' ');
}

const columnList = (columns: string[]): string => columns.map(quoteIdent).join(', ');

function constraintSql(constraint: PgConstraint, schema: string): string {
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
  const body = [...table.columns.map(columnSql), ...table.constraints.map((c) => constraintSql(c, schema))];
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
        `CREATE OR REPLACE FUNCTION public.${quoteIdent(PARTITION_FUNCTION)}(parent_schema text, parent_table text, month_start date) ` +
        `RETURNS text LANGUAGE plpgsql AS ${dollarQuoted(PARTITION_FUNCTION_BODY)}`,
    },
  ];
}

export interface TenantSchemaOptions {
  /** Months (`YYYY-MM`) to create partitions for, in addition to the default partition. */
  months: string[];
}

/**
 * Every statement that builds one tenant schema from the blueprint. Run them in one transaction:
 * the policies are created with the tenant schema first on the search_path (set as a parameter) so
 * that a table named in a policy resolves inside the tenant.
 */
export function renderTenantSchema(
  blueprint: PostgresBlueprint,
  layout: PostgresLayout,
  tenantId: string,
  options: TenantSchemaOptions,
): SqlStatement[] {
  const schema = tenantSchemaName(layout, tenantId);
  for (const month of options.months) {
    if (!MONTH.test(month)) throw new Error(`Not a month (YYYY-MM): ${month}`);
  }
  const statements: SqlStatement[] = [
    { text: `CREATE SCHEMA ${quoteIdent(schema)}` },
    { text: "SELECT set_config('search_path', $1, true)", values: [`${quoteIdent(schema)}, public`] },
  ];
  for (const table of blueprint.tables) {
    statements.push({ text: createTableSql(table, schema) });
    if (table.partitioning) {
      for (const month of [...new Set(options.months)].sort()) {
        statements.push({ text: `SELECT public.${quoteIdent(PARTITION_FUNCTION)}($1, $2, $3::date)`, values: [schema, table.name, `${month}-01`] });
      }
      if (table.partitioning.withDefault) {
        statements.push({ text: `CREATE TABLE ${qualified(schema, `${table.name}_default`)} PARTITION OF ${qualified(schema, table.name)} DEFAULT` });
      }
    }
  }
  for (const index of blueprint.indexes) statements.push({ text: createIndexSql(index, schema) });
  for (const fn of blueprint.functions) statements.push({ text: createFunctionSql(fn, schema) });
  for (const trigger of blueprint.triggers) statements.push({ text: createTriggerSql(trigger, schema) });
  for (const table of blueprint.tables.filter((t) => t.rowLevelSecurity)) {
    statements.push({ text: `ALTER TABLE ${qualified(schema, table.name)} ENABLE ROW LEVEL SECURITY` });
  }
  for (const policy of blueprint.policies) statements.push({ text: createPolicySql(policy, schema) });
  return statements;
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
