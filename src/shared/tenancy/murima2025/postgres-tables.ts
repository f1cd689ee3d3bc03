import type { PgColumn, PgConstraint, PgTable } from '../blueprint';

const SEED = '003 §2.1.2';
const TS = 'timestamp with time zone';
const V255 = 'character varying(255)';
const V50 = 'character varying(50)';
const V20 = 'character varying(20)';

function col(name: string, type: string, nullable = true, defaultValue?: string): PgColumn {
  return defaultValue === undefined ? { name, type, nullable } : { name, type, nullable, default: defaultValue };
}
const id = (): PgColumn => col('id', 'uuid', false, 'gen_random_uuid()');
const tenantId = (): PgColumn => col('tenant_id', 'uuid', false);
const createdAt = (): PgColumn => col('created_at', TS, false, 'now()');
const updatedAt = (): PgColumn => col('updated_at', TS, false, 'now()');
const pk = (table: string, columns = ['id']): PgConstraint => ({ kind: 'primary_key', name: `${table}_pkey`, columns });
const unique = (name: string, columns: string[]): PgConstraint => ({ kind: 'unique', name, columns });
/**
 * The seed has every tenant table reference public.tenants(id). At 10,000 tenants that is 150,000
 * foreign keys on one table: 300,000 triggers on public.tenants, whose cache is rebuilt (reading all
 * of them) after each new key, so creating tenant N costs O(N). A check that the column holds the
 * schema's own tenant id is O(1) per tenant and a stronger isolation guarantee; removing a tenant
 * is DROP SCHEMA … CASCADE plus its registry row.
 */
const toTenant = (table: string): PgConstraint => ({ kind: 'tenant_check', name: `${table}_tenant_id_check`, column: 'tenant_id' });
const fk = (
  table: string,
  column: string,
  target: string,
  onDelete?: 'cascade' | 'set null' | 'restrict',
): PgConstraint => ({
  kind: 'foreign_key',
  name: `${table}_${column}_fkey`,
  columns: [column],
  references: { schema: 'tenant', table: target, columns: ['id'] },
  ...(onDelete ? { onDelete } : {}),
});
const check = (name: string, expression: string): PgConstraint => ({ kind: 'check', name, expression });

