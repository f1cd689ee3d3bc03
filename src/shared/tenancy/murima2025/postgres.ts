import type { PgFunction, PgIndex, PgIndexKey, PgPolicy, PgTrigger, PostgresBlueprint } from '../blueprint';
import { tenantsTable, tenantTables } from './postgres-tables';

function index(
  name: string,
  table: string,
  keys: Array<string | PgIndexKey>,
  source: string,
  options: { method?: 'btree' | 'gin'; unique?: boolean; where?: string } = {},
): PgIndex {
  return {
    name,
    table,
    method: options.method ?? 'btree',
    keys: keys.map((k) => (typeof k === 'string' ? { column: k } : k)),
    unique: options.unique ?? false,
    ...(options.where ? { where: options.where } : {}),
    source,
  };
}

const T = '003 §2.1.2';
const Q = '003 §4.1.3';

/**
 * Every index of a tenant schema. Where §4.1.3 redefines a name of §2.1.2 with a tenant-prefixed
 * key (created_at, due_date, assigned_to), the later, composite definition wins: two indexes cannot
 * share a name in one schema and the composite one serves both queries.
 */
export const tenantIndexes: PgIndex[] = [
  index('idx_users_tenant_id', 'users', ['tenant_id'], T),
  index('idx_users_email', 'users', ['email'], T),
  index('idx_users_status', 'users', ['status'], T),
  index('idx_teams_tenant_id', 'teams', ['tenant_id'], T),
  index('idx_team_members_user_id', 'team_members', ['user_id'], T),
  index('idx_workflows_tenant_id', 'workflows', ['tenant_id'], T),
  index('idx_workflows_active', 'workflows', ['active'], T),
  index('idx_case_types_tenant_id', 'case_types', ['tenant_id'], T),
  index('idx_case_types_is_active', 'case_types', ['is_active'], T),
  index('idx_cases_tenant_id', 'cases', ['tenant_id'], T),
  index('idx_cases_status', 'cases', ['status'], T),
  index('idx_cases_priority', 'cases', ['priority'], `${T}, §7.1.1`),
  index('idx_cases_case_type_id', 'cases', ['case_type_id'], T),
  index('idx_cases_assigned_to', 'cases', ['tenant_id', 'assigned_to'], Q),
  index('idx_cases_created_at', 'cases', ['tenant_id', 'created_at'], Q),
  index('idx_cases_due_date', 'cases', ['tenant_id', 'due_date'], Q),
  index('idx_cases_tags', 'cases', ['tags'], T, { method: 'gin' }),
  index('idx_cases_custom_fields', 'cases', ['custom_fields'], `${T}, §4.1.4`, { method: 'gin' }),
  index('idx_cases_status_priority', 'cases', ['tenant_id', 'status', 'priority'], Q),
  index('idx_cases_case_type_status', 'cases', ['tenant_id', 'case_type_id', 'status'], Q),
  index('idx_cases_created_at_status', 'cases', ['tenant_id', 'created_at', 'status'], Q),
  index('idx_cases_custom_fields_customer_id', 'cases', [{ expression: "custom_fields ->> 'customer_id'::text" }], '003 §4.1.4'),
  index('idx_cases_search_vector', 'cases', ['search_vector'], '003 §4.1.5', { method: 'gin' }),
  index('idx_cases_status_created_at', 'cases', ['status', { column: 'created_at', order: 'desc' }], '003 §8.1.1'),
  index('idx_channels_tenant_id', 'channels', ['tenant_id'], T),
  index('idx_channels_type', 'channels', ['type'], T),
  index('idx_channels_is_active', 'channels', ['is_active'], T),
  index('idx_interactions_tenant_id', 'interactions', ['tenant_id'], T),
  index('idx_interactions_case_id', 'interactions', ['case_id'], T),
  index('idx_interactions_channel_id', 'interactions', ['channel_id'], T),
  index('idx_interactions_user_id', 'interactions', ['user_id'], T),
  index('idx_interactions_timestamp', 'interactions', ['timestamp'], T),
  index('idx_interactions_tags', 'interactions', ['tags'], T, { method: 'gin' }),
  index('idx_documents_tenant_id', 'documents', ['tenant_id'], T),
  index('idx_documents_case_id', 'documents', ['case_id'], T),
  index('idx_documents_uploaded_by', 'documents', ['uploaded_by'], T),
  index('idx_documents_is_deleted', 'documents', ['is_deleted'], T),
  index('idx_tasks_tenant_id', 'tasks', ['tenant_id'], T),
  index('idx_tasks_case_id', 'tasks', ['case_id'], T),
  index('idx_tasks_status', 'tasks', ['status'], T),
  index('idx_tasks_assigned_to', 'tasks', ['assigned_to'], T),
  index('idx_tasks_due_date', 'tasks', ['due_date'], T),
  index('idx_audit_logs_entity', 'audit_logs', ['tenant_id', 'entity_type', 'entity_id'], '003 §7.3.2 (audit trail lookups)'),
  index('idx_audit_logs_occurred_at', 'audit_logs', ['tenant_id', 'occurred_at'], '003 §7.3.2 (audit trail lookups)'),
];

