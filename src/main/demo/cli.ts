import { parseArgs } from 'node:util';
import { AppError } from '@shared/errors';
import { PostgresEndpoint, RedisEndpoint } from '@shared/model/workspace';
import { PRESET_NAMES } from '@shared/tenancy';
import { PostgresStore } from '../stores/postgres/store';
import { RedisStore } from '../stores/redis/store';
import type { DemoStores } from './ports';
import { seedDemoPlatform, type SeedProgress } from './seed';

const USAGE = `Usage: npm run demo:seed -- --preset murima2025|client-management --tenants N --seed S
       --pg-url postgres://user:password@host:5432/db --redis-url redis://:password@host:6379/0
       [--mongo-url URL] [--es-url URL] [--until YYYY-MM] [--months 6] [--batch-size 10] [--workers 2]`;

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
  return new PostgresStore(endpoint, url.password ? { password: decodeURIComponent(url.password) } : {});
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

/** One line on stderr, redrawn in place on a terminal and printed every few seconds otherwise. */
function progressPrinter(): (p: SeedProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPrint = 0;
  return (p) => {
    const now = Date.now();
    if (!tty && p.phase === 'tenants' && now - lastPrint < 5000) return;
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
  if (values['mongo-url'] || values['es-url']) {
    fail('Seeding MongoDB and Elasticsearch from the command line waits for their data services; use --pg-url and --redis-url for now.');
  }
  const stores: DemoStores & { close(): Promise<void> } = {
    ...(values['pg-url'] && { postgres: postgresFrom(values['pg-url'], workers * 2 + 1) }),
    ...(values['redis-url'] && { redis: redisFrom(values['redis-url']) }),
    async close() {
      await Promise.all([(this.postgres as PostgresStore | undefined)?.close(), (this.redis as RedisStore | undefined)?.close()]);
    },
  };
  if (!stores.postgres && !stores.redis) fail('Give at least --pg-url or --redis-url.');
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping after the current batch…\n');
    controller.abort();
  });
  try {
    await Promise.all([(stores.postgres as PostgresStore | undefined)?.connect(), (stores.redis as RedisStore | undefined)?.connect()]);
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
    await stores.close();
  }
}

main().catch((error: unknown) => {
  const message = AppError.is(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`\ndemo:seed failed — ${message}\n`);
  process.exit(1);
});
