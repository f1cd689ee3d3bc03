import { parseArgs } from 'node:util';
import { parseConnectionUri } from '@shared/connection-uri';
import { AppError } from '@shared/errors';
import { ElasticEndpoint, PostgresEndpoint, RedisEndpoint } from '@shared/model/workspace';
import { PRESET_NAMES } from '@shared/tenancy';
import { ElasticStore } from '../stores/elastic/store';
import { MongoStore } from '../stores/mongo/store';
import { PostgresStore } from '../stores/postgres/store';
import { RedisStore } from '../stores/redis/store';
import { elasticForDemo } from './elastic-adapter';
import { mongoForDemo } from './mongo-adapter';
import type { DemoStores } from './ports';
import { SEED_CONNECTION_MAX_USES, seedDemoPlatform, type SeedProgress } from './seed';

const USAGE = `Usage: npm run demo:seed -- --preset murima2025|client-management --tenants N --seed S
       --pg-url postgres://user:password@host:5432/db --redis-url redis://:password@host:6379/0
       [--mongo-url mongodb://user:password@host:27017/?authSource=admin] [--es-url URL] [--until YYYY-MM] [--months 6] [--batch-size 10] [--workers 2]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} is a whole number above 0, not ${JSON.stringify(value)}.`);
  return n;
}

function parseUrl(name: string, value: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`--${name} is not a URL.`);
  }
  if (!protocols.includes(url.protocol)) fail(`--${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}.`);
  return url;
}

function postgresFrom(value: string, poolSize: number): PostgresStore {
  const url = parseUrl('pg-url', value, ['postgres:', 'postgresql:']);
  const endpoint = PostgresEndpoint.parse({
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    username: decodeURIComponent(url.username) || 'postgres',
    poolSize,
  });
  return new PostgresStore(endpoint, url.password ? { password: decodeURIComponent(url.password) } : {}, { connectionMaxUses: SEED_CONNECTION_MAX_USES });
}

function redisFrom(value: string): RedisStore {
  const url = parseUrl('redis-url', value, ['redis:']);
  const db = url.pathname.replace(/^\//, '');
  const endpoint = RedisEndpoint.parse({
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    db: db ? Number(db) : 0,
    ...(url.username && { username: decodeURIComponent(url.username) }),
  });
  return new RedisStore(endpoint, url.password ? { password: decodeURIComponent(url.password) } : {});
}

function mongoFrom(value: string, poolSize: number): MongoStore {
  parseUrl('mongo-url', value, ['mongodb:', 'mongodb+srv:']);
  let parsed: ReturnType<typeof parseConnectionUri>;
  try {
    parsed = parseConnectionUri(value);
  } catch (error) {
    fail(`--mongo-url is not usable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed.store !== 'mongo') fail('--mongo-url must start with mongodb:// or mongodb+srv://.');
  if (parsed.ignoredOptions.length > 0) process.stderr.write(`--mongo-url: ignoring ${parsed.ignoredOptions.join(', ')}\n`);
  return new MongoStore({ ...parsed.endpoint, poolSize }, parsed.password ? { password: parsed.password } : {});
}

function elasticFrom(value: string): ElasticStore {
  const url = parseUrl('es-url', value, ['http:', 'https:']);
  const endpoint = ElasticEndpoint.parse({
    node: `${url.protocol}//${url.host}`,
    ...(url.username && { username: decodeURIComponent(url.username) }),
    tls: { enabled: url.protocol === 'https:', rejectUnauthorized: true },
  });
  return new ElasticStore(endpoint, url.password ? { password: decodeURIComponent(url.password) } : {});
}

/** One line on stderr, redrawn in place on a terminal and printed every few seconds otherwise. */
function progressPrinter(): (p: SeedProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPrint = 0;
  return (p) => {
    const now = Date.now();
    if (!tty && (p.phase === 'schemas' || p.phase === 'tenants') && now - lastPrint < 5000) return;
    lastPrint = now;
    const ratio = p.tenantsTotal === 0 ? 1 : p.tenantsDone / p.tenantsTotal;
    const width = 30;
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
    const seconds = p.elapsedMs / 1000;
    const eta = ratio > 0 && ratio < 1 ? ` · about ${Math.ceil((seconds / ratio - seconds) / 60)} min left` : '';
    const line = `[${bar}] ${p.tenantsDone}/${p.tenantsTotal} tenants · ${p.written.toLocaleString('en')} rows/keys · ${seconds.toFixed(1)} s${eta} (${p.phase})`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      tenants: { type: 'string' },
      seed: { type: 'string' },
      'pg-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'mongo-url': { type: 'string' },
      'es-url': { type: 'string' },
      until: { type: 'string' },
      months: { type: 'string' },
      'batch-size': { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const preset = values.preset ?? fail('--preset is required.');
  if (!PRESET_NAMES.includes(preset)) fail(`--preset is one of ${PRESET_NAMES.join(', ')}.`);
  const tenants = positiveInt('tenants', values.tenants) ?? fail('--tenants is required.');
  const workers = positiveInt('workers', values.workers, 2)!;
  const postgres = values['pg-url'] ? postgresFrom(values['pg-url'], workers * 2 + 1) : undefined;
  const redis = values['redis-url'] ? redisFrom(values['redis-url']) : undefined;
  const mongo = values['mongo-url'] ? mongoFrom(values['mongo-url'], Math.min(workers + 1, 100)) : undefined;
  const elastic = values['es-url'] ? elasticFrom(values['es-url']) : undefined;
  const stores: DemoStores = {
    ...(postgres && { postgres }),
    ...(redis && { redis }),
    ...(mongo && { mongo: mongoForDemo(mongo) }),
    ...(elastic && { elastic: elasticForDemo(elastic) }),
  };
  const close = async (): Promise<void> => {
    await Promise.all([postgres?.close(), redis?.close(), mongo?.close(), elastic?.close()]);
  };
  if (!postgres && !redis && !mongo && !elastic) fail('Give at least one of --pg-url, --redis-url, --mongo-url, --es-url.');
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping after the current batch…\n');
    controller.abort();
  });
  try {
    await Promise.all([postgres?.connect(), redis?.connect(), mongo?.connect(), elastic?.connect()]);
    const summary = await seedDemoPlatform(stores, {
      preset,
      tenants,
      seed: values.seed ?? 'tenantscope',
      ...(values.until && { until: values.until }),
      ...(values.months && { months: positiveInt('months', values.months) }),
      ...(values['batch-size'] && { batchSize: positiveInt('batch-size', values['batch-size']) }),
      workers,
      onProgress: progressPrinter(),
      signal: controller.signal,
    });
    process.stderr.write('\n');
    const { tenantIds, ...rest } = summary;
    process.stdout.write(`${JSON.stringify({ ...rest, firstTenants: tenantIds.slice(0, 3) }, null, 2)}\n`);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  const message = AppError.is(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`\ndemo:seed failed — ${message}\n`);
  process.exit(1);
});
