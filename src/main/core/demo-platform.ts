import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConnectionUri } from '@shared/connection-uri';
import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import type { StoreKind, WorkspaceInput } from '@shared/model/workspace';
import { seedDemoPlatform } from '../demo/seed';
import type { WorkspaceRepository } from '../features/workspaces/repository';
import { localPostgresDir, startLocalPostgres, type LocalPostgres } from '../local-servers/postgres';
import { startLocalRedis, type LocalRedis } from '../local-servers/redis';
import { readJsonFile, writeFileAtomic } from '../security/vault/files';
import type { Vault } from '../security/vault';
import type { Router } from './router';
import type { StoreRegistry } from './workspace-stores';

export const DEMO_TENANTS = 25;
export const DEMO_SEED = 'tenantscope-demo';
const DEMO_PRESET = 'murima2025';

const DemoState = z.object({
  workspaceId: z.string(),
  seededAt: z.string().optional(),
  tenants: z.number().int(),
  seed: z.string(),
});
type DemoState = z.infer<typeof DemoState>;

export interface DemoPlatformDeps {
  dataDir: string;
  router: Router;
  repository: WorkspaceRepository;
  vault: Vault;
  registry: StoreRegistry;
  log: (line: string) => void;
  /** MONGO_URL / ES_URL: MongoDB and Elasticsearch cannot be started here, only pointed at. */
  env?: { MONGO_URL?: string; ES_URL?: string };
  tenants?: number;
}

export interface DemoPlatform {
  workspaceId: string;
  /** Stores the demo could not offer, with why (shown in the status bar). */
  unavailable: Partial<Record<StoreKind, string>>;
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
 */
export async function startDemoPlatform(deps: DemoPlatformDeps): Promise<DemoPlatform | undefined> {
  const dir = join(deps.dataDir, 'demo');
  const statePath = join(dir, 'state.json');
  const raw = await readJsonFile(statePath);
  const state = raw === undefined ? undefined : DemoState.parse(raw);
  const workspaces = await deps.repository.load();
  if (!state && workspaces.length > 0) return undefined;
  if (state && !workspaces.some((w) => w.id === state.workspaceId)) return undefined;

  // An interrupted first seeding leaves half a platform: start again from empty stores.
  if (!state?.seededAt) {
    await rm(localPostgresDir(join(dir, 'postgres')), { recursive: true, force: true });
    await rm(join(dir, 'redis'), { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const passwords = {
    postgres: state ? await storedPassword(deps.vault, state.workspaceId, 'postgres') : newPassword(),
    redis: state ? await storedPassword(deps.vault, state.workspaceId, 'redis') : newPassword(),
  };
  const unavailable: DemoPlatform['unavailable'] = {};
  const [postgres, redis] = await Promise.all([
    passwords.postgres
      ? startLocalPostgres({ dir: join(dir, 'postgres'), password: passwords.postgres }).catch((error: unknown) => {
          unavailable.postgres = reasonOf(error);
          return undefined;
        })
      : undefined,
    passwords.redis
      ? startLocalRedis({ dir: join(dir, 'redis'), password: passwords.redis }).catch((error: unknown) => {
          unavailable.redis = reasonOf(error);
          return undefined;
        })
      : undefined,
  ]);
  let workspaceId = state?.workspaceId;
  const stop = async (): Promise<void> => {
    if (workspaceId) await deps.registry.invalidate(workspaceId);
    await Promise.allSettled([postgres?.stop(), redis?.stop()]);
  };

  try {
    const workspace = demoWorkspace({ postgres, redis, passwords, env: deps.env ?? {}, unavailable });
    let current: DemoState;
    if (state) {
      await deps.router.invoke('workspaces.update', { id: state.workspaceId, workspace }, demoSession);
      current = state;
    } else {
      const created = (await deps.router.invoke('workspaces.create', { workspace }, demoSession)) as { id: string };
      workspaceId = created.id;
      current = { workspaceId: created.id, tenants: deps.tenants ?? DEMO_TENANTS, seed: DEMO_SEED };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
    }
    await deps.registry.invalidate(current.workspaceId);

    if (!current.seededAt) {
      const stores = await deps.registry.open(current.workspaceId);
      deps.log(`Seeding the demo platform: ${current.tenants} Murima2025 tenants…`);
      const started = Date.now();
      await seedDemoPlatform(
        { postgres: stores.postgres, redis: stores.redis },
        { preset: DEMO_PRESET, tenants: current.tenants, seed: current.seed },
      );
      current = { ...current, seededAt: new Date().toISOString() };
      await writeFileAtomic(statePath, `${JSON.stringify(current, null, 2)}\n`, 0o600);
      deps.log(`Demo platform seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    return { workspaceId: current.workspaceId, unavailable, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

async function storedPassword(vault: Vault, workspaceId: string, store: StoreKind): Promise<string | undefined> {
  const sealed = (await vault.read())[workspaceId]?.[store];
  return sealed === undefined ? undefined : vault.open(workspaceId, store, sealed);
}

function reasonOf(error: unknown): string {
  return error instanceof AppError || error instanceof Error ? error.message : String(error);
}

function demoWorkspace(input: {
  postgres: LocalPostgres | undefined;
  redis: LocalRedis | undefined;
  passwords: { postgres?: string; redis?: string };
  env: { MONGO_URL?: string; ES_URL?: string };
  unavailable: DemoPlatform['unavailable'];
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
  for (const [store, url, missing] of [
    ['mongo', input.env.MONGO_URL, 'no MongoDB server runs on this machine; set MONGO_URL to use one'],
    ['elastic', input.env.ES_URL, 'no Elasticsearch server runs on this machine; set ES_URL to use one'],
  ] as const) {
    if (!url) {
      input.unavailable[store] = missing;
      continue;
    }
    try {
      const parsed = parseConnectionUri(url);
      if (parsed.store !== store) throw new AppError('invalid_argument', `it is a ${parsed.store} URI`);
      Object.assign(endpoints, { [store]: { ...parsed.endpoint, password: parsed.password } });
    } catch (error) {
      input.unavailable[store] = `${store === 'mongo' ? 'MONGO_URL' : 'ES_URL'} is not usable: ${reasonOf(error)}`;
    }
  }
  return { name: 'Demo', environment: 'dev', preset: DEMO_PRESET, endpoints };
}
