import { clientManagement, mongoDatabaseName, type MongoDatabases } from '@shared/tenancy';
import type { ExecutionOptions } from '../stores/execution';
import { windowNow, type MurimaWindow } from './murima-tenant';
import type { DemoMongo } from './ports';
import type { SeedProgress, SeedSummary } from './progress';
import { Rng } from './random';
import { words } from './vocabulary';

type Doc = Record<string, unknown>;

/** Documents are Extended JSON: ObjectIds as `{ $oid }` and dates as `{ $date }`, so no driver type leaks here. */
const oid = (hex: string): Doc => ({ $oid: hex });
const date = (d: Date | number): Doc => ({ $date: new Date(d).toISOString() });

export interface ClientManagementSeedOptions {
  tenants: number;
  seed: string;
  window: MurimaWindow;
  /** Database names: `<prefix>_customer_<env>` and so on (§1.1). */
  prefix: string;
  env: string;
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
  signal?: AbortSignal;
}

const DAY = 86_400_000;
const STATUSES = [['active', 50], ['prospect', 15], ['lead', 15], ['inactive', 10], ['churned', 10]] as const;
const TIERS = ['small_business', 'mid_market', 'enterprise', 'strategic'] as const;
const NOTE_TYPES = ['meeting', 'call', 'email', 'task'] as const;
const DOC_TYPES = ['contract', 'proposal', 'invoice', 'report', 'nda'] as const;

