import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import type { StoreKind, Workspace } from '@shared/model/workspace';
import { presetByName, type TenancyPreset } from '@shared/tenancy';
import type { WorkspaceRepository } from '../features/workspaces/repository';
import { namedScope, type JustificationStore } from '../security/policy';
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

/** Who asks for stores that write: the operator whose prod unlock must be live. */
export type Writer = Pick<Session, 'operator' | 'role'>;

export interface StoreRegistry {
  /** The workspace's stores, built once and shared by every feature until the workspace changes; read-only on prod, always. */
  open(workspaceId: string): Promise<WorkspaceStores>;
  /**
   * The stores write-class work runs on. Dev and staging have one set, the one `open` gives. Prod
   * has a second set built writable, handed out only while `writer` holds a live prod unlock for
   * the workspace (refused with `read_only` and the reason that lifts it otherwise).
   */
  openWritable(workspaceId: string, writer: Writer): Promise<WorkspaceStores>;
  /** Whether `writer` may write in the workspace now: not prod, or a live prod unlock. */
  mayWrite(workspaceId: string, writer: Writer): Promise<boolean>;
  /** Closes and forgets a workspace's stores (its settings changed or it was removed). */
  invalidate(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One set of store connections per workspace for the whole console. A prod workspace's stores are
 * built read-only; the features never decide that themselves. Its writable set is a second set of
 * connections, so a read path never runs on a store that could write, even while prod is unlocked.
 */
export function createStoreRegistry(deps: { repository: WorkspaceRepository; vault: Vault; unlocks?: Pick<JustificationStore, 'find'> }): StoreRegistry {
  const open = new Map<string, Promise<WorkspaceStores>>();
  const writable = new Map<string, Promise<WorkspaceStores>>();

  async function passwordOf(workspaceId: string, kind: StoreKind): Promise<string | undefined> {
    const sealed = (await deps.vault.read())[workspaceId]?.[kind];
    return sealed === undefined ? undefined : deps.vault.open(workspaceId, kind, sealed);
  }

  async function build(workspaceId: string, write: boolean): Promise<WorkspaceStores> {
    const workspace = (await deps.repository.load()).find((w) => w.id === workspaceId);
    if (!workspace) throw new AppError('not_found', `There is no workspace "${workspaceId}".`);
    const readOnly = workspace.environment === 'prod' && !write;
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

  function cached(sets: Map<string, Promise<WorkspaceStores>>, workspaceId: string, write: boolean): Promise<WorkspaceStores> {
    let stores = sets.get(workspaceId);
    if (!stores) {
      stores = build(workspaceId, write);
      sets.set(workspaceId, stores);
      // A failed build (locked vault, unknown workspace) is not cached: the next call tries again.
      stores.catch(() => sets.delete(workspaceId));
    }
    return stores;
  }

  const unlocked = (workspaceId: string, writer: Writer): boolean => deps.unlocks?.find(writer, { kind: 'prod-unlock', workspaceId }) !== undefined;

  return {
    open: (workspaceId) => cached(open, workspaceId, false),
    async openWritable(workspaceId, writer) {
      const stores = await cached(open, workspaceId, false);
      if (stores.workspace.environment !== 'prod') return stores;
      if (!unlocked(workspaceId, writer)) {
        throw new AppError('read_only', `Workspace ${workspaceId} is prod and opens read-only: unlock writes with a reason first.`, {
          reasonNeeded: namedScope({ kind: 'prod-unlock', workspaceId }),
        });
      }
      return cached(writable, workspaceId, true);
    },
    async mayWrite(workspaceId, writer) {
      const stores = await cached(open, workspaceId, false);
      return stores.workspace.environment !== 'prod' || unlocked(workspaceId, writer);
    },
    async invalidate(workspaceId) {
      const sets = [open.get(workspaceId), writable.get(workspaceId)];
      open.delete(workspaceId);
      writable.delete(workspaceId);
      await Promise.allSettled(sets.map((stores) => stores?.then(closeAll, () => undefined)));
    },
    async close() {
      const all = [...open.values(), ...writable.values()];
      open.clear();
      writable.clear();
      await Promise.allSettled(all.map((stores) => stores.then(closeAll)));
    },
  };
}
