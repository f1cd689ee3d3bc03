import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { MASK } from '@shared/masking';
import type { Role, Session } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoWorkspaceEndpoint } from '../support/mongo-endpoint';

announceSkip('Masked fields on the MongoDB read paths', mongoSkipReason);

/**
 * The MongoDB rows of the masking table (see masking-read-paths.test.ts for PostgreSQL and Redis):
 * the client inspector's page of a Client Management tenant, read through the console's router
 * (policy, journal, masking) for each role. Runs where MONGO_URL names a server.
 */
type Call = <T>(method: string, args: unknown) => Promise<T>;

interface ReadPath {
  name: string;
  field: string;
  maskedLike: string;
  clear: string;
  read(call: Call): Promise<unknown>;
}

const OPERATORS: Record<Role, { name: string; email: string }> = {
  support: { name: 'Sam', email: 'sam@example.com' },
  dba: { name: 'Dana', email: 'dana@example.com' },
  platform_admin: { name: 'Ada', email: 'ada@example.com' },
};

const tenant = new ObjectId();
const clientId = new ObjectId();
const userId = new ObjectId();
const STORED = {
  taxId: 'P051234567X',
  dateOfBirth: '1984-05-06',
  personalEmail: 'amina.otieno@mail.example',
  mobilePhone: '+254 712 345 678',
  password: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
};

describe.skipIf(!mongoUrl)('every masked field on the MongoDB read paths, for every role', () => {
  const databases = { customer: `tenantscope_masking_customer_${process.pid}`, shared: `tenantscope_masking_shared_${process.pid}`, admin: `tenantscope_masking_admin_${process.pid}` };
  let mongo: MongoClient;
  let core: ConsoleCore;
  let dataDir: string;
  let session: Session;
  let workspaceId: string;
  const call: Call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const become = async (role: Role): Promise<void> => {
    await call('access.setOperator', { workspaceId, ...OPERATORS[role], role });
    if (role === 'support') await call('access.justify', { workspaceId, scope: 'tenant', tenantId: tenant.toHexString(), reason: 'SUP-92: client asks about their data' });
  };
  const page = async (read: Call) =>
    contract.clients.get.result.parse(await read('clients.get', { workspaceId, tenantId: tenant.toHexString(), clientId: clientId.toHexString() }));
  const at = (record: unknown, path: string): unknown =>
    path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), record);

  const PATHS: ReadPath[] = [
    {
      name: 'clients.get, the client’s tax id (in the client and in its business details)',
      field: 'mongo:clients#businessDetails.taxId',
      maskedLike: MASK,
      clear: STORED.taxId,
      read: async (read) => {
        const found = await page(read);
        expect(at(found.businessDetails, 'taxId')).toBe(at(found.client, 'businessDetails.taxId'));
        return at(found.client, 'businessDetails.taxId');
      },
    },
    {
      name: 'clients.get, a contact’s date of birth',
      field: 'mongo:clientcontacts#personalInfo.dateOfBirth',
      maskedLike: '•',
      clear: STORED.dateOfBirth,
      read: async (read) => at((await page(read)).contacts.items[0], 'personalInfo.dateOfBirth'),
    },
    {
      name: 'clients.get, a contact’s personal e-mail',
      field: 'mongo:clientcontacts#professionalInfo.personalEmail',
      maskedLike: '***@',
      clear: STORED.personalEmail,
      read: async (read) => at((await page(read)).contacts.items[0], 'professionalInfo.personalEmail'),
    },
    {
      name: 'clients.get, a contact’s mobile phone',
      field: 'mongo:clientcontacts#professionalInfo.mobilePhone',
      maskedLike: MASK,
      clear: STORED.mobilePhone,
      read: async (read) => at((await page(read)).contacts.items[0], 'professionalInfo.mobilePhone'),
    },
    {
      name: 'clients.get, the linked user’s password hash',
      field: 'mongo:users#password',
      maskedLike: MASK,
      clear: STORED.password,
      read: async (read) => at((await page(read)).user, 'password'),
    },
  ];

  beforeAll(async () => {
    mongo = new MongoClient(mongoUrl ?? '');
    await mongo.connect();
    const customer = mongo.db(databases.customer);
    await customer.collection('clients').insertOne({
      _id: clientId, tenantId: tenant, clientCode: 'CLI-00001', companyName: 'Acme Logistics', userId,
      businessDetails: { taxId: STORED.taxId, employeeCount: 120 }, relationship: { status: 'active' }, searchTokens: ['acme'], createdAt: new Date('2025-01-01T00:00:00Z'),
    });
    await customer.collection('clientcontacts').insertOne({
      tenantId: tenant, clientId, contactId: 'CONT-1',
      personalInfo: { fullName: 'Amina Otieno', dateOfBirth: STORED.dateOfBirth },
      professionalInfo: { personalEmail: STORED.personalEmail, mobilePhone: STORED.mobilePhone, jobTitle: 'CFO' },
      createdAt: new Date('2025-02-01'),
    });
    await customer.collection('users').insertOne({ _id: userId, tenantId: tenant, email: 'amina@acme.example', password: STORED.password, role: 'client' });

    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-masking-mongo-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
    const created = await call<WorkspaceView>('workspaces.create', {
      workspace: {
        name: 'Masking test (MongoDB)',
        environment: 'dev',
        preset: 'client-management',
        endpoints: {
          mongo: mongoWorkspaceEndpoint(mongoUrl ?? '', databases),
        },
      },
    });
    workspaceId = created.id;
  }, 240_000);

  afterAll(async () => {
    await core?.close();
    if (mongo) for (const name of Object.values(databases)) await mongo.db(name).dropDatabase();
    await mongo?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe.each(['support', 'dba'] as const)('%s', (role) => {
    it.each(PATHS.map((path) => [path.name, path] as const))('sees %s masked and is refused the unmask', async (_name, path) => {
      await become(role);
      const before = await path.read(call);
      expect(before).not.toBe(path.clear);
      expect(String(before)).toContain(path.maskedLike);
      await expect(
        call('access.justify', { workspaceId, scope: 'unmask', tenantId: tenant.toHexString(), field: path.field, reason: 'I would like to see this value' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect(await path.read(call)).toEqual(before);
    });
  });

  it.each(PATHS.map((path) => [path.name, path] as const))('shows a platform admin %s in clear only after an unmask with a reason', async (_name, path) => {
    await become('platform_admin');
    expect(await path.read(call)).not.toBe(path.clear);
    await call('access.justify', { workspaceId, scope: 'unmask', tenantId: tenant.toHexString(), field: path.field, reason: `SUP-93: confirm ${path.field}` });
    expect(await path.read(call)).toBe(path.clear);
    await become('support');
    expect(await path.read(call)).not.toBe(path.clear);
  });
});
