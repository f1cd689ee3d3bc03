import { tenantSchemaName, type PostgresLayout } from '@shared/tenancy';
import type { RedisWrite } from '../stores/redis/store';
import { Rng } from './random';
import { USER_AGENTS, words } from './vocabulary';

/** Rows for one table, in the column order given; values are JSON-ready (jsonb columns take objects or arrays). */
export interface TableRows {
  table: string;
  columns: string[];
  rows: unknown[][];
}


export interface ElasticDocument {
  /** Entity part of the index name (`cases`, `interactions`, `audit-logs`). */
  entity: string;
  /** The month the document belongs to, which picks its monthly index. */
  month: Date;
  id: string;
  body: Record<string, unknown>;
}

export interface MurimaTenant {
  index: number;
  id: string;
  slug: string;
  name: string;
  schema: string;
  status: string;
  plan: string;
  createdAt: Date;
  /**
   * The partition range of `interactions` (`YYYY-MM`): the tenant's first month to the month after
   * the window, but for the tenants `demoPartitionGap` names.
   */
  firstMonth: string;
  lastMonth: string;
  tables: TableRows[];
  redis: RedisWrite[];
  /** Documents per collection base name (`case_notes`…). */
  mongo: Record<string, Array<Record<string, unknown>>>;
  elastic: ElasticDocument[];
}

export interface MurimaWindow {
  /** Start of the first month of the demo window (UTC). */
  startMs: number;
  /** End of the window: the start of the month after the last one (UTC). */
  endMs: number;
  /**
   * The seeder's clock, at most `endMs`: nothing generated happens after it (a last activity, a
   * case update), only what is due or expires later. Without it, `endMs`.
   */
  nowMs?: number;
}

/** The instant nothing generated may come after. */
export function windowNow(window: MurimaWindow): number {
  return Math.min(window.nowMs ?? window.endMs, window.endMs);
}

const DAY = 86_400_000;
const ROLES = ['agent', 'agent', 'agent', 'supervisor', 'admin', 'viewer'] as const;
const CHANNEL_TYPES = [
  ['Support email', 'email'], ['SMS', 'sms'], ['Phone line', 'voice'], ['Web chat', 'chat'], ['WhatsApp', 'whatsapp'], ['Facebook Messenger', 'social'],
] as const;
const CASE_TYPE_NAMES = ['Billing', 'Technical support', 'Complaint', 'Account change', 'Refund', 'Delivery', 'Data request'];
const TEAM_NAMES = ['Front line', 'Billing desk', 'Escalations', 'Night shift', 'Quality', 'Retention'];
const TAGS = ['vip', 'follow-up', 'escalated', 'refund', 'churn-risk', 'billing', 'outage', 'feedback', 'mobile', 'web'];
const MIME = [['pdf', 'application/pdf'], ['png', 'image/png'], ['jpg', 'image/jpeg'], ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['mp3', 'audio/mpeg']] as const;

const iso = (d: Date): string => d.toISOString();
const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
const json = (value: unknown): string => JSON.stringify(value);

/** What a tenant's schema needs before its rows: its id, schema and the partition range of `interactions`. */
export interface MurimaTenantHead {
  id: string;
  schema: string;
  firstMonth: string;
  lastMonth: string;
}

/**
 * The first draws of a tenant, in the order the full generator makes them: a loader can create every
 * tenant's schema and partitions first and generate the rows batch by batch afterwards.
 */
