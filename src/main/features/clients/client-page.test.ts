import { describe, expect, it } from 'vitest';
import { ClientDetail } from '@shared/model/client';
import { clientManagement, murima2025, scopeFor } from '@shared/tenancy';
import type { InspectorStores, ScopedMongo } from '../../reading/stores';
import { scopedFilter } from '../../stores/mongo/scope';
import { createClientsService } from './service';

const TENANT = '652f1c2e9b1d4a0012ab34cd';
const CLIENT_ID = '6650aa00aa00aa00aa00aa01';
const USER_ID = '6650aa00aa00aa00aa00aa99';

/** Recorded documents of seed 000 §3, in canonical Extended JSON as the driver's EJSON prints them. */
const recorded: Record<string, Array<Record<string, unknown>>> = {
  clients: [
    {
      _id: { $oid: CLIENT_ID },
      tenantId: { $oid: TENANT },
      clientCode: 'CLI-00042',
      companyName: 'Acme Logistics',
      userId: { $oid: USER_ID },
      businessDetails: { registrationNumber: 'RC-1', taxId: 'KE-P051234567X', annualRevenue: { amount: 1200000, currency: 'KES', year: 2025 } },
      relationship: { status: 'active', tier: 'enterprise', churnRisk: { score: 37, factors: ['late payments'], lastAssessed: { $date: '2025-10-01T00:00:00.000Z' } } },
      analytics: { lifetime: { totalRevenue: 3400000, totalProjects: 4 } },
    },
  ],
  clientcontacts: [
    {
      _id: { $oid: '6650aa00aa00aa00aa00ab01' },
      contactId: 'CONT-00000001',
      personalInfo: { fullName: 'Amina Otieno', dateOfBirth: '1984-05-06' },
      professionalInfo: { workEmail: 'amina@acme.example', personalEmail: 'amina.o@mail.example', mobilePhone: '+254 712 345 678' },
    },
  ],
  clientdocuments: [
    {
      _id: { $oid: '6650aa00aa00aa00aa00ac01' },
      documentId: 'DOC-0000000001',
      documentInfo: { name: 'Master agreement', type: 'contract' },
      version: {
        current: 3,
        history: [
          { version: 1, uploadedAt: { $date: '2025-01-01T00:00:00.000Z' }, status: 'superseded' },
          { version: 3, uploadedAt: { $date: '2025-03-01T00:00:00.000Z' }, status: 'current' },
          { version: 2, uploadedAt: { $date: '2025-02-01T00:00:00.000Z' }, status: 'superseded' },
        ],
      },
    },
  ],
  clientnotes: [
    { _id: { $oid: '6650aa00aa00aa00aa00ad01' }, noteId: 'NOTE-00000001', content: { title: 'Kick-off' }, tasks: [{ description: 'Send the proposal', status: 'pending' }] },
    { _id: { $oid: '6650aa00aa00aa00aa00ad02' }, noteId: 'NOTE-00000002', content: { title: 'Call' } },
    { _id: { $oid: '6650aa00aa00aa00aa00ad03' }, noteId: 'NOTE-00000003', content: { title: 'Older' } },
  ],
  users: [{ _id: { $oid: USER_ID }, email: 'portal@acme.example', password: '$2b$12$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV' }],
};

function stores(): InspectorStores & { calls: Array<{ collection: string; filter: Record<string, unknown>; limit: number }> } {
  const calls: Array<{ collection: string; filter: Record<string, unknown>; limit: number }> = [];
  const reader: ScopedMongo = {
    async findExtendedJson(target, filter, find) {
      calls.push({ collection: target.collection, filter, limit: find.limit });
      return (recorded[target.collection] ?? []).slice(0, find.limit);
    },
  };
  return { preset: clientManagement, mongo: { reader, database: 'acme_customer_prod' }, calls };
}

const context = (role: 'support' | 'platform_admin') => ({ signal: new AbortController().signal, session: { role, operator: { name: 'Ada Admin' } } });

describe('client page', () => {
  it('returns every section of the client, masked, with versions newest first and notes with their tasks', async () => {
    const s = stores();
    const page = await createClientsService({ openStores: async () => s, sectionLimit: 2 }).get({ workspaceId: 'w', tenantId: TENANT, clientId: CLIENT_ID }, context('support'));
    expect(ClientDetail.safeParse(page).success).toBe(true);
    expect(page.client._id).toBe(CLIENT_ID);
    expect(page.relationship).toMatchObject({ status: 'active', churnRisk: { score: 37, lastAssessed: '2025-10-01T00:00:00.000Z' } });
    expect(page.analytics).toEqual({ lifetime: { totalRevenue: 3400000, totalProjects: 4 } });
    expect(page.businessDetails?.registrationNumber).toBe('RC-1');
    expect(page.businessDetails?.taxId).not.toBe('KE-P051234567X');
    const contact = page.contacts.items[0]!;
    expect((contact.professionalInfo as Record<string, unknown>).workEmail).toBe('amina@acme.example');
    const text = JSON.stringify(page);
    for (const secret of ['KE-P051234567X', '1984-05-06', 'amina.o@mail.example', '712 345 678', 'abcdefghijklmnopqrstuvwxyz']) expect(text).not.toContain(secret);
    expect(page.documents.items[0]!.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(page.notes.items[0]!.tasks).toEqual([{ description: 'Send the proposal', status: 'pending' }]);
    expect(page.notes.items[1]!.tasks).toEqual([]);
    expect(page.notes).toMatchObject({ truncated: true });
    expect(page.notes.items).toHaveLength(2);
    expect(page.user?.email).toBe('portal@acme.example');
  });

  it('names the client’s id in every read and the linked user by userId, leaving the tenant to the store', async () => {
    const s = stores();
    await createClientsService({ openStores: async () => s }).get({ workspaceId: 'w', tenantId: TENANT, clientId: CLIENT_ID }, context('platform_admin'));
    expect(s.calls.map((c) => c.collection)).toEqual(['clients', 'clientcontacts', 'clientdocuments', 'clientnotes', 'users']);
    for (const call of s.calls) expect(call.filter).not.toHaveProperty('tenantId');
    expect(s.calls[0]!.filter).toEqual({ _id: { $oid: CLIENT_ID } });
    expect(s.calls[1]!.filter).toEqual({ clientId: { $oid: CLIENT_ID } });
    expect(s.calls[4]!.filter).toEqual({ _id: { $oid: USER_ID } });
    // What MongoStore sends for each: the scope's tenant equality AND-ed in once.
    const scope = scopeFor(clientManagement, TENANT);
    for (const call of s.calls) {
      const sent = scopedFilter(call.filter, scope, call.collection) as { $and: Array<Record<string, unknown>> };
      expect(sent.$and).toHaveLength(2);
      expect(sent.$and[0]).toEqual(call.filter);
      expect(Object.keys(sent.$and[1]!)).toEqual(['tenantId']);
      expect(String(sent.$and[1]!.tenantId)).toBe(TENANT);
    }
  });

  it('says a client is not found in this tenant', async () => {
    const s = stores();
    const service = createClientsService({ openStores: async () => ({ ...s, mongo: { ...s.mongo!, reader: { findExtendedJson: async () => [] } } }) });
    await expect(service.get({ workspaceId: 'w', tenantId: TENANT, clientId: CLIENT_ID }, context('support'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a workspace whose preset has no clients', async () => {
    const service = createClientsService({ openStores: async () => ({ preset: murima2025 }) });
    await expect(service.search({ workspaceId: 'w', tenantId: TENANT, limit: 5 }, context('support'))).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
