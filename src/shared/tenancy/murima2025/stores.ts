import type { ElasticBlueprint, JsonObject, MongoBlueprint, MongoCollection, MongoIndex, MongoTimeBuckets, RedisBlueprint } from '../blueprint';

/** §4.2.1: every collection gets these two, the tenant field first. */
function defaults(): MongoIndex[] {
  return [
    { name: 'tenant_id_1_created_at_-1', key: [['tenant_id', 1], ['created_at', -1]], source: '003 §4.2.1' },
  ];
}

function collection(name: string, extra: MongoIndex[], source = '003 §2.2.2', timeBuckets?: MongoTimeBuckets): MongoCollection {
  return { name, database: 'tenant', tenantScoped: true, indexes: [...defaults(), ...extra], ...(timeBuckets && { timeBuckets }), source };
}

/**
 * §5.2.2 names high-volume collections by month (`tenant_123456_audit_logs_2025_06`) without a
 * retention; the platform's audit logs are deleted after 365 days in Elasticsearch (§5.3.2), so a
 * monthly bucket is kept for twelve months.
 */
const AUDIT_BUCKETS: MongoTimeBuckets = { interval: 'month', nameFormat: 'name_YYYY_MM', retentionMonths: 12, source: '003 §5.2.2, retention as §5.3.2' };

const AUDIT_TS: MongoIndex = { name: 'tenant_id_1_timestamp_1', key: [['tenant_id', 1], ['timestamp', 1]], source: '003 §5.2.1' };

export const murimaMongo: MongoBlueprint = {
  collections: [
    collection('custom_field_definitions', [
      { name: 'tenant_id_1_entity_type_1_field_name_1', key: [['tenant_id', 1], ['entity_type', 1], ['field_name', 1]], unique: true, source: '003 §2.2.2' },
    ]),
    collection('case_notes', [
      { name: 'tenant_id_1_case_id_1', key: [['tenant_id', 1], ['case_id', 1]], source: '003 §4.2.1' },
      { name: 'tenant_id_1_case_id_1_created_at_-1', key: [['tenant_id', 1], ['case_id', 1], ['created_at', -1]], source: '003 §8.1.2' },
      { name: 'text_index', key: [['content', 'text']], defaultLanguage: 'english', weights: { content: 1 }, source: '003 §4.2.2' },
    ]),
    // Audit documents carry `timestamp`, not created_at; the §4.2.1 default is kept for uniformity.
    collection('audit_logs', [
      AUDIT_TS,
      { name: 'tenant_id_1_entity_type_1_entity_id_1', key: [['tenant_id', 1], ['entity_type', 1], ['entity_id', 1]], source: '003 §2.2.2' },
    ], '003 §2.2.2', AUDIT_BUCKETS),
    collection('message_templates', [
      { name: 'tenant_id_1_name_1', key: [['tenant_id', 1], ['name', 1]], unique: true, source: '003 §2.2.2' },
    ]),
    collection('ai_results_cache', [
      { name: 'tenant_id_1_service_type_1_input_hash_1', key: [['tenant_id', 1], ['service_type', 1], ['input_hash', 1]], unique: true, source: '003 §2.2.2' },
      { name: 'expires_at_1', key: [['expires_at', 1]], expireAfterSeconds: 0, source: '003 §4.2.3' },
    ]),
  ],
};

export const murimaRedis: RedisBlueprint = {
  families: [
    { name: 'session', pattern: 'session:{session_id}', glob: 'session:*', type: 'hash', ttlSeconds: 86_400, purpose: 'User session data', source: '003 §2.3.2' },
    { name: 'user_permissions', pattern: 'user:{user_id}:permissions', glob: 'user:*:permissions', type: 'hash', ttlSeconds: 3_600, purpose: 'User permissions cache', source: '003 §2.3.2' },
    { name: 'case', pattern: 'case:{case_id}', glob: 'case:*', type: 'hash', ttlSeconds: 1_800, purpose: 'Case data cache', source: '003 §2.3.2' },
    { name: 'config', pattern: 'config:{config_key}', glob: 'config:*', type: 'string', ttlSeconds: 3_600, purpose: 'Tenant configuration', source: '003 §2.3.2' },
    { name: 'rate_limit', pattern: 'rate_limit:{ip_address}', glob: 'rate_limit:*', type: 'zset', ttlSeconds: 60, purpose: 'API rate limiting', source: '003 §2.3.2' },
    { name: 'online_users', pattern: 'online_users', glob: 'online_users', type: 'zset', ttlSeconds: null, purpose: 'Currently online users', source: '003 §2.3.2' },
    { name: 'case_viewers', pattern: 'case:{case_id}:viewers', glob: 'case:*:viewers', type: 'set', ttlSeconds: 300, purpose: 'Current case viewers', source: '003 §2.3.2' },
    { name: 'notifications', pattern: 'notifications:{user_id}', glob: 'notifications:*', type: 'list', ttlSeconds: 2_592_000, purpose: 'User notifications', source: '003 §2.3.2' },
    { name: 'locks', pattern: 'locks:{resource_id}', glob: 'locks:*', type: 'string', ttlSeconds: 30, purpose: 'Distributed locks', source: '003 §2.3.2' },
  ],
};