function drawHead(r: Rng, index: number, window: MurimaWindow) {
  const id = r.uuid();
  const name = words.company(r);
  const slug = `${words.slug(name)}-${index}`;
  const domain = `${words.slug(name).replace(/-/g, '').slice(0, 20) || 'tenant'}.example.com`;
  const size = r.weighted([['small', 70], ['medium', 25], ['large', 5]] as const);
  const months = Math.max(1, Math.round((window.endMs - window.startMs) / (30 * DAY)));
  // Older tenants are more common than brand-new ones.
  const startMonthOffset = Math.floor(Math.pow(r.next(), 1.5) * months);
  const drawn = Date.UTC(new Date(window.startMs).getUTCFullYear(), new Date(window.startMs).getUTCMonth() + startMonthOffset, r.int(1, 27), r.int(7, 18), r.int(0, 59));
  // A tenant drawn later this month than today was created a day ago instead: never in the future.
  const createdAt = new Date(Math.max(window.startMs, Math.min(drawn, windowNow(window) - DAY)));
  const endMonth = new Date(window.endMs);
  // §5.1.2 keeps next month's partition ready: the window's end is the first day of that month.
  const gap = demoPartitionGap(index);
  const lastMonth = monthOf(Date.UTC(endMonth.getUTCFullYear(), endMonth.getUTCMonth() - (gap === 'short' ? 1 : 0), 1));
  // Created before the window's end, so the month after creation is at most the (full) last month.
  const firstMonth = monthOf(Date.UTC(createdAt.getUTCFullYear(), createdAt.getUTCMonth() + (gap === 'default_rows' ? 1 : 0), 1));
  return { id, name, slug, domain, size, createdAt, endMonth, firstMonth, lastMonth };
}

/**
 * A platform whose cron job missed some tenants, so the demo has partitions to fix: every eighth
 * tenant (index 5, 13, 21…) lacks next month's partition (`short`), and every twelfth (index 10,
 * 22…) lacks its first month's, whose interactions then sit in the default partition
 * (`default_rows`). The others are as §5.1.2 keeps them.
 */
export function demoPartitionGap(index: number): 'short' | 'default_rows' | null {
  if (index % 8 === 5) return 'short';
  if (index % 12 === 10) return 'default_rows';
  return null;
}

export function murimaTenantHead(seed: string | number, index: number, window: MurimaWindow, layout: PostgresLayout): MurimaTenantHead {
  const { id, firstMonth, lastMonth } = drawHead(new Rng('murima2025', seed, index), index, window);
  return { id, schema: tenantSchemaName(layout, id), firstMonth, lastMonth };
}

/**
 * One Murima2025 tenant, generated from (seed, index) alone: the same pair gives the same tenant,
 * whatever else is generated. Sizes are skewed like a real platform: most tenants are small, a few
 * are large.
 */