/** One tenant's documents per collection base name, from (seed, index) alone. */
export function generateClientManagementTenant(seed: string, index: number, window: MurimaWindow): { id: string; docs: Record<string, Doc[]> } {
  const r = new Rng('client-management', seed, index);
  const tenantId = r.hex(24);
  const tenant = oid(tenantId);
  const orgName = words.company(r);
  // Things happen up to the seeder's clock; only expiries lie after it.
  const now = windowNow(window);
  const created = r.between(window.startMs, Math.max(window.startMs, now - 30 * DAY));
  const when = (from = created.getTime()): Doc => date(r.between(from, now - 1));
  const domain = `${words.slug(orgName).replace(/-/g, '').slice(0, 20) || 'org'}.example.com`;
  const docs: Record<string, Doc[]> = {
    organizations: [{ _id: tenant, name: orgName, slug: `${words.slug(orgName)}-${index}`, status: 'active', plan: r.pick(['starter', 'growth', 'enterprise']), createdAt: date(created), updatedAt: date(created) }],
    users: [], userpreferences: [], userprofiles: [], usersettings: [], clients: [], clientcontacts: [], clientdocuments: [], clientnotes: [], tokenblacklist: [], auditlogs: [], billingrecords: [],
  };
  const push = (collection: string, doc: Doc): void => void docs[collection]!.push(doc);
  const users: string[] = [];
  for (let i = r.int(3, 15); i > 0; i--) {
    const id = r.hex(24);
    users.push(id);
    const { first, last } = words.person(r);
    const email = `${first}.${last}${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + `@${domain}`;
    const at = when();
    push('users', { _id: oid(id), tenantId: tenant, organizationId: tenant, email, firstName: first, lastName: last, role: r.pick(['admin', 'manager', 'consultant', 'client']), status: 'active', createdAt: at, updatedAt: at, __v: 0 });
    push('userpreferences', { tenantId: tenant, userId: oid(id), theme: r.pick(['light', 'dark']), language: 'en', notifications: { email: r.chance(0.8), sms: r.chance(0.2) } });
    push('userprofiles', { tenantId: tenant, userId: oid(id), displayName: `${first} ${last}`, jobTitle: r.pick(['Account Manager', 'Consultant', 'Partner', 'Analyst']), timezone: 'UTC' });
    push('usersettings', { tenantId: tenant, userId: oid(id), dashboard: { layout: r.pick(['grid', 'list']) }, twoFactor: r.chance(0.6) });
    if (r.chance(0.3)) push('tokenblacklist', { tokenHash: r.hex(64), userId: oid(id), tenantId: tenant, reason: 'logout', expiresAt: date(window.endMs + r.int(1, 7) * DAY), createdAt: when() });
  }
  for (let c = r.int(3, 30); c > 0; c--) {
    const clientId = r.hex(24);
    const company = words.company(r);
    const clientCreated = r.between(created.getTime(), now - 1);
    push('clients', {
      _id: oid(clientId), clientCode: `CLI-${String(index * 1000 + c).padStart(5, '0')}`, companyName: company, legalName: company, tradingName: company.split(' ')[0],
      tenantId: tenant, organizationId: tenant, userId: oid(r.pick(users)),
      businessDetails: { registrationNumber: `RC${r.int(100000, 999999)}`, entityType: r.pick(['Corporation', 'LLC', 'Partnership']), employeeCount: r.int(5, 5000), annualRevenue: { amount: r.int(100, 90000) * 1000, currency: r.pick(['USD', 'EUR', 'KES', 'GBP']), year: new Date(window.endMs).getUTCFullYear() - 1 } },
      relationship: { status: r.weighted(STATUSES), tier: r.pick(TIERS), accountManager: oid(r.pick(users)), acquisitionDate: date(clientCreated), acquisitionSource: r.pick(['inbound', 'outbound', 'referral']), churnRisk: { score: r.int(0, 100), factors: r.sample(['late_payments', 'low_engagement', 'support_tickets'], r.int(0, 2)), lastAssessed: when(clientCreated.getTime()) } },
      analytics: { lifetime: { totalRevenue: r.int(0, 2_000_000), totalProjects: r.int(0, 40), totalEngagements: r.int(0, 200), totalInvoices: r.int(0, 120), totalPayments: r.int(0, 120) }, current: { activeProjects: r.int(0, 5) }, engagement: { portalLogins: r.int(0, 500), lastLoginAt: when(clientCreated.getTime()), apiUsage: r.int(0, 10000), supportTickets: r.int(0, 30) } },
      searchTokens: company.toLowerCase().split(/\s+/), isDeleted: r.chance(0.03), createdAt: date(clientCreated), updatedAt: when(clientCreated.getTime()), __v: 0,
    });
    for (let k = r.int(1, 4); k > 0; k--) {
      const { first, last } = words.person(r);
      push('clientcontacts', {
        contactId: `CONT-${r.hex(8).toUpperCase()}`, clientId: oid(clientId), tenantId: tenant, organizationId: tenant,
        personalInfo: { firstName: first, lastName: last, fullName: `${first} ${last}`, jobTitle: r.pick(['CEO', 'CFO', 'Procurement Lead', 'IT Manager', 'Office Manager']) },
        professionalInfo: { workEmail: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${words.slug(company).replace(/-/g, '') || 'client'}.example.org`, directPhone: `+1-555-${r.int(1000000, 9999999)}` },
        role: { primaryRole: r.pick(['decision_maker', 'influencer', 'user', 'billing']) },
        engagement: { score: r.int(0, 100), totalInteractions: r.int(0, 80), lastContactAt: when(clientCreated.getTime()) },
        createdAt: date(clientCreated),
      });
    }
    for (let k = r.int(0, 3); k > 0; k--) {
      const type = r.pick(DOC_TYPES);
      push('clientdocuments', {
        documentId: `DOC-${r.hex(10).toUpperCase()}`, clientId: oid(clientId), projectId: r.chance(0.5) ? oid(r.hex(24)) : null, tenantId: tenant, organizationId: tenant,
        documentInfo: { name: `${type}-${r.int(1, 99)}.pdf`, displayName: `${company} ${type}`, type, category: r.pick(['legal', 'finance', 'delivery']), tags: r.sample(['signed', 'draft', 'q1', 'q2', 'renewal'], r.int(0, 2)) },
        file: { originalName: `${type}.pdf`, storagePath: `tenants/${tenantId}/clients/${clientId}/${r.hex(12)}.pdf`, size: r.int(10_000, 5_000_000), mimeType: 'application/pdf', hash: r.hex(64) },
        version: { current: 1, history: [] }, security: { visibility: r.pick(['private', 'organization', 'public']), sharedWith: [], encryption: { enabled: true, algorithm: 'AES-256-GCM', keyId: r.hex(16) } },
        createdAt: when(clientCreated.getTime()),
      });
    }
    for (let k = r.int(0, 4); k > 0; k--) {
      const body = words.note(r);
      push('clientnotes', {
        noteId: `NOTE-${r.hex(8).toUpperCase()}`, clientId: oid(clientId), tenantId: tenant, organizationId: tenant,
        content: { title: words.caseTitle(r), body, format: 'plain_text', wordCount: body.split(/\s+/).length, characterCount: body.length, sentiment: { score: Math.round((r.next() * 2 - 1) * 100) / 100, category: r.pick(['positive', 'neutral', 'negative']), confidence: Math.round(r.next() * 100) / 100 } },
        type: r.pick(NOTE_TYPES), category: r.pick(['sales', 'support', 'renewal']), tags: r.sample(['follow-up', 'pricing', 'escalation', 'renewal'], r.int(0, 2)), priority: r.pick(['low', 'normal', 'high', 'urgent']), status: r.pick(['draft', 'active', 'completed']),
        interaction: { type: r.pick(['in-person', 'phone', 'video']), date: when(clientCreated.getTime()), duration: r.int(5, 90), participants: [oid(r.pick(users))], outcome: r.pick(['positive', 'follow-up needed', 'no decision']) },
        tasks: [], createdAt: when(clientCreated.getTime()),
      });
    }
  }
  push('auditlogs', { tenantId: tenant, action: 'organization.created', actor: 'system', timestamp: date(created) });
  push('billingrecords', { organizationId: tenant, periodStart: date(created), amount: r.int(100, 5000), currency: 'USD', status: 'paid' });
  return { id: tenantId, docs };
}

