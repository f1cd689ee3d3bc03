import type { z } from 'zod';
import { AppError } from '@shared/errors';
import type { ParsedArgsOf, ResultOf } from '@shared/contract/define';
import { tenantEvents, tenants as tenantsSection } from '@shared/contract/tenants';
import type { StoreAnswer, StoreTenantRow, Tenant, TenantSummary } from '@shared/model/tenant';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { scopeFor, tenantIdPattern, tenantSchemaName, type MongoDatabases, type TenancyPreset } from '@shared/tenancy';
import type { ElasticFace } from '../../stores/elastic/face';
import { Deadline, type ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import type { RedisFace } from '../../stores/redis/face';
import { KeyClassifier, redisLayoutOf, type RedisLayout } from '@shared/tenancy/key-families';
import { listTenantKeys } from './redis/key-list';
import { NamespaceCache } from './redis/namespace-cache';
import { buildNamespaceMap } from './redis/namespace-map';
import { compareWithBlueprint, readLiveSchema } from './drift';
import { listElasticTenants } from './elastic-tenants';
import { mergeTenants, type StoreRows } from './merge';
import { listMongoTenants, type TenantsMongo } from './mongo-tenants';
import { listPostgresTenants } from './postgres-tenants';
import { redisTenantRows } from './redis-tenants';
import type { Session } from '@shared/model/session';
import type { UnmaskedPaths } from '../../reading/masking';
import { maskKeyValue } from './redis/mask-key-value';
import { KeyRefs } from './redis/key-ref';
import { maskKeyName, type RecordKind } from '@shared/masking';
import type { Role } from '@shared/model/session';

type Methods = typeof tenantsSection.methods;
type TenantEventName = keyof typeof tenantEvents;

/** What each method receives beside its arguments; the router's CallContext satisfies it. */
export interface TenantsCallContext {
  signal: AbortSignal;
  /**
   * The caller's role, and what they unmasked, decide what a Redis value shows; without a session,
   * values are masked as for support.
   */
  session?: Pick<Session, 'operator' | 'role'>;
  emit<E extends TenantEventName>(name: E, payload: z.output<(typeof tenantEvents)[E]>): void;
}

export type TenantsService = {
  [M in keyof Methods]: (args: ParsedArgsOf<Methods[M]>, context: TenantsCallContext) => Promise<ResultOf<Methods[M]>>;
};

/**
 * A workspace's stores as the tenant browser sees them: a `Pick` of each engine's face, all catalog
 * reads; an absent store is not configured.
 */
/** What the tenant browser uses of Redis. */
export type TenantsRedis = Pick<RedisFace, 'dbsize' | 'walkKeys' | 'readValue'>;

export interface TenantStores {
  preset: TenancyPreset;
  postgres?: Pick<PostgresFace, 'query'>;
  /** With the workspace's database names resolved (customer, shared, admin, or the tenant database). */
  mongo?: { reader: TenantsMongo; databases: MongoDatabases };
  /** The namespace walk, the scoped key list and the scoped value reads. */
  redis?: TenantsRedis;
  elastic?: Pick<ElasticFace, 'listIndices'>;
  /** Stores the workspace configures but the console cannot reach here, with the reason. */
  unavailable?: Partial<Record<'postgres' | 'mongo' | 'redis' | 'elastic', string>>;
}

export interface TenantsServiceDeps {
  /** The stores of a workspace with its preset, connected or connecting; a store left out is not configured. */
  openStores(workspaceId: string, signal: AbortSignal): Promise<TenantStores>;
  /** Shared with anything else that reads the namespace map; one per console. */
  namespaceCache?: NamespaceCache;
  /** How long one store may take to answer a listing before it is reported as slow. */
  storeTimeoutMs?: number;
  now?: () => Date;
  /** The Redis fields the caller unmasked in a tenant with a live reason; none when left out. */
  unmaskedPaths?: UnmaskedPaths;
  /** Seals and opens the key refs of the key browser; one per process, drawn at random unless given. */
  keyRefs?: KeyRefs;
}

const DEFAULT_STORE_TIMEOUT_MS = 15_000;
const STORE_ORDER: readonly StoreKind[] = ['postgres', 'mongo', 'redis', 'elastic'];

export { redisLayoutOf };

interface StoreOutcome {
  answer: StoreAnswer;
  rows: StoreTenantRow[];
}

/** Runs one store's part under its own deadline; a failure or a timeout is an answer, not an error. */
async function answerOf(
  store: StoreKind,
  timeoutMs: number,
  signal: AbortSignal,
  work: (exec: ExecutionOptions) => Promise<StoreTenantRow[]>,
  timeoutReason = `${STORE_LABELS[store]} did not answer within ${timeoutMs} ms.`,
): Promise<StoreOutcome> {
  const started = performance.now();
  const deadline = new Deadline({ signal }, timeoutMs);
  const what = `Listing tenants in ${STORE_LABELS[store]}`;
  try {
    const rows = await deadline.race(work({ signal: deadline.signal, timeoutMs }), what);
    return { answer: { store, state: 'ok', elapsedMs: performance.now() - started }, rows };
  } catch (error) {
    if (signal.aborted) throw new AppError('cancelled', `${what} was cancelled.`);
    const timedOut = deadline.reason === 'timeout' || AppError.is(error, 'timeout');
    const reason = timedOut
      ? timeoutReason
      : error instanceof Error
        ? error.message
        : String(error);
    return { answer: { store, state: timedOut ? 'timeout' : 'down', reason, elapsedMs: performance.now() - started }, rows: [] };
  } finally {
    deadline.dispose();
  }
}

/**
 * The tenant browser: every tenant merged from all stores, one tenant's summary with blueprint
 * drift, the Redis namespace map and the per-tenant key browser. Stores answer in parallel, each
 * under its own deadline, and each answer streams as `tenants.footprints` as soon as it is in.
 */
export function createTenantsService(deps: TenantsServiceDeps): TenantsService {
  const cache = deps.namespaceCache ?? new NamespaceCache();
  const storeTimeoutMs = deps.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const now = deps.now ?? (() => new Date());
  const keyRefs = deps.keyRefs ?? new KeyRefs();

  /**
   * The caller's role and, per key family, what they unmasked in this tenant: names and values are
   * masked by it. Without a session, everything is masked as for support.
   */
  function maskingFor(context: TenantsCallContext, workspaceId: string, tenantId: string): { role: Role; unmasked(family: string): string[] } {
    const { session } = context;
    const seen = new Map<string, string[]>();
    return {
      role: session?.role ?? 'support',
      unmasked(family) {
        if (!session) return [];
        let paths = seen.get(family);
        if (!paths) {
          paths = deps.unmaskedPaths?.(session, workspaceId, tenantId, `redis:${family}` as RecordKind) ?? [];
          seen.set(family, paths);
        }
        return paths;
      },
    };
  }

  function namespaceMapOf(
    workspaceId: string,
    redis: TenantsRedis,
    layout: RedisLayout,
    refresh: boolean,
    exec: ExecutionOptions,
    context: TenantsCallContext,
    requestId: string | undefined,
  ) {
    return cache.obtain(workspaceId, refresh, () =>
      buildNamespaceMap(redis, layout, {
        signal: exec.signal,
        onProgress: (progress) => context.emit('tenants.namespaceProgress', { ...progress, workspaceId, requestId }),
      }),
    );
  }

  /** Every store's rows for the workspace (or for one tenant), streamed as they come in. */
  async function collect(
    workspaceId: string,
    stores: TenantStores,
    context: TenantsCallContext,
    options: { tenantId?: string; timeoutMs: number; refreshRedis: boolean; requestId?: string },
  ): Promise<{ answers: StoreOutcome[]; registryAnswered: boolean }> {
    const { preset } = stores;
    const idPattern = tenantIdPattern(preset);
    const { tenantId, timeoutMs, requestId } = options;
    const work: Partial<Record<StoreKind, ((exec: ExecutionOptions) => Promise<StoreTenantRow[]>) | null>> = {};
    const { postgres: pgLayout, mongo: mongoLayout, elastic: esLayout } = preset.layout;
    const redisLayout = redisLayoutOf(preset);
    if (pgLayout) {
      const pg = stores.postgres;
      work.postgres = pg
        ? (exec) =>
            listPostgresTenants(pg, pgLayout, {
              ...exec,
              idPattern,
              tenantId,
              schemaOfTenant: tenantId === undefined ? undefined : tenantSchemaName(pgLayout, tenantId),
            })
        : null;
    }
    if (mongoLayout) {
      const mongo = stores.mongo;
      work.mongo = mongo
        ? (exec) =>
            listMongoTenants(mongo.reader, mongoLayout, preset.blueprint.mongo, mongo.databases, {
              ...exec,
              idPattern,
              tenantId,
              scope: tenantId === undefined ? undefined : scopeFor(preset, tenantId),
            })
        : null;
    }
    if (redisLayout) {
      const redis = stores.redis;
      // The walk runs on the caller's signal, not the store deadline: a keyspace too big to walk
      // in time keeps being walked after the list answers, and the next list finds the map cached.
      work.redis = redis
        ? async () =>
            redisTenantRows(
              await namespaceMapOf(workspaceId, redis, redisLayout, options.refreshRedis, { signal: context.signal }, context, requestId),
              tenantId,
            )
        : null;
    }
    if (esLayout) {
      const es = stores.elastic;
      const entities = (preset.blueprint.elastic?.indices ?? []).map((i) => i.entity).sort((a, b) => b.length - a.length);
      work.elastic = es ? (exec) => listElasticTenants(es, esLayout, entities, idPattern, { ...exec, tenantId }) : null;
    }

    const answers = await Promise.all(
      STORE_ORDER.filter((store) => work[store] !== undefined).map(async (store) => {
        const run = work[store];
        const unavailable = stores.unavailable?.[store];
        const slowWalk = 'The Redis namespace map (one SCAN walk of the keyspace) is still being built; the next listing uses it once it is done.';
        const outcome: StoreOutcome = run
          ? await answerOf(store, timeoutMs, context.signal, run, store === 'redis' ? slowWalk : undefined)
          : unavailable
            ? { answer: { store, state: 'down', reason: unavailable, elapsedMs: 0 }, rows: [] }
            : { answer: { store, state: 'not_configured', reason: `The workspace has no ${STORE_LABELS[store]} endpoint.`, elapsedMs: 0 }, rows: [] };
        if (tenantId === undefined) {
          context.emit('tenants.footprints', { workspaceId, requestId, store, answer: outcome.answer, rows: outcome.rows });
        }
        return outcome;
      }),
    );
    const registryStore: StoreKind | undefined = pgLayout ? 'postgres' : mongoLayout?.mode === 'field' ? 'mongo' : undefined;
    const registryAnswered = answers.some((a) => a.answer.store === registryStore && a.answer.state === 'ok');
    return { answers, registryAnswered };
  }

  const toStoreRows = (answers: StoreOutcome[]): StoreRows[] => answers.map((a) => ({ store: a.answer.store, rows: a.rows }));

  function redisOf(stores: TenantStores): { redis: TenantsRedis; classifier: KeyClassifier } {
    const layout = redisLayoutOf(stores.preset);
    if (!layout) throw new AppError('invalid_argument', `The ${stores.preset.title} preset keeps no tenant data in Redis.`);
    if (!stores.redis) throw new AppError('not_found', 'The workspace has no Redis endpoint.');
    return { redis: stores.redis, classifier: new KeyClassifier(layout) };
  }

  return {
    async list({ workspaceId, requestId, storeTimeoutMs: timeoutMs, refreshRedis }, context) {
      const stores = await deps.openStores(workspaceId, context.signal);
      const { answers, registryAnswered } = await collect(workspaceId, stores, context, {
        timeoutMs: timeoutMs ?? storeTimeoutMs,
        refreshRedis: refreshRedis ?? false,
        requestId,
      });
      return { tenants: mergeTenants(toStoreRows(answers), registryAnswered), stores: answers.map((a) => a.answer) };
    },

    async get({ workspaceId, tenantId }, context): Promise<TenantSummary> {
      const stores = await deps.openStores(workspaceId, context.signal);
      const { preset } = stores;
      scopeFor(preset, tenantId);
      const { answers, registryAnswered } = await collect(workspaceId, stores, context, { tenantId, timeoutMs: storeTimeoutMs, refreshRedis: false });
      const tenant: Tenant | undefined = mergeTenants(toStoreRows(answers), registryAnswered).find((t) => t.id === tenantId);
      const pgAnswered = answers.some((a) => a.answer.store === 'postgres' && a.answer.state === 'ok');
      if (!tenant && answers.every((a) => a.answer.state === 'ok' || a.answer.state === 'not_configured')) {
        throw new AppError('not_found', `No store of this workspace holds anything for tenant ${tenantId}.`);
      }
      let drift: TenantSummary['drift'] = null;
      const pgLayout = preset.layout.postgres;
      if (pgLayout && preset.blueprint.postgres && stores.postgres && pgAnswered) {
        const schema = tenant?.footprint.postgres?.schema ?? tenantSchemaName(pgLayout, tenantId);
        const live = await readLiveSchema(stores.postgres, schema, { signal: context.signal, timeoutMs: storeTimeoutMs });
        drift = compareWithBlueprint(live ?? { tables: [], indexes: [], policies: [] }, preset.blueprint.postgres, now());
      }
      return {
        tenant: tenant ?? { id: tenantId, name: null, status: null, lastActivity: null, registered: false, footprint: {}, inconsistencies: [] },
        stores: answers.map((a) => a.answer),
        drift,
      };
    },

    async namespaceMap({ workspaceId, refresh, requestId }, context) {
      const stores = await deps.openStores(workspaceId, context.signal);
      const { redis, classifier } = redisOf(stores);
      const layout = redisLayoutOf(stores.preset) as RedisLayout;
      const map = await namespaceMapOf(workspaceId, redis, layout, refresh ?? false, { signal: context.signal }, context, requestId);
      // Keys under no known tenant (`legacy:session:<id>`) are named in the sample: a credential in
      // one is masked as in the key list. No tenant's unmask covers them, so every role sees it so.
      const role = context.session?.role ?? 'support';
      const sample = map.orphans.sample.map((key) => maskKeyName(`redis:${classifier.familyOfKey(key)}`, key, role));
      // Each tenant's per-family TTL samples serve the retention view; the tenant list goes without them.
      const tenants = map.tenants.map(({ familyTtl: _retentionOnly, ...tenant }) => tenant);
      return { ...map, tenants, orphans: { ...map.orphans, sample } };
    },

    async keys({ workspaceId, tenantId, family, cursor, pageSize }, context) {
      const stores = await deps.openStores(workspaceId, context.signal);
      const scope = scopeFor(stores.preset, tenantId);
      const { redis, classifier } = redisOf(stores);
      // SCAN matches the family's glob on the real names; only what leaves is masked.
      const page = await listTenantKeys(redis, classifier, { scope, family, cursor, pageSize, signal: context.signal });
      const masking = maskingFor(context, workspaceId, tenantId);
      return {
        ...page,
        keys: page.keys.map((listed) => ({
          ...listed,
          key: maskKeyName(`redis:${listed.family}`, listed.key, masking.role, masking.unmasked(listed.family)),
          keyRef: keyRefs.seal(workspaceId, listed.key),
        })),
      };
    },

    async keyValue({ workspaceId, tenantId, key: named, keyRef, limit }, context) {
      // A ref is opened before any store is: a forged one costs nothing.
      const key = keyRef === undefined ? named : keyRefs.open(workspaceId, keyRef);
      if (key === undefined) throw new AppError('invalid_argument', 'Name the key by the keyRef the key list gave, or by key.');
      const stores = await deps.openStores(workspaceId, context.signal);
      const scope = scopeFor(stores.preset, tenantId);
      const { redis, classifier } = redisOf(stores);
      const family = classifier.familyOfKey(key);
      const kind = `redis:${family}`;
      if (keyRef === undefined && maskKeyName(kind, key, 'support') !== key) {
        // A name that is a credential is opened by the ref the list gave, never typed in.
        throw new AppError('invalid_argument', `A ${family} key’s name is a credential: open it from the key list (by its keyRef), not by name.`);
      }
      const masking = maskingFor(context, workspaceId, tenantId);
      const unmasked = masking.unmasked(family);
      const shownAs = maskKeyName(kind, key, masking.role, unmasked);
      const value = await redis.readValue(key, scope, { limit, signal: context.signal, shownAs });
      return { ...maskKeyValue(value, family, masking.role, unmasked), key: shownAs };
    },
  };
}
