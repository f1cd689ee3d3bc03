import type { DefaultRowsMonth, PremakePlan, RetentionPlan } from '@shared/model/partitions';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import type { PlannedStatement } from './PlanDialog';

/** The statements of plans as the dialogs list them. Pure, so they can be tested without a screen. */

export function premakeStatements(plan: PremakePlan): PlannedStatement[] {
  return plan.tenants.flatMap((t) => t.create.map((c) => ({ tenantId: t.tenantId, sql: c.sql })));
}

export function premakeSummary(plan: PremakePlan): string {
  const conflicts = plan.tenants.reduce((s, t) => s + t.conflicts.filter((c) => c.kind !== 'present').length, 0);
  return (
    `Keep ${plan.keepAhead} months ahead (${plan.months[0] ?? ''} to ${plan.months.at(-1) ?? ''}): ${plan.partitionsToCreate} partition(s) to create in ` +
    `${plan.tenants.filter((t) => t.create.length > 0).length} tenant(s); ${plan.tenantsReady} already ready` +
    (conflicts > 0 ? `; ${conflicts} month(s) in conflict, counted as done` : '') +
    '. Each tenant runs in its own transaction under a lock timeout; a locked tenant is skipped with the reason.'
  );
}

export function retentionStatements(plan: RetentionPlan): PlannedStatement[] {
  return plan.tenants.flatMap((t) => t.partitions.flatMap((p) => p.statements.map((sql) => ({ tenantId: t.tenantId, sql }))));
}

export function retentionSummary(plan: RetentionPlan): string {
  if (plan.retentionMonths === null) return 'The blueprint keeps these partitions for ever: nothing to retire.';
  return (
    `Keep ${plan.retentionMonths} months (from ${plan.keepFrom ?? ''}): ${plan.partitionsToRetire} partition(s) in ${plan.tenants.length} tenant(s) to ` +
    `${plan.drop ? 'detach and drop' : 'detach (kept as plain tables)'}` +
    (plan.concurrently ? '; detaches run CONCURRENTLY, outside a transaction.' : '; detaches run in a transaction per tenant.')
  );
}

/** What the move job runs, in order, for the months chosen (it runs them in one transaction). */
export function moveStatements(tenantId: string, schema: string, table: string, defaultName: string, key: string, months: DefaultRowsMonth[]): PlannedStatement[] {
  const parent = qualified(schema, table);
  const fallback = qualified(schema, defaultName);
  const next = (month: string): string => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
  };
  const sql = [
    `LOCK TABLE ${parent} IN ACCESS EXCLUSIVE MODE`,
    `ALTER TABLE ${parent} DETACH PARTITION ${fallback}`,
    ...months.flatMap((m) => [
      `CREATE TABLE ${qualified(schema, m.partition)} PARTITION OF ${parent} FOR VALUES FROM ('${m.month}-01 00:00:00+00') TO ('${next(m.month)}-01 00:00:00+00')`,
      `WITH moved AS (DELETE FROM ${fallback} WHERE ${quoteIdent(key)} >= '${m.month}-01 00:00:00+00' AND ${quoteIdent(key)} < '${next(m.month)}-01 00:00:00+00' RETURNING *) INSERT INTO ${qualified(schema, m.partition)} SELECT * FROM moved -- ${m.rows} row(s)`,
    ]),
    `ALTER TABLE ${parent} ATTACH PARTITION ${fallback} DEFAULT`,
    `-- counts of ${table} compared before and after; a difference rolls everything back`,
  ];
  return sql.map((s) => ({ tenantId, sql: s }));
}