/** The platform-wide settings of the shared database (`sharedconfig`), written once per seeding run. */
export function clientManagementSharedConfig(window: MurimaWindow): Doc[] {
  const updatedAt = date(windowNow(window) - DAY);
  return [
    { key: 'features.portal', value: { enabled: true }, updatedAt },
    { key: 'auth.tokenTtlSeconds', value: 3600, updatedAt },
    { key: 'maintenance.window', value: { day: 'sunday', hourUtc: 2 }, updatedAt },
  ];
}

/** Seeds the customer, shared and admin databases of the Client Management System (seed 000). */
export async function seedClientManagement(mongo: DemoMongo, options: ClientManagementSeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const exec: ExecutionOptions = options.signal ? { signal: options.signal } : {};
  const layout = clientManagement.layout.mongo!;
  const dbName = (which: keyof MongoDatabases): string => mongoDatabaseName(layout.databases[which]!, options.prefix, options.env);
  const collections = clientManagement.blueprint.mongo!.collections;
  const summary: SeedSummary = { preset: clientManagement.name, tenants: options.tenants, seed: options.seed, tenantIds: [], mongo: { documents: 0, collections: collections.length }, elapsedMs: 0 };
  const report = (phase: SeedProgress['phase'], tenantsDone: number): void =>
    options.onProgress?.({ phase, tenantsDone, tenantsTotal: options.tenants, written: summary.mongo!.documents, elapsedMs: Date.now() - started });
  report('prepare', 0);
  for (const collection of collections) await mongo.createIndexes(dbName(collection.database as keyof MongoDatabases), collection.name, collection.indexes, exec);
  // Platform-wide settings belong to no tenant, but they are documents written all the same: count them.
  summary.mongo!.documents += await mongo.insertMany(dbName('shared'), 'sharedconfig', clientManagementSharedConfig(options.window), exec);
  const batchSize = Math.max(1, options.batchSize ?? 50);
  for (let first = 0; first < options.tenants; first += batchSize) {
    options.signal?.throwIfAborted();
    const merged = new Map<string, Doc[]>();
    for (let i = first; i < Math.min(options.tenants, first + batchSize); i++) {
      const tenant = generateClientManagementTenant(options.seed, i, options.window);
      summary.tenantIds.push(tenant.id);
      for (const [name, docs] of Object.entries(tenant.docs)) merged.set(name, [...(merged.get(name) ?? []), ...docs]);
    }
    for (const [name, docs] of merged) {
      if (docs.length === 0) continue;
      const collection = collections.find((c) => c.name === name)!;
      summary.mongo!.documents += await mongo.insertMany(dbName(collection.database as keyof MongoDatabases), name, docs, exec);
    }
    report('tenants', Math.min(options.tenants, first + batchSize));
  }
  summary.elapsedMs = Date.now() - started;
  report('done', options.tenants);
  return summary;
}
