import { AppError } from '@shared/errors';
import type { StoreKind, Workspace } from '@shared/model/workspace';
import { presetByName, type TenancyPreset } from '@shared/tenancy';
import type { WorkspaceRepository } from '../features/workspaces/repository';
import type { Vault } from '../security/vault';
import type { ElasticFace } from '../stores/elastic/face';
import { ElasticStore } from '../stores/elastic/store';
import type { StoreFace } from '../stores/face';
import type { MongoFace } from '../stores/mongo/face';
import { MongoStore } from '../stores/mongo/store';
import type { PostgresFace } from '../stores/postgres/face';
import { PostgresStore } from '../stores/postgres/store';
import { RedisStore } from '../stores/redis/store';

/** The live stores of one workspace, built from its endpoints and the vault's secrets. */
export interface WorkspaceStores {
  workspace: Workspace;
  preset: TenancyPreset;
  postgres?: PostgresFace;
  redis?: RedisStore;
  mongo?: MongoFace;
  elastic?: ElasticFace;
}

export interface StoreRegistry {
  /** The workspace's stores, built once and shared by every feature until the workspace changes. */
  open(workspaceId: string): Promise<WorkspaceStores>;
  /** Closes and forgets a workspace's stores (its settings changed or it was removed). */
  invalidate(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One set of store connections per workspace for the whole console. A prod workspace's stores are
 * built read-only; the features never decide that themselves.
 */
export function createStoreRegistry(deps: { repository: WorkspaceRepository; vault: Vault }): StoreRegistry {
  const open = new Map<string, Promise<WorkspaceStores>>();

  async function passwordOf(workspaceId: string, kind: StoreKind): Promise<string | undefined> {
    const sealed = (await deps.vault.read())[workspaceId]?.[kind];
    return sealed === undefined ? undefined : deps.vault.open(workspaceId, kind, sealed);
  }

  async function build(workspaceId: string): Promise<WorkspaceStores> {
    const workspace = (await deps.repository.load()).find((w) => w.id === workspaceId);
    if (!workspace) throw new AppError('not_found', `There is no workspace "${workspaceId}".`);
    const readOnly = workspace.environment === 'prod';
    const { postgres, redis, mongo, elastic } = workspace.endpoints;
    return {
      workspace,
      preset: presetByName(workspace.preset),
      postgres: postgres && new PostgresStore(postgres, { password: await passwordOf(workspaceId, 'postgres') }, { readOnly }),
      redis: redis && new RedisStore(redis, { password: await passwordOf(workspaceId, 'redis') }, { readOnly }),
      mongo: mongo && new MongoStore(mongo, { password: await passwordOf(workspaceId, 'mongo') }, { readOnly }),
      elastic: elastic && new ElasticStore(elastic, { password: await passwordOf(workspaceId, 'elastic') }, { readOnly }),
    };
  }

  async function closeAll(stores: WorkspaceStores): Promise<void> {
    const closables: Array<Pick<StoreFace, 'close'> | undefined> = [stores.postgres, stores.redis, stores.mongo, stores.elastic];
    await Promise.allSettled(closables.map((store) => store?.close()));
  }

  return {
    open(workspaceId) {
      let stores = open.get(workspaceId);
      if (!stores) {
        stores = build(workspaceId);
        open.set(workspaceId, stores);
        // A failed build (locked vault, unknown workspace) is not cached: the next call tries again.
        stores.catch(() => open.delete(workspaceId));
      }
      return stores;
    },
    async invalidate(workspaceId) {
      const stores = open.get(workspaceId);
      open.delete(workspaceId);
      if (stores) await stores.then(closeAll, () => undefined);
    },
    async close() {
      const all = [...open.values()];
      open.clear();
      await Promise.allSettled(all.map((stores) => stores.then(closeAll)));
    },
  };
}