export function generateMurimaTenant(seed: string | number, index: number, window: MurimaWindow, layout: PostgresLayout): MurimaTenant {
  const r = new Rng('murima2025', seed, index);
  const { id, name, slug, domain, size, createdAt, endMonth, firstMonth, lastMonth } = drawHead(r, index, window);
  const [minCases, maxCases] = size === 'small' ? [5, 20] : size === 'medium' ? [20, 80] : [80, 250];
  const from = createdAt.getTime();
  const to = windowNow(window) - 1;
  // Nothing happens after `to` (the seeder's clock), however late `after + n days` would fall.
  const when = (after = from, before = to): Date => r.between(Math.min(after, to), Math.max(Math.min(after, to), Math.min(before, to)));

  const tenantRowTime = createdAt;
  const users: Array<{ id: string; username: string; role: string; first: string; last: string }> = [];
  const userRows: unknown[][] = [];
  const taken = new Set<string>();
  const userCount = size === 'small' ? r.int(3, 8) : size === 'medium' ? r.int(8, 25) : r.int(25, 60);
  for (let i = 0; i < userCount; i++) {
    const { first, last } = words.person(r);
    let username = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    if (taken.has(username)) username = `${username}${i}`;
    taken.add(username);
    const role = i === 0 ? 'admin' : r.pick(ROLES);
    const user = { id: r.uuid(), username, role, first, last };
    users.push(user);
    const created = when(from, from + 30 * DAY);
    userRows.push([
      user.id, id, username, `${username}@${domain}`, `$2b$12$${r.hex(53)}`, first, last, role,
      r.weighted([['active', 90], ['inactive', 5], ['suspended', 2], ['invited', 3]] as const),
      r.chance(0.9) ? iso(when(created.getTime())) : null, iso(created), iso(created),
      { cases: role === 'viewer' ? ['view'] : ['view', 'create', 'update'], reports: role === 'admin' || role === 'supervisor' ? ['view'] : [] },
      { theme: r.pick(['light', 'dark', 'system']), language: r.pick(['en', 'en', 'fr', 'sw', 'de']), notifications: { email: r.chance(0.7), push: r.chance(0.5) } },
      { source: r.pick(['sso', 'invite', 'import']) },
    ]);
  }
  const agent = (): (typeof users)[number] => r.pick(users);

  const teams = r.sample(TEAM_NAMES, size === 'small' ? r.int(1, 2) : r.int(2, 5)).map((teamName) => ({ id: r.uuid(), name: teamName }));
  const teamRows = teams.map((t) => [t.id, id, t.name, `${t.name} team of ${name}`, iso(tenantRowTime), iso(tenantRowTime), { colour: r.pick(['blue', 'green', 'orange', 'purple']) }]);
  const memberRows: unknown[][] = [];
  for (const team of teams) {
    for (const u of r.sample(users, r.int(1, Math.min(users.length, 8)))) {
      memberRows.push([team.id, u.id, u.role === 'supervisor' ? 'lead' : 'member', iso(when(from, from + 60 * DAY))]);
    }
  }

  const workflows = Array.from({ length: r.int(1, 3) }, (_, i) => ({ id: r.uuid(), name: ['Standard', 'Escalation', 'Refunds'][i]! }));
  const workflowRows = workflows.map((w) => {
    const stages = ['New', 'Triage', 'In progress', 'Waiting on customer', 'Resolved'].map((s, order) => ({ id: r.uuid(), name: s, order }));
    return [
      w.id, id, w.name, `${w.name} workflow`, true, iso(tenantRowTime), iso(tenantRowTime),
      stages, stages.slice(1).map((s, i) => ({ from: stages[i]!.id, to: s.id })),
      [{ on: 'enter', stage: stages[4]!.id, action: 'send_template', template: 'Case Resolution Confirmation' }],
      { response_hours: r.pick([4, 8, 24]), resolution_hours: r.pick([48, 72, 120]) },
    ];
  });

  const caseTypes = r.sample(CASE_TYPE_NAMES, r.int(2, 6)).map((typeName) => ({ id: r.uuid(), name: typeName, workflow: r.pick(workflows) }));
  const caseTypeRows = caseTypes.map((t) => [
    t.id, id, t.name, `${t.name} requests`,
    { sections: [{ name: 'details', fields: ['customer_id', 'order_reference', 'contact_preference'] }] },
    { required: ['customer_id'] }, t.workflow.id, iso(tenantRowTime), iso(tenantRowTime), r.chance(0.9),
  ]);

  const channels = r.sample(CHANNEL_TYPES, r.int(2, 5)).map(([channelName, type]) => ({ id: r.uuid(), name: channelName, type }));
  const channelRows = channels.map((c) => [c.id, id, c.name, c.type, { provider: r.pick(['twilio', 'sendgrid', 'meta', 'in-house']), region: r.pick(['eu-west-1', 'us-east-1', 'af-south-1']) }, iso(tenantRowTime), iso(tenantRowTime), true]);

  const caseRows: unknown[][] = [];
  const interactionRows: unknown[][] = [];
  const documentRows: unknown[][] = [];
  const taskRows: unknown[][] = [];
  const notes: Array<Record<string, unknown>> = [];
  const elastic: ElasticDocument[] = [];
  const mongoAudit: Array<Record<string, unknown>> = [];
  const cases: Array<{ id: string; number: string; title: string; status: string }> = [];
  const caseCount = r.int(minCases, maxCases);
  for (let i = 0; i < caseCount; i++) {
    const caseId = r.uuid();
    const created = when();
    const createdMs = created.getTime();
    const type = r.pick(caseTypes);
    const status = createdMs < to - 45 * DAY
      ? r.weighted([['closed', 55], ['resolved', 30], ['open', 5], ['in_progress', 5], ['pending', 5]] as const)
      : r.weighted([['open', 35], ['in_progress', 35], ['pending', 15], ['resolved', 10], ['closed', 5]] as const);
    const priority = r.weighted([['low', 25], ['medium', 45], ['high', 22], ['urgent', 8]] as const);
    const title = words.caseTitle(r);
    const description = words.description(r);
    const number = `CASE-${created.getUTCFullYear()}-${String(i + 1).padStart(6, '0')}`;
    const creator = agent();
    const assignee = r.chance(0.85) ? agent() : undefined;
    const updated = when(createdMs, Math.min(to, createdMs + 20 * DAY));
    const due = r.chance(0.7) ? new Date(createdMs + r.int(1, 14) * DAY) : null;
    const tags = r.sample(TAGS, r.int(0, 3));
    const customFields = { customer_id: `CUST-${r.int(100000, 999999)}`, customer_satisfaction: r.pick(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']), order_reference: r.chance(0.5) ? `ORD-${r.int(10000, 99999)}` : null };
    cases.push({ id: caseId, number, title, status });
    caseRows.push([
      caseId, id, number, title, description, status, priority, type.id, type.workflow.id, null, creator.id, assignee?.id ?? null,
      iso(created), iso(updated), due ? iso(due) : null, customFields, tags, { channel: r.pick(channels).type }, 1,
    ]);
    elastic.push({
      entity: 'cases', month: created, id: caseId,
      body: { tenant_id: id, id: caseId, case_number: number, title, description, status, priority, case_type_id: type.id, case_type_name: type.name, created_by: creator.id, assigned_to: assignee?.id ?? null, created_at: iso(created), updated_at: iso(updated), due_date: due ? iso(due) : null, custom_fields: customFields, tags },
    });
    const interactionCount = r.int(0, size === 'large' ? 8 : 5);
    let at = createdMs;
    for (let k = 0; k < interactionCount; k++) {
      at = Math.min(to, at + r.int(5, 72 * 60) * 60_000);
      const direction = k % 2 === 0 ? 'inbound' : 'outbound';
      const channel = r.pick(channels);
      const interactionId = r.uuid();
      const content = words.interaction(r, direction);
      const user = direction === 'outbound' ? agent().id : null;
      const itags = r.chance(0.3) ? [r.pick(TAGS)] : [];
      interactionRows.push([interactionId, id, caseId, channel.id, user, direction, content, iso(new Date(at)), { sentiment_score: Math.round((r.next() * 2 - 1) * 100) / 100 }, r.chance(0.4) ? `ext-${r.hex(12)}` : null, itags]);
      elastic.push({ entity: 'interactions', month: new Date(at), id: interactionId, body: { tenant_id: id, id: interactionId, case_id: caseId, channel_id: channel.id, channel_type: channel.type, user_id: user, direction, content, sentiment_score: Math.round((r.next() * 2 - 1) * 100) / 100, timestamp: iso(new Date(at)), tags: itags } });
    }
    for (let k = r.int(0, 2); k > 0; k--) {
      const [ext, mime] = r.pick(MIME);
      const docId = r.uuid();
      documentRows.push([docId, id, caseId, `${r.pick(['receipt', 'screenshot', 'contract', 'statement', 'call_recording'])}_${r.int(1, 999)}.${ext}`, mime, r.int(20_000, 8_000_000), `tenant_${id}/case_${caseId}/${docId}.${ext}`, agent().id, iso(when(createdMs, Math.min(to, createdMs + 10 * DAY))), r.chance(0.05), { checksum: r.hex(64) }]);
    }
    for (let k = r.int(0, 3); k > 0; k--) {
      const taskStatus = status === 'closed' || status === 'resolved' ? 'completed' : r.pick(['pending', 'in_progress', 'completed', 'cancelled'] as const);
      const taskCreated = when(createdMs, Math.min(to, createdMs + 5 * DAY));
      taskRows.push([r.uuid(), id, caseId, words.taskTitle(r), null, taskStatus, priority, agent().id, creator.id, iso(taskCreated), iso(taskCreated), iso(new Date(taskCreated.getTime() + r.int(1, 7) * DAY)), taskStatus === 'completed' ? iso(when(taskCreated.getTime(), to)) : null, null]);
    }
    if (r.chance(0.5)) {
      const noteAt = when(createdMs);
      notes.push({ tenant_id: id, case_id: caseId, user_id: agent().id, content: words.note(r), created_at: noteAt, updated_at: noteAt, is_internal: r.chance(0.7), tags: r.sample(['follow-up', 'customer-contact', 'escalation', 'billing'], r.int(0, 2)), attachments: [] });
    }
    if (status !== 'open') {
      const changedAt = updated;
      const change = { tenant_id: id, entity_type: 'case', entity_id: caseId, action: 'update', user_id: (assignee ?? creator).id, timestamp: changedAt, changes: [{ field: 'status', old_value: 'open', new_value: status }], ip_address: words.ipv4(r), user_agent: r.pick(USER_AGENTS), context: { session_id: r.uuid(), request_id: r.uuid() } };
      mongoAudit.push(change);
      elastic.push({ entity: 'audit-logs', month: changedAt, id: r.uuid(), body: { ...change, timestamp: iso(changedAt) } });
    }
  }

  const redis: RedisWrite[] = [];
  const key = (...parts: string[]): string => [id, ...parts].join(':');
  const nowSec = Math.floor(windowNow(window) / 1000) - 3600;
  const online: Array<{ score: number; member: string }> = [];
  for (const u of r.sample(users, Math.min(users.length, r.int(1, 4)))) {
    redis.push({
      op: 'hset', key: key('session', r.hex(16)), ttlSeconds: 86_400,
      fields: { user_id: u.id, username: u.username, role: u.role, permissions: json({ cases: ['view', 'create', 'update'] }), last_activity: iso(new Date(nowSec * 1000)) },
    });
    redis.push({ op: 'hset', key: key('user', u.id, 'permissions'), ttlSeconds: 3_600, fields: { cases: 'view,create,update', reports: u.role === 'admin' ? 'view,export' : 'view' } });
    redis.push({
      op: 'rpush', key: key('notifications', u.id), ttlSeconds: 2_592_000,
      values: Array.from({ length: r.int(1, 4) }, () => json({ type: r.pick(['case_assigned', 'sla_warning', 'mention']), case_id: r.pick(cases).id, at: iso(new Date(nowSec * 1000)) })),
    });
    online.push({ score: nowSec - r.int(0, 50), member: u.id });
  }
  // Online users have no TTL (§2.3.2): entries are pruned by score instead.
  redis.push({ op: 'zadd', key: key('online_users'), entries: online });
  for (const c of r.sample(cases, Math.min(cases.length, r.int(1, 5)))) {
    redis.push({ op: 'hset', key: key('case', c.id), ttlSeconds: 1_800, fields: { case_number: c.number, title: c.title, status: c.status } });
    redis.push({ op: 'sadd', key: key('case', c.id, 'viewers'), ttlSeconds: 300, members: r.sample(users, r.int(1, 3)).map((u) => u.id) });
  }
  for (const configKey of ['branding', 'sla', 'features']) {
    redis.push({ op: 'set', key: key('config', configKey), ttlSeconds: 3_600, value: json({ key: configKey, tenant: slug, version: r.int(1, 9) }) });
  }
  redis.push({
    op: 'zadd', key: key('rate_limit', words.ipv4(r)), ttlSeconds: 60,
    entries: Array.from({ length: r.int(1, 5) }, (_, i) => ({ score: nowSec - i, member: `api_call_${i + 1}` })),
  });
  redis.push({ op: 'set', key: key('locks', `case_${r.pick(cases).id}`), ttlSeconds: 30, value: r.hex(16) });

  const fieldDefinitions = ['customer_satisfaction', 'order_reference', 'contact_preference', 'customer_id'].slice(0, r.int(2, 4)).map((fieldName, order) => ({
    tenant_id: id, entity_type: 'case', field_name: fieldName, display_name: fieldName.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    field_type: fieldName === 'customer_satisfaction' ? 'select' : 'text', required: fieldName === 'customer_id', order, section: 'details',
    created_at: createdAt, updated_at: createdAt, is_active: true,
  }));
  const templates = ['Case Resolution Confirmation', 'Acknowledgement', 'Waiting on customer', 'Satisfaction survey'].slice(0, r.int(2, 4)).map((templateName) => ({
    tenant_id: id, name: templateName, description: `${templateName} message`, channel_type: r.pick(['email', 'sms']), subject: `Your case #{{case_number}}: ${templateName.toLowerCase()}`,
    content: 'Dear {{customer_name}},\n\nThank you for contacting us about "{{case_title}}".\n\n{{agent_name}}\n{{company_name}}',
    variables: ['customer_name', 'case_number', 'case_title', 'agent_name', 'company_name'], created_by: users[0]!.id, created_at: createdAt, updated_at: createdAt, is_active: true, tags: ['email'], category: 'case_status',
  }));
  const aiResults = r.sample(cases, Math.min(cases.length, r.int(1, 3))).map((c) => ({
    tenant_id: id, service_type: 'sentiment_analysis', input_hash: r.hex(40), result: { sentiment: r.pick(['positive', 'neutral', 'negative']), confidence: Math.round(r.next() * 100) / 100 }, provider: r.pick(['azure', 'openai', 'aws']),
    case_id: c.id, created_at: new Date(windowNow(window) - DAY), expires_at: new Date(endMonth.getTime() + 7 * DAY),
  }));

  return {
    index,
    id,
    slug,
    name,
    schema: tenantSchemaName(layout, id),
    status: r.weighted([['active', 92], ['suspended', 6], ['archived', 2]] as const),
    plan: r.weighted([['starter', 40], ['standard', 40], ['enterprise', 20]] as const),
    createdAt,
    firstMonth,
    lastMonth,
    tables: [
      { table: 'users', columns: ['id', 'tenant_id', 'username', 'email', 'password_hash', 'first_name', 'last_name', 'role', 'status', 'last_login', 'created_at', 'updated_at', 'permissions', 'preferences', 'metadata'], rows: userRows },
      { table: 'teams', columns: ['id', 'tenant_id', 'name', 'description', 'created_at', 'updated_at', 'metadata'], rows: teamRows },
      { table: 'team_members', columns: ['team_id', 'user_id', 'role', 'joined_at'], rows: memberRows },
      { table: 'workflows', columns: ['id', 'tenant_id', 'name', 'description', 'active', 'created_at', 'updated_at', 'stages', 'transitions', 'actions', 'sla_definitions'], rows: workflowRows },
      { table: 'case_types', columns: ['id', 'tenant_id', 'name', 'description', 'form_definition', 'validation_rules', 'workflow_id', 'created_at', 'updated_at', 'is_active'], rows: caseTypeRows },
      { table: 'cases', columns: ['id', 'tenant_id', 'case_number', 'title', 'description', 'status', 'priority', 'case_type_id', 'workflow_id', 'current_stage_id', 'created_by', 'assigned_to', 'created_at', 'updated_at', 'due_date', 'custom_fields', 'tags', 'metadata', 'version'], rows: caseRows },
      { table: 'channels', columns: ['id', 'tenant_id', 'name', 'type', 'configuration', 'created_at', 'updated_at', 'is_active'], rows: channelRows },
      { table: 'interactions', columns: ['id', 'tenant_id', 'case_id', 'channel_id', 'user_id', 'direction', 'content', 'timestamp', 'metadata', 'external_id', 'tags'], rows: interactionRows },
      { table: 'documents', columns: ['id', 'tenant_id', 'case_id', 'filename', 'mime_type', 'size', 'storage_path', 'uploaded_by', 'uploaded_at', 'is_deleted', 'metadata'], rows: documentRows },
      { table: 'tasks', columns: ['id', 'tenant_id', 'case_id', 'title', 'description', 'status', 'priority', 'assigned_to', 'created_by', 'created_at', 'updated_at', 'due_date', 'completed_at', 'metadata'], rows: taskRows },
    ],
    redis,
    mongo: { custom_field_definitions: fieldDefinitions, case_notes: notes, audit_logs: mongoAudit, message_templates: templates, ai_results_cache: aiResults },
    elastic,
  };
}
