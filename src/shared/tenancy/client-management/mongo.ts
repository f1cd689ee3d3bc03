import type { MongoBlueprint, MongoCollection, MongoIndex, MongoKeyValue } from '../blueprint';

type Key = Array<[string, MongoKeyValue]>;

/** MongoDB's default index name: field_value joined by underscores. */
export function mongoIndexName(key: Key): string {
  return key.map(([field, value]) => `${field}_${value}`).join('_');
}

function idx(key: Key, source: string, options: Omit<MongoIndex, 'name' | 'key' | 'source'> = {}): MongoIndex {
  return { name: mongoIndexName(key), key, source, ...options };
}

const t = (field: string, value: MongoKeyValue = 1, source = ''): MongoIndex =>
  idx([['tenantId', 1], [field, value]], source);

function customer(name: string, indexes: MongoIndex[], source: string): MongoCollection {
  return { name, database: 'customer', tenantScoped: true, indexes, source };
}

/**
 * §4 of seed 000. The seed lists two keys that do not start with tenantId although §1.3 and §5.1
 * require the prefix on every index: `{ _id: 1, tenantId: 1 }` (which the default `_id` index
 * already serves) and the text index. They are modelled tenant-first: `{ tenantId: 1, _id: 1 }`
 * and a compound text index with a tenantId equality prefix, which MongoDB supports and which keeps
 * every text search inside one tenant.
 */
export const clientManagementMongo: MongoBlueprint = {
  collections: [
    customer(
      'clients',
      [
        idx([['tenantId', 1], ['clientCode', 1]], '000 §4.1', { unique: true }),
        t('_id', 1, '000 §4.1'),
        t('companyName', 1, '000 §4.1'),
        t('relationship.status', 1, '000 §4.1'),
        t('relationship.tier', 1, '000 §4.1'),
        t('relationship.accountManager', 1, '000 §4.1'),
        t('analytics.lifetime.totalRevenue', -1, '000 §4.1'),
        t('createdAt', -1, '000 §4.1'),
        t('isDeleted', 1, '000 §4.1'),
        t('userId', 1, '000 §4.1'),
        {
          name: 'clients_text',
          key: [['tenantId', 1], ['companyName', 'text'], ['legalName', 'text'], ['tradingName', 'text'], ['contacts.primary.name', 'text']],
          source: '000 §4.1 (text search, tenant-prefixed)',
        },
        t('searchTokens', 1, '000 §4.1'),
      ],
      '000 §3.1',
    ),
    customer(
      'clientcontacts',
      [
        idx([['tenantId', 1], ['contactId', 1]], '000 §4.2', { unique: true }),
        t('clientId', 1, '000 §4.2'),
        t('professionalInfo.workEmail', 1, '000 §4.2'),
        t('role.primaryRole', 1, '000 §4.2'),
        t('engagement.score', -1, '000 §4.2'),
        t('createdAt', -1, '000 §4.2'),
      ],
      '000 §3.2',
    ),
    customer(
      'clientdocuments',
      [
        idx([['tenantId', 1], ['documentId', 1]], '000 §4.3', { unique: true }),
        t('clientId', 1, '000 §4.3'),
        t('projectId', 1, '000 §4.3'),
        t('documentInfo.type', 1, '000 §4.3'),
        t('documentInfo.category', 1, '000 §4.3'),
        t('createdAt', -1, '000 §4.3'),
        t('security.visibility', 1, '000 §4.3'),
      ],
      '000 §3.3',
    ),
    customer(
      'clientnotes',
      [
        idx([['tenantId', 1], ['noteId', 1]], '000 §4.4', { unique: true }),
        t('clientId', 1, '000 §4.4'),
        t('type', 1, '000 §4.4'),
        t('category', 1, '000 §4.4'),
        t('priority', 1, '000 §4.4'),
        t('createdAt', -1, '000 §4.4'),
        t('tags', 1, '000 §4.4'),
        t('interaction.date', -1, '000 §4.4'),
      ],
      '000 §3.4',
    ),
    // §1.3: every customer collection is partitioned by tenantId; §2.1 asks for fast authentication.
    customer('users', [idx([['tenantId', 1], ['email', 1]], '000 §2.1 (authentication lookups)', { unique: true })], '000 §2.1'),
    customer('userpreferences', [idx([['tenantId', 1], ['userId', 1]], '000 §2.1 (one per user)', { unique: true })], '000 §2.1'),
    customer('userprofiles', [idx([['tenantId', 1], ['userId', 1]], '000 §2.1 (one per user)', { unique: true })], '000 §2.1'),
    customer('usersettings', [idx([['tenantId', 1], ['userId', 1]], '000 §2.1 (one per user)', { unique: true })], '000 §2.1'),
    // The tenant registry: each organization document is a tenant, its _id is the tenantId.
    {
      name: 'organizations',
      database: 'customer',
      tenantScoped: false,
      indexes: [idx([['slug', 1]], '000 §2.1 (organization lookup)', { unique: true })],
      source: '000 §2.1',
    },
    {
      name: 'sharedconfig',
      database: 'shared',
      tenantScoped: false,
      indexes: [idx([['key', 1]], '000 §2.2', { unique: true })],
      source: '000 §2.2',
    },
    {
      name: 'tokenblacklist',
      database: 'shared',
      tenantScoped: false,
      indexes: [
        idx([['tokenHash', 1]], '000 §2.2', { unique: true }),
        idx([['expiresAt', 1]], '000 §2.2 (TTL removes expired entries)', { expireAfterSeconds: 0 }),
      ],
      source: '000 §2.2',
    },
    {
      name: 'auditlogs',
      database: 'admin',
      tenantScoped: false,
      indexes: [idx([['timestamp', -1]], '000 §2.3')],
      source: '000 §2.3 (system audit logs)',
    },
    {
      name: 'billingrecords',
      database: 'admin',
      tenantScoped: false,
      indexes: [idx([['organizationId', 1], ['periodStart', -1]], '000 §2.3')],
      source: '000 §2.3 (billing records)',
    },
  ],
};
