import { availableParallelism } from 'node:os';
import { BSON, MongoClient } from 'mongodb';
import { clientManagement, mongoDatabaseName, type MongoDatabases } from '@shared/tenancy';
import { MongoEndpoint } from '@shared/model/workspace';
import { parseConnectionUri } from '@shared/connection-uri';
import { generateClientManagementTenant } from '../../src/main/demo/client-management-seed';
import { mongoForDemo } from '../../src/main/demo/mongo-adapter';
import { demoWindow, seedDemoPlatform } from '../../src/main/demo/seed';
import { fromExtendedJson } from '../../src/main/stores/mongo/extended-json';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { measure, measureInterleaved, type CaseResult, writeReport } from './harness';

/**
 * What the MongoDB demo path costs. Without a server: generating Client Management tenants as
 * Extended JSON, and the same plus turning every document into driver values (what
 * MongoStore.insertExtendedJson adds) and BSON-serialising them (what the driver does anyway).
 * With MONGO_URL: `demo:seed` through the adapter against a raw driver insertMany of the same
 * documents into the same collections.
 */
const TENANTS = 200;
const SEED = 'bench';
const window = demoWindow('2025-06');
const collections = clientManagement.blueprint.mongo!.collections;

function generate(): Array<{ collection: string; docs: Array<Record<string, unknown>> }> {
  const out: Array<{ collection: string; docs: Array<Record<string, unknown>> }> = [];
  for (let i = 0; i < TENANTS; i++) {
    for (const [collection, docs] of Object.entries(generateClientManagementTenant(SEED, i, window).docs)) out.push({ collection, docs });
  }
  return out;
}

const documents = generate().reduce((n, g) => n + g.docs.length, 0);
const perSecond = (ms: number): number => Math.round(documents / (ms / 1000));

const offline = await measureInterleaved(
  [
    { name: `generate ${TENANTS} Client Management tenants (Extended JSON)`, run: async () => generate(), extra: { documents } },
    {
      name: 'generate + Extended JSON → driver values',
      run: async () => generate().map((g) => g.docs.map(fromExtendedJson)),
      extra: { documents },
    },
    {
      name: 'generate + driver values + BSON serialize',
      run: async () => generate().map((g) => g.docs.map((d) => BSON.serialize(fromExtendedJson(d)).length)),
      extra: { documents },
    },
  ],
  { iterations: 5, warmup: 1, collectGarbage: true },
);
const [generated, converted, serialized] = offline as [CaseResult, CaseResult, CaseResult];
const cases: CaseResult[] = [...offline];
const summary: Record<string, number | string> = {
  documents,
  generateDocsPerSecond: perSecond(generated.medianMs),
  extendedJsonConversionDocsPerSecond: Math.round(documents / ((converted.medianMs - generated.medianMs) / 1000)),
  conversionShareOfGenerateConvertSerialize: `${Math.round(((converted.medianMs - generated.medianMs) / serialized.medianMs) * 100)} %`,
};

const url = process.env.MONGO_URL;
if (url) {
  const parsed = parseConnectionUri(url);
  if (parsed.store !== 'mongo') throw new Error('MONGO_URL is not a mongodb:// URI');
  const client = new MongoClient(url);
  await client.connect();
  const layout = clientManagement.layout.mongo!;
  const dbName = (which: string): string => mongoDatabaseName(layout.databases[which as keyof MongoDatabases]!, 'insightserenity', 'dev');
  const dropAll = async (): Promise<void> => {
    for (const which of ['customer', 'shared', 'admin']) await client.db(dbName(which)).dropDatabase();
  };
  const store = new MongoStore(MongoEndpoint.parse({ ...parsed.endpoint, poolSize: 4 }), parsed.password ? { password: parsed.password } : {});
  await store.connect();
  try {
    const seeded = await measure(
      `demo:seed client-management, ${TENANTS} tenants, through the adapter`,
      async () => {
        await dropAll();
        await seedDemoPlatform({ mongo: mongoForDemo(store) }, { preset: 'client-management', tenants: TENANTS, seed: SEED, until: '2025-06' });
      },
      { iterations: 3 },
    );
    const prepared = generate().map((g) => ({ ...g, docs: g.docs.map(fromExtendedJson) }));
    const raw = await measure(
      'raw driver insertMany of the same documents (already BSON values, no indexes)',
      async () => {
        await dropAll();
        for (const g of prepared) {
          const collection = collections.find((c) => c.name === g.collection)!;
          if (g.docs.length > 0) await client.db(dbName(collection.database)).collection(g.collection).insertMany(g.docs.map((d) => ({ ...d })));
        }
      },
      { iterations: 3 },
    );
    cases.push(seeded, raw);
    summary.seedDocsPerSecond = perSecond(seeded.medianMs);
    summary.rawInsertDocsPerSecond = perSecond(raw.medianMs);
    summary.seedVsRawInsert = `${(seeded.medianMs / raw.medianMs).toFixed(1)}× the raw insert time (the seeder also builds every index)`;
  } finally {
    await dropAll();
    await store.close();
    await client.close();
  }
} else {
  summary.server = 'MONGO_URL not set: insert throughput not measured';
}

const path = await writeReport({
  bench: 'mongo-seed',
  at: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
  cases,
  summary,
});
console.log(`wrote ${path}`);
console.log(JSON.stringify(summary, null, 2));
