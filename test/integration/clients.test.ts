import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients as clientsSection } from '@shared/contract/clients';
import { clientManagement } from '@shared/tenancy';
import type { InspectorStores } from '../../src/main/reading/stores';
import { createClientsService, type ClientsService } from '../../src/main/features/clients/service';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';

announceSkip('Client inspector against MongoDB', mongoSkipReason);

/**
 * The client inspector against a real MongoDB through MongoStore: two Client Management tenants in
 * one customer database, read with the tenant's scope; filters cross the store's face as Extended
 * JSON and are deserialised by the store, exactly as the workspace wiring uses it.
 */

const tenantA = new ObjectId();
const tenantB = new ObjectId();
const clientId = new ObjectId();
const userId = new ObjectId();
const otherClient = new ObjectId();

describe.skipIf(!mongoUrl)('Client inspector against MongoDB', () => {
  const database = `tenantscope_clients_it_${process.pid}`;
  const noTextIndex = `tenantscope_clients_tokens_${process.pid}`;
  let admin: MongoClient;
  let store: MongoStore;
  let service: ClientsService;
  let tokenService: ClientsService;
  const context = (role: 'support' | 'platform_admin' = 'support') => ({ signal: new AbortController().signal, session: { role, operator: { name: 'Ada Admin' } } });

  beforeAll(async () => {
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    for (const name of [database, noTextIndex]) {
      const db = admin.db(name);
      await db.collection('clients').insertMany([
        {
          _id: clientId, tenantId: tenantA, clientCode: 'CLI-00001', companyName: 'Acme Logistics', legalName: 'Acme Logistics Ltd', userId,
          businessDetails: { taxId: 'P051234567X', employeeCount: 120 }, relationship: { status: 'active', tier: 'enterprise', churnRisk: { score: 41, factors: ['late payments'] } },
          analytics: { lifetime: { totalRevenue: 250000 } }, searchTokens: ['acme', 'logistics'], isDeleted: false, createdAt: new Date('2025-01-01T00:00:00Z'),
        },
        { tenantId: tenantA, clientCode: 'CLI-00002', companyName: 'Baobab Foods', relationship: { status: 'prospect' }, searchTokens: ['baobab', 'foods'], createdAt: new Date() },
        { tenantId: tenantA, clientCode: 'CLI-00003', companyName: 'Acme Deleted', relationship: { status: 'active' }, searchTokens: ['acme', 'deleted'], isDeleted: true },
        { _id: otherClient, tenantId: tenantB, clientCode: 'CLI-00001', companyName: 'Acme Elsewhere', relationship: { status: 'active' }, searchTokens: ['acme', 'elsewhere'] },
      ]);
      await db.collection('clientcontacts').insertMany([
        { tenantId: tenantA, clientId, contactId: 'CONT-1', personalInfo: { fullName: 'Amina Otieno', dateOfBirth: '1984-05-06' }, professionalInfo: { personalEmail: 'amina@mail.example' }, createdAt: new Date('2025-02-01') },
        { tenantId: tenantA, clientId, contactId: 'CONT-2', personalInfo: { fullName: 'Brian Mwangi' }, createdAt: new Date('2025-03-01') },
        { tenantId: tenantB, clientId, contactId: 'CONT-X', personalInfo: { fullName: 'Not ours' } },
      ]);
      await db.collection('clientdocuments').insertOne({
        tenantId: tenantA, clientId, documentId: 'DOC-1', documentInfo: { name: 'Agreement' },
        version: { current: 2, history: [{ version: 1, status: 'superseded' }, { version: 2, status: 'current' }] }, createdAt: new Date('2025-02-02'),
      });
      await db.collection('clientnotes').insertMany([
        { tenantId: tenantA, clientId, noteId: 'NOTE-1', content: { title: 'Kick-off' }, tasks: [{ description: 'Send proposal', status: 'pending' }], createdAt: new Date('2025-02-03') },
        { tenantId: tenantB, clientId, noteId: 'NOTE-X', content: { title: 'Not ours' } },
      ]);
      await db.collection('users').insertOne({ _id: userId, tenantId: tenantA, email: 'portal@acme.example', password: '$2b$12$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP' });
    }
    await admin.db(database).collection('clients').createIndex(
      { tenantId: 1, companyName: 'text', legalName: 'text', tradingName: 'text', 'contacts.primary.name': 'text' },
      { name: 'clients_text' },
    );
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, { password });
    await store.connect();
    const stores = (db: string): InspectorStores => ({ preset: clientManagement, mongo: { reader: store, database: db } });
    service = createClientsService({ openStores: async () => stores(database) });
    tokenService = createClientsService({ openStores: async () => stores(noTextIndex) });
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await admin?.db(noTextIndex).dropDatabase();
    await Promise.all([store?.close(), admin?.close()]);
  });

  const search = (svc: ClientsService, args: Record<string, unknown>) =>
    svc.search(clientsSection.methods.search.args.parse({ workspaceId: 'cms', tenantId: tenantA.toHexString(), ...args }), context());

  it('finds the tenant’s live clients by name with the text index, never another tenant’s', async () => {
    const result = await search(service, { text: 'acme' });
    expect(result.matchedBy).toBe('text_index');
    expect(result.clients.map((c) => c.id)).toEqual([clientId.toHexString()]);
    const direct = await admin.db(database).collection('clients').countDocuments({ tenantId: tenantA, $text: { $search: 'acme' }, isDeleted: { $ne: true } });
    expect(result.clients).toHaveLength(direct);
  });

  it('finds by search tokens where there is no text index, and by exact code and status', async () => {
    const tokens = await search(tokenService, { text: 'Acme' });
    expect(tokens.matchedBy).toBe('search_tokens');
    expect(tokens.clients.map((c) => c.clientCode)).toEqual(['CLI-00001']);
    expect((await search(service, { code: 'CLI-00001' })).clients.map((c) => c.id)).toEqual([clientId.toHexString()]);
    const prospects = await search(service, { status: 'prospect' });
    expect(prospects.clients.map((c) => c.companyName)).toEqual(['Baobab Foods']);
  });

  it('treats operators typed into a search as text', async () => {
    const result = await search(service, { text: '{"$where": "sleep(100)"}' });
    expect(result.clients).toEqual([]);
    expect((await search(service, { code: '{"$ne": null}' })).clients).toEqual([]);
  });

  it('returns the client page with exactly the tenant’s documents, masked', async () => {
    const page = await service.get({ workspaceId: 'cms', tenantId: tenantA.toHexString(), clientId: clientId.toHexString() }, context());
    expect(clientsSection.methods.get.result.safeParse(page).success).toBe(true);
    const db = admin.db(database);
    expect(page.contacts.items).toHaveLength(await db.collection('clientcontacts').countDocuments({ tenantId: tenantA, clientId }));
    expect(page.documents.items).toHaveLength(await db.collection('clientdocuments').countDocuments({ tenantId: tenantA, clientId }));
    expect(page.notes.items).toHaveLength(await db.collection('clientnotes').countDocuments({ tenantId: tenantA, clientId }));
    expect(page.contacts.items.map((c) => c.contactId)).toEqual(['CONT-2', 'CONT-1']);
    expect(page.documents.items[0]!.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(page.notes.items[0]!.tasks).toEqual([{ description: 'Send proposal', status: 'pending' }]);
    expect(page.relationship).toMatchObject({ churnRisk: { score: 41 } });
    expect(page.user?._id).toBe(userId.toHexString());
    const text = JSON.stringify(page);
    for (const secret of ['P051234567X', '1984-05-06', 'amina@mail.example', 'abcdefghijklmnopqrstuvwxyz']) expect(text).not.toContain(secret);
  });

  it('does not open another tenant’s client through this tenant’s scope', async () => {
    await expect(
      service.get({ workspaceId: 'cms', tenantId: tenantA.toHexString(), clientId: otherClient.toHexString() }, context()),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