const ANALYSIS_FILTERS = ['lowercase', 'asciifolding', 'stop', 'snowball'];
const analyzer = (name: string): JsonObject => ({
  analyzer: { [name]: { type: 'custom', tokenizer: 'standard', filter: ANALYSIS_FILTERS } },
});
const keyword = { type: 'keyword' };
const date = { type: 'date' };
const textWithKeyword = (extra: JsonObject = {}): JsonObject => ({
  type: 'text',
  ...extra,
  fields: { keyword: { type: 'keyword', ignore_above: 256 } },
});

const casesMappings: JsonObject = {
  properties: {
    tenant_id: keyword, id: keyword, case_number: keyword,
    title: textWithKeyword({ analyzer: 'case_analyzer' }),
    description: { type: 'text', analyzer: 'case_analyzer' },
    status: keyword, priority: keyword, case_type_id: keyword, case_type_name: keyword,
    created_by: keyword, assigned_to: keyword, created_at: date, updated_at: date, due_date: date,
    custom_fields: { type: 'object', dynamic: true }, tags: keyword,
  },
};

const interactionsMappings: JsonObject = {
  properties: {
    tenant_id: keyword, id: keyword, case_id: keyword, channel_id: keyword, channel_type: keyword,
    user_id: keyword, direction: keyword, content: { type: 'text', analyzer: 'interaction_analyzer' },
    sentiment_score: { type: 'float' }, timestamp: date, tags: keyword,
  },
};

const auditMappings: JsonObject = {
  properties: {
    tenant_id: keyword, entity_type: keyword, entity_id: keyword, action: keyword, user_id: keyword, timestamp: date,
    changes: {
      type: 'nested',
      properties: { field: keyword, old_value: textWithKeyword(), new_value: textWithKeyword() },
    },
    ip_address: { type: 'ip' }, user_agent: { type: 'text' }, context: { type: 'object', dynamic: true },
  },
};

export const ILM_POLICY_NAME = 'case_logs_policy';

export const murimaElastic: ElasticBlueprint = {
  indices: [
    { entity: 'cases', settings: { number_of_shards: 3, number_of_replicas: 1, analysis: analyzer('case_analyzer') }, mappings: casesMappings, source: '003 §2.4.2' },
    { entity: 'interactions', settings: { number_of_shards: 3, number_of_replicas: 1, analysis: analyzer('interaction_analyzer') }, mappings: interactionsMappings, source: '003 §2.4.2' },
    { entity: 'audit-logs', settings: { number_of_shards: 3, number_of_replicas: 1 }, mappings: auditMappings, source: '003 §2.4.2' },
  ],
  templates: [
    {
      name: 'tenant_cases_template',
      indexPatterns: ['tenant-*-cases-*'],
      template: { settings: { number_of_shards: 3, number_of_replicas: 1, analysis: analyzer('case_analyzer') } },
      source: '003 §4.3.1',
    },
  ],
  ilmPolicies: [
    {
      name: ILM_POLICY_NAME,
      policy: {
        phases: {
          hot: { actions: { rollover: { max_age: '30d', max_size: '50gb' } } },
          warm: { min_age: '30d', actions: { shrink: { number_of_shards: 1 }, forcemerge: { max_num_segments: 1 } } },
          cold: { min_age: '90d', actions: { freeze: {} } },
          delete: { min_age: '365d', actions: { delete: {} } },
        },
      },
      source: '003 §5.3.2',
    },
  ],
};
