import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientManagement, mongoDatabaseName, murima2025, tenantCollectionName, type MongoCollection, type MongoDatabases, type MongoIndex } from '@shared/tenancy';
import { generateClientManagementTenant } from '../../src/main/demo/client-management-seed';
import { generateMurimaTenant } from '../../src/main/demo/murima-tenant';
import { demoWindow } from '../../src/main/demo/seed';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';

announceSkip('demo:seed into MongoDB', mongoSkipReason);

const TENANTS = 5;
// The current month: the TTL indexes (AI results cache, token blacklist) would otherwise remove
// documents that expire a few days after the demo window while the test reads them.
const UNTIL = new Date().toISOString().slice(0, 7);
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs `npm run demo:seed` as a user would, and returns its JSON summary. */
async function demoSeed(preset: string, seed: string): Promise<{ mongo: { documents: number; collections: number }; firstTenants: string[] }> {
  const { stdout } = await run(
    resolve(ROOT, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'tsconfig.node.json', 'src/main/demo/cli.ts', '--preset', preset, '--tenants', String(TENANTS), '--seed', seed, '--until', UNTIL, '--mongo-url', mongoUrl ?? ''],
    { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as { mongo: { documents: number; collections: number }; firstTenants: string[] };
}

/**
 * An index as comparable data: its key (a text index's fields become `_fts`/`_ftsx`, as the server
 * stores them, with the text fields in the weights), uniqueness, TTL and partial filter.
 */
interface IndexShape {
  name: string;
  key: Array<[string, unknown]>;
  unique: boolean;
  expireAfterSeconds: number | null;
  textFields: string[];
  language: string | null;
}

function blueprintShape(index: MongoIndex): IndexShape {
  const key: Array<[string, unknown]> = [];
  const textFields: string[] = [];
  for (const [field, value] of index.key) {
    if (value !== 'text') key.push([field, value]);
    else if (textFields.push(field) === 1) key.push(['_fts', 'text'], ['_ftsx', 1]);
  }
  return {
    name: index.name,
    key,
    unique: index.unique === true,
    expireAfterSeconds: index.expireAfterSeconds ?? null,
    textFields: textFields.sort(),
    language: textFields.length > 0 ? (index.defaultLanguage ?? 'english') : null,
  };
}

function liveShape(index: Document): IndexShape {
  const isText = Object.values(index.key as Document).includes('text');
  return {
    name: String(index.name),
    key: Object.entries(index.key as Document),
    unique: index.unique === true,
    expireAfterSeconds: typeof index.expireAfterSeconds === 'number' ? index.expireAfterSeconds : null,
    textFields: isText ? Object.keys(index.weights as Document).sort() : [],
    language: isText ? String(index.default_language) : null,
  };
}

const byName = (a: IndexShape, b: IndexShape): number => a.name.localeCompare(b.name);

async function indexShapes(client: MongoClient, database: string, collection: string): Promise<IndexShape[]> {
  const live = await client.db(database).collection(collection).listIndexes().toArray();
  return live.filter((i) => i.name !== '_id_').map(liveShape).sort(byName);
}

const expectedShapes = (collection: MongoCollection): IndexShape[] => collection.indexes.map(blueprintShape).sort(byName);

describe('demo:seed --mongo-url without a server', () => {
  const cli = (...args: string[]) =>
    run(resolve(ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.node.json', 'src/main/demo/cli.ts', ...args], { cwd: ROOT, timeout: 120_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );

  it('refuses a URL that is not mongodb:// or mongodb+srv:// before connecting anything', async () => {
    const result = await cli('--preset', 'client-management', '--tenants', '1', '--mongo-url', 'http://127.0.0.1:9/');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mongo-url must start with mongodb:\/\/ or mongodb\+srv:\/\//);
  });

  it('connects to the MongoDB it is given, and reports one that does not answer as unreachable', async () => {
    const result = await cli('--preset', 'client-management', '--tenants', '1', '--mongo-url', 'mongodb://127.0.0.1:9/');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/demo:seed failed — unreachable: MongoDB at 127\.0\.0\.1:9/);
  }, 120_000);
});

describe.skipIf(!mongoUrl)('demo:seed into MongoDB', () => {
  const window = demoWindow(UNTIL);
  let client: MongoClient;
  const cmLayout = clientManagement.layout.mongo!;
  const cmDatabase = (which: string): string => mongoDatabaseName(cmLayout.databases[which as keyof MongoDatabases]!, 'insightserenity', 'dev');
  const murimaDatabase = murima2025.layout.mongo!.databases.tenant!;
  // The demo's database names are fixed, so the test server must not hold them from elsewhere.
  const databases = [murimaDatabase, cmDatabase('customer'), cmDatabase('shared'), cmDatabase('admin')];
  const dropAll = async (): Promise<void> => {
    for (const name of databases) await client.db(name).dropDatabase();
  };

  beforeAll(async () => {
    client = new MongoClient(mongoUrl ?? '');
    await client.connect();
    await dropAll();
  });

  afterAll(async () => {
    if (!client) return;
    await dropAll();
    await client.close();
  });

  it('Murima2025: a tenant_<id>_* collection per tenant and blueprint collection, with its documents and exactly its indexes', async () => {
    const seed = 'mongo-it-murima';
    const summary = await demoSeed('murima2025', seed);
    const layout = murima2025.layout.mongo!;
    const tenants = Array.from({ length: TENANTS }, (_, i) => generateMurimaTenant(seed, i, window, murima2025.layout.postgres!));
    expect(summary.firstTenants).toEqual(tenants.slice(0, 3).map((t) => t.id));

    const listed = (await client.db(murimaDatabase).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    const expected = tenants.flatMap((t) => murima2025.blueprint.mongo!.collections.map((c) => tenantCollectionName(layout, t.id, c.name))).sort();
    expect(listed).toEqual(expected);
    expect(summary.mongo.collections).toBe(expected.length);

    let documents = 0;
    for (const tenant of tenants) {
      for (const collection of murima2025.blueprint.mongo!.collections) {
        const name = tenantCollectionName(layout, tenant.id, collection.name);
        const count = await client.db(murimaDatabase).collection(name).countDocuments();
        expect(count, name).toBe(tenant.mongo[collection.name]?.length ?? 0);
        documents += count;
        expect(await indexShapes(client, murimaDatabase, name), name).toEqual(expectedShapes(collection));
      }
    }
    expect(summary.mongo.documents).toBe(documents);
    expect(documents).toBeGreaterThan(0);
    // Dates arrive as BSON dates (the TTL index on the AI results cache works only on those).
    const cached = await client.db(murimaDatabase).collection(tenantCollectionName(layout, tenants[0]!.id, 'ai_results_cache')).findOne({});
    if (cached) expect(cached.expires_at).toBeInstanceOf(Date);
  });

  it('Client Management: customer, shared and admin databases with every collection, its documents and exactly its indexes', async () => {
    const seed = 'mongo-it-cm';
    const summary = await demoSeed('client-management', seed);
    const tenants = Array.from({ length: TENANTS }, (_, i) => generateClientManagementTenant(seed, i, window));
    expect(summary.firstTenants).toEqual(tenants.slice(0, 3).map((t) => t.id));

    let documents = 0;
    for (const collection of clientManagement.blueprint.mongo!.collections) {
      const database = cmDatabase(collection.database);
      const expectedCount = collection.name === 'sharedconfig' ? 3 : tenants.reduce((n, t) => n + (t.docs[collection.name]?.length ?? 0), 0);
      const count = await client.db(database).collection(collection.name).countDocuments();
      expect(count, `${database}.${collection.name}`).toBe(expectedCount);
      documents += count;
      expect(await indexShapes(client, database, collection.name), `${database}.${collection.name}`).toEqual(expectedShapes(collection));
    }
    expect(summary.mongo.documents).toBe(documents);

    // Extended JSON became BSON: tenant ids are ObjectIds, dates are dates, so tenant filters match.
    const first = tenants[0]!;
    const clients = client.db(cmDatabase('customer')).collection('clients');
    expect(await clients.countDocuments({ tenantId: new ObjectId(first.id) })).toBe(first.docs.clients!.length);
    const one = await clients.findOne({ tenantId: new ObjectId(first.id) });
    expect(one?.createdAt).toBeInstanceOf(Date);
    const blacklisted = await client.db(cmDatabase('shared')).collection('tokenblacklist').findOne({});
    if (blacklisted) expect(blacklisted.expiresAt).toBeInstanceOf(Date);
  });
});