export const CASE_STATUSES = ['open', 'in_progress', 'pending', 'resolved', 'closed'] as const;
export const TASK_STATUSES = ['pending', 'in_progress', 'completed', 'cancelled'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const USER_STATUSES = ['active', 'inactive', 'suspended', 'invited'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;
export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;

const inList = (column: string, values: readonly string[]): string =>
  `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/** The shared registry of tenants every tenant table points at. The seed names it, without columns. */
export const tenantsTable: PgTable = {
  name: 'tenants',
  source: '003 §2.1.1 (public.tenants, referenced by every tenant table)',
  rowLevelSecurity: false,
  columns: [
    col('id', 'uuid', false, 'gen_random_uuid()'),
    col('slug', 'character varying(63)', false),
    col('name', V255, false),
    col('schema_name', 'character varying(63)', false),
    col('status', V50, false, "'active'::character varying"),
    col('plan', V50, false, "'standard'::character varying"),
    createdAt(),
    updatedAt(),
    col('settings', 'jsonb'),
  ],
  constraints: [
    pk('tenants'),
    unique('tenants_slug_unique', ['slug']),
    unique('tenants_schema_name_unique', ['schema_name']),
    check('tenants_status_check', inList('status', ['active', 'suspended', 'archived'])),
  ],
};

/** Every table of one tenant schema, referenced tables first. */
export const tenantTables: PgTable[] = [
  {
    name: 'users',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(),
      col('username', V255, false), col('email', V255, false), col('password_hash', V255, false),
      col('first_name', V255), col('last_name', V255), col('role', V50, false),
      col('status', V50, false, "'active'::character varying"), col('last_login', TS),
      createdAt(), updatedAt(), col('permissions', 'jsonb'), col('preferences', 'jsonb'), col('metadata', 'jsonb'),
    ],
    constraints: [
      pk('users'), toTenant('users'),
      unique('users_email_tenant_unique', ['email', 'tenant_id']),
      unique('users_username_tenant_unique', ['username', 'tenant_id']),
      check('users_status_check', inList('status', USER_STATUSES)),
    ],
  },
  {
    name: 'teams',
    source: SEED,
    rowLevelSecurity: true,
    columns: [id(), tenantId(), col('name', V255, false), col('description', 'text'), createdAt(), updatedAt(), col('metadata', 'jsonb')],
    constraints: [pk('teams'), toTenant('teams'), unique('teams_name_tenant_unique', ['name', 'tenant_id'])],
  },
  {
    name: 'team_members',
    source: SEED,
    // No tenant_id column: rows are visible through the team they belong to (see the policies).
    rowLevelSecurity: true,
    columns: [
      col('team_id', 'uuid', false), col('user_id', 'uuid', false),
      col('role', V50, false, "'member'::character varying"), col('joined_at', TS, false, 'now()'),
    ],
    constraints: [
      pk('team_members', ['team_id', 'user_id']),
      fk('team_members', 'team_id', 'teams', 'cascade'),
      fk('team_members', 'user_id', 'users', 'cascade'),
    ],
  },
  {
    name: 'workflows',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('name', V255, false), col('description', 'text'),
      col('active', 'boolean', false, 'true'), createdAt(), updatedAt(),
      col('stages', 'jsonb', false), col('transitions', 'jsonb', false), col('actions', 'jsonb'), col('sla_definitions', 'jsonb'),
    ],
    constraints: [pk('workflows'), toTenant('workflows'), unique('workflows_name_tenant_unique', ['name', 'tenant_id'])],
  },
  {
    name: 'case_types',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('name', V255, false), col('description', 'text'),
      col('form_definition', 'jsonb', false), col('validation_rules', 'jsonb'), col('workflow_id', 'uuid'),
      createdAt(), updatedAt(), col('is_active', 'boolean', false, 'true'),
    ],
    constraints: [
      pk('case_types'), toTenant('case_types'),
      // §3.3.1: every relationship is enforced, so the workflow reference the table sketch leaves loose is a key.
      fk('case_types', 'workflow_id', 'workflows', 'set null'),
      unique('case_types_name_tenant_unique', ['name', 'tenant_id']),
    ],
  },
  {
    name: 'cases',
    source: `${SEED}, §4.1.5 (search_vector), §7.3.1 (version)`,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(),
      col('case_number', V50, false), col('title', V255, false), col('description', 'text'),
      col('status', V50, false, "'open'::character varying"), col('priority', V20, false, "'medium'::character varying"),
      col('case_type_id', 'uuid', false), col('workflow_id', 'uuid'), col('current_stage_id', 'uuid'),
      col('created_by', 'uuid', false), col('assigned_to', 'uuid'),
      createdAt(), updatedAt(), col('due_date', TS),
      col('custom_fields', 'jsonb'), col('tags', 'text[]'), col('metadata', 'jsonb'),
      col('search_vector', 'tsvector'), col('version', 'integer', false, '1'),
    ],
    constraints: [
      pk('cases'), toTenant('cases'),
      fk('cases', 'case_type_id', 'case_types'),
      fk('cases', 'workflow_id', 'workflows', 'set null'),
      fk('cases', 'created_by', 'users'),
      fk('cases', 'assigned_to', 'users', 'set null'),
      unique('cases_case_number_unique', ['case_number', 'tenant_id']),
      check('cases_status_check', inList('status', CASE_STATUSES)),
      check('cases_priority_check', inList('priority', PRIORITIES)),
      check('cases_due_date_check', 'due_date IS NULL OR due_date > created_at'),
    ],
  },
  {
    name: 'channels',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('name', V255, false), col('type', V50, false), col('configuration', 'jsonb', false),
      createdAt(), updatedAt(), col('is_active', 'boolean', false, 'true'),
    ],
    constraints: [pk('channels'), toTenant('channels'), unique('channels_name_tenant_unique', ['name', 'tenant_id'])],
  },
  {
    name: 'interactions',
    source: `${SEED}, partitioned by month as §5.1.1`,
    rowLevelSecurity: true,
    // The seed names no retention; two years of interactions are kept, older months retired.
    partitioning: { strategy: 'range', column: 'timestamp', interval: 'month', nameFormat: 'table_yYYYYmMM', withDefault: true, retentionMonths: 24 },
    columns: [
      id(), tenantId(),
      col('case_id', 'uuid', false), col('channel_id', 'uuid', false), col('user_id', 'uuid'),
      col('direction', V20, false), col('content', 'text'), col('timestamp', TS, false, 'now()'),
      col('metadata', 'jsonb'), col('external_id', V255), col('tags', 'text[]'),
    ],
    constraints: [
      // A partitioned table's key must hold the partition column (§5.1.1).
      pk('interactions', ['tenant_id', 'timestamp', 'id']),
      toTenant('interactions'),
      fk('interactions', 'case_id', 'cases', 'cascade'),
      fk('interactions', 'channel_id', 'channels'),
      fk('interactions', 'user_id', 'users', 'set null'),
      check('interactions_direction_check', inList('direction', DIRECTIONS)),
    ],
  },
  {
    name: 'documents',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('case_id', 'uuid', false), col('filename', V255, false),
      col('mime_type', 'character varying(100)', false), col('size', 'bigint', false),
      col('storage_path', 'character varying(1024)', false), col('uploaded_by', 'uuid', false),
      col('uploaded_at', TS, false, 'now()'), col('is_deleted', 'boolean', false, 'false'), col('metadata', 'jsonb'),
    ],
    constraints: [
      pk('documents'), toTenant('documents'),
      fk('documents', 'case_id', 'cases', 'cascade'),
      fk('documents', 'uploaded_by', 'users'),
      check('documents_size_check', 'size >= 0'),
    ],
  },
  {
    name: 'tasks',
    source: SEED,
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('case_id', 'uuid', false), col('title', V255, false), col('description', 'text'),
      col('status', V50, false, "'pending'::character varying"), col('priority', V20, false, "'medium'::character varying"),
      col('assigned_to', 'uuid'), col('created_by', 'uuid', false), createdAt(), updatedAt(),
      col('due_date', TS), col('completed_at', TS), col('metadata', 'jsonb'),
    ],
    constraints: [
      pk('tasks'), toTenant('tasks'),
      fk('tasks', 'case_id', 'cases', 'cascade'),
      fk('tasks', 'assigned_to', 'users', 'set null'),
      fk('tasks', 'created_by', 'users'),
      check('tasks_status_check', inList('status', TASK_STATUSES)),
      check('tasks_priority_check', inList('priority', PRIORITIES)),
    ],
  },
  {
    name: 'audit_logs',
    // The seed's trigger writes to an audit_logs table it never defines; this is that table.
    source: '003 §7.3.2 (the table its audit trigger writes to)',
    rowLevelSecurity: true,
    columns: [
      id(), tenantId(), col('entity_type', 'character varying(100)', false), col('entity_id', 'uuid', false),
      col('action', V20, false), col('user_id', 'uuid'), col('changes', 'jsonb'), col('occurred_at', TS, false, 'now()'),
    ],
    constraints: [pk('audit_logs'), toTenant('audit_logs'), check('audit_logs_action_check', inList('action', AUDIT_ACTIONS))],
  },
];