/**
 * The isolation predicate of §2.1.1. `current_setting(…, true)` plus NULLIF makes an unset or empty
 * setting match no row instead of failing the query with a cast error.
 */
export const TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid";

const isolation = (table: string): PgPolicy => ({
  name: 'tenant_isolation',
  table,
  command: 'ALL',
  using: TENANT_PREDICATE,
  withCheck: TENANT_PREDICATE,
  source: '003 §2.1.1',
});

/** Memberships carry no tenant_id; they are visible exactly when their (isolated) team is. */
const MEMBER_PREDICATE = 'EXISTS (SELECT 1 FROM teams t WHERE t.id = team_members.team_id)';

export const tenantPolicies: PgPolicy[] = tenantTables
  .filter((t) => t.rowLevelSecurity)
  .map((t) =>
    t.name === 'team_members'
      ? { name: 'tenant_isolation', table: t.name, command: 'ALL' as const, using: MEMBER_PREDICATE, withCheck: MEMBER_PREDICATE, source: '003 §2.1.1' }
      : isolation(t.name),
  );

const SEARCH_VECTOR_BODY = `
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', COALESCE(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', COALESCE(NEW.description, '')), 'B');
  RETURN NEW;
END
`;

/**
 * A working version of the seed's §7.3.2 trigger. The seed's `OLD.key` reads a column literally
 * named "key", feeds jsonb to jsonb_object (which takes text[]), and omits the NOT NULL tenant_id.
 * This one diffs the row as jsonb, skips no-op updates, and writes into the audit table of the
 * schema the trigger fired in (TG_TABLE_SCHEMA through %I), with every value as a parameter.
 */
const AUDIT_BODY = `
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
  row_data jsonb := COALESCE(new_row, old_row);
  diff jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(n.key, jsonb_build_object('old', old_row -> n.key, 'new', n.value))
      INTO diff
      FROM jsonb_each(new_row) AS n
     WHERE n.key <> 'search_vector' AND (old_row -> n.key) IS DISTINCT FROM n.value;
    IF diff IS NULL THEN
      RETURN NULL;
    END IF;
  END IF;
  EXECUTE format(
    'INSERT INTO %I.audit_logs (tenant_id, entity_type, entity_id, action, user_id, changes) VALUES ($1, $2, $3, $4, $5, $6)',
    TG_TABLE_SCHEMA)
  USING (row_data ->> 'tenant_id')::uuid,
        TG_TABLE_NAME::text,
        (row_data ->> 'id')::uuid,
        CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
        NULLIF(current_setting('app.current_user_id', true), '')::uuid,
        diff;
  RETURN NULL;
END
`;

export const tenantFunctions: PgFunction[] = [
  { name: 'cases_search_vector_update', language: 'plpgsql', returns: 'trigger', body: SEARCH_VECTOR_BODY, source: '003 §4.1.5' },
  { name: 'record_audit_event', language: 'plpgsql', returns: 'trigger', body: AUDIT_BODY, source: '003 §7.3.2 (corrected)' },
];

const audited = ['cases', 'tasks', 'documents'];

export const tenantTriggers: PgTrigger[] = [
  {
    name: 'cases_search_vector_update',
    table: 'cases',
    timing: 'BEFORE',
    events: ['INSERT', 'UPDATE'],
    function: 'cases_search_vector_update',
    source: '003 §4.1.5',
  },
  ...audited.map(
    (table): PgTrigger => ({
      name: `${table}_audit_trigger`,
      table,
      timing: 'AFTER',
      events: ['INSERT', 'UPDATE', 'DELETE'],
      function: 'record_audit_event',
      source: '003 §7.3.2 (corrected)',
    }),
  ),
];

export const murimaPostgres: PostgresBlueprint = {
  shared: [tenantsTable],
  tables: tenantTables,
  indexes: tenantIndexes,
  policies: tenantPolicies,
  functions: tenantFunctions,
  triggers: tenantTriggers,
};
