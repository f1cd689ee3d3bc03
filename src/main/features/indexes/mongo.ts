import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { MongoCollectionIndexes, MongoFleetView, MongoIndexUsage } from '@shared/model/indexes';
import { MongoIndexSpec, mongoIndexDocument } from '@shared/model/indexes';
import type { AuditJustification } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { JobSummary } from '@shared/model/job';
import { TenantId } from '@shared/model/tenant-id';
import { scopeFor, tenantCollectionName, type MongoIndex, type TenancyPreset } from '@shared/tenancy';
import type { JobKind } from '../../jobs';
import type { MongoFace, MongoTarget } from '../../stores/mongo/face';
import { groupMongoFleet } from './mongo-fleet';

/** What the MongoDB index views need: the face and the database tenant collections live in. */
export interface IndexesMongo {
  face: Pick<MongoFace, 'listIndexes' | 'aggregate' | 'createIndexes' | 'setIndexHidden' | 'dropIndex' | 'indexBuilds' | 'listCollectionNames' | 'indexUsage'>;
  database: string;
}

/** A job the section starts: the caller's session, and the justification its audit entry carries. */
export interface IndexJobStart {
  workspaceId: string;
  kind: string;
  params: unknown;
  session: Pick<Session, 'operator' | 'role'>;
  justification?: AuditJustification;
}

interface MongoDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<{ preset: TenancyPreset; mongo?: IndexesMongo }>;
  startJob(request: IndexJobStart): Promise<JobSummary>;
}

type Json = z.core.util.JSONType;

/** Driver values (Long, Date, ObjectId) as plain JSON for the contract. */
function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const withNumber = value as { toNumber?: () => number; _bsontype?: string; toHexString?: () => string };
    if (typeof withNumber.toNumber === 'function') return withNumber.toNumber();
    if (typeof withNumber.toHexString === 'function') return withNumber.toHexString();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** The tenant's physical collection for a logical name: `tenant_<id>_<name>` under a prefix layout, the shared one otherwise. */
export function tenantCollection(preset: TenancyPreset, database: string, tenantId: string, collection: string): MongoTarget {
  const layout = preset.layout.mongo;
  if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in MongoDB.`);
  scopeFor(preset, tenantId);
  const logical = preset.blueprint.mongo?.collections.find((c) => c.name === collection || tenantCollectionName(layout, tenantId, c.name) === collection);
  const name = logical ? tenantCollectionName(layout, tenantId, logical.name) : collection;
  if (layout.mode === 'collection-prefix' && !name.startsWith(`${layout.collectionPrefix}${tenantId}_`)) {
    throw new AppError('forbidden', `${collection} is not a collection of tenant ${tenantId}.`);
  }
  return { database, collection: name };
}

const OPTION_KEYS = ['unique', 'expireAfterSeconds', 'partialFilterExpression', 'weights', 'default_language', 'collation', 'sparse', 'hidden'] as const;

/** The blueprint index's options as `listIndexes` spells them, for a comparison by definition. */
function blueprintOptions(index: MongoIndex): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (index.unique) out.unique = true;
  if (index.expireAfterSeconds !== undefined) out.expireAfterSeconds = index.expireAfterSeconds;
  if (index.partialFilterExpression) out.partialFilterExpression = plain(index.partialFilterExpression);
  if (index.weights) out.weights = index.weights;
  if (index.defaultLanguage) out.default_language = index.defaultLanguage;
  return out;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Differences of a live index from the blueprint's: the key spec in order (a text index compares
 * its weighted fields instead, as the server stores `_fts`), uniqueness, TTL seconds, the partial
 * filter, text weights and language.
 */
export function mongoIndexDifferences(blueprint: MongoIndex, live: { key: Array<[string, number | string]>; options: Record<string, Json> }): string[] {
  const out: string[] = [];
  const isText = blueprint.key.some(([, v]) => v === 'text');
  if (!isText && !same(blueprint.key, live.key)) out.push('key');
  const want = blueprintOptions(blueprint);
  if (!same(want.unique ?? false, live.options.unique ?? false)) out.push('unique');
  if (!same(want.expireAfterSeconds, live.options.expireAfterSeconds)) out.push(`TTL ${String(live.options.expireAfterSeconds ?? 'none')} instead of ${String(want.expireAfterSeconds ?? 'none')}`);
  if (!same(want.partialFilterExpression, live.options.partialFilterExpression)) out.push('partialFilterExpression');
  if (isText && !same(want.weights, live.options.weights)) out.push('weights');
  if (isText && want.default_language !== undefined && !same(want.default_language, live.options.default_language)) out.push('default_language');
  return out;
}

export const MongoBuildParams = z.object({ tenantId: TenantId, collection: z.string().min(1).max(120), index: MongoIndexSpec }).strict();
export type MongoBuildParams = z.infer<typeof MongoBuildParams>;

/** One index as the face's `createIndexes` takes it. */
type IndexDescriptionOfTheFace = Parameters<MongoFace['createIndexes']>[1][number];

/** `createIndexes` as the driver takes it, from the contract's spec: the document the screen previewed. */
export function indexDescription(spec: MongoIndexSpec): IndexDescriptionOfTheFace {
  // The spec's zod schema allows only the key kinds and options the driver's type names.
  return mongoIndexDocument(spec) as unknown as IndexDescriptionOfTheFace;
}

export function createMongoIndexes(deps: MongoDeps) {
  async function open(workspaceId: string, signal: AbortSignal): Promise<{ preset: TenancyPreset; mongo: IndexesMongo }> {
    const stores = await deps.openStores(workspaceId, signal);
    if (!stores.mongo) throw new AppError('unreachable', 'This workspace has no MongoDB endpoint; add one in the workspace editor.');
    return { preset: stores.preset, mongo: stores.mongo };
  }

  return {
    async collection(args: { workspaceId: string; tenantId: string; collection: string }, { signal }: { signal: AbortSignal }): Promise<MongoCollectionIndexes> {
      const { preset, mongo } = await open(args.workspaceId, signal);
      const target = tenantCollection(preset, mongo.database, args.tenantId, args.collection);
      const [listed, stats] = [await mongo.face.listIndexes(target, { signal }), await mongo.face.aggregate(target, [{ $indexStats: {} }], undefined, { signal })];
      const logical = preset.blueprint.mongo?.collections.find((c) => tenantCollection(preset, mongo.database, args.tenantId, c.name).collection === target.collection);
      const prescribed = new Map((logical?.indexes ?? []).map((i) => [i.name, i]));
      const indexes: MongoIndexUsage[] = listed.map((doc) => {
        const name = String(doc.name);
        const key = Object.entries((doc.key ?? {}) as Record<string, unknown>).map(([field, value]): [string, number | string] => [field, typeof value === 'number' || typeof value === 'string' ? value : Number(plain(value))]);
        const options = Object.fromEntries(OPTION_KEYS.filter((k) => doc[k] !== undefined).map((k) => [k, plain(doc[k])]));
        return {
          name,
          key,
          options,
          hidden: doc.hidden === true,
          prescribed: prescribed.has(name),
          accesses: stats
            .filter((s) => s.name === name)
            .map((s) => {
              const accesses = (s.accesses ?? {}) as { ops?: unknown; since?: unknown };
              return { host: String(s.host ?? ''), ops: Number(plain(accesses.ops) ?? 0), since: accesses.since ? String(plain(accesses.since)) : null };
            }),
        };
      });
      const live = new Map(indexes.map((i) => [i.name, i]));
      const drift: MongoCollectionIndexes['drift'] = [];
      for (const [name, want] of prescribed) {
        const found = live.get(name);
        if (!found) drift.push({ name, change: 'missing', differences: [] });
        else {
          const differences = mongoIndexDifferences(want, found);
          if (differences.length > 0) drift.push({ name, change: 'different', differences });
        }
      }
      for (const index of indexes) if (index.name !== '_id_' && !prescribed.has(index.name) && logical) drift.push({ name: index.name, change: 'extra', differences: [] });
      return { database: target.database, collection: target.collection, indexes, drift };
    },

    async fleet(args: { workspaceId: string }, { signal }: { signal: AbortSignal }): Promise<MongoFleetView> {
      const { preset, mongo } = await open(args.workspaceId, signal);
      const names = (await mongo.face.listCollectionNames(mongo.database, { signal })).filter((name) => !name.startsWith('system.'));
      const usage = await mongo.face.indexUsage(mongo.database, names, { signal });
      const { rows, tenantCollections } = groupMongoFleet(preset, usage);
      return { database: mongo.database, collectionsRead: usage.length, tenantCollections, rows };
    },

    async build(args: { workspaceId: string; tenantId: string; collection: string; index: MongoIndexSpec }, { signal, session, justification }: { signal: AbortSignal; session: Session; justification?: AuditJustification }): Promise<JobSummary> {
      const { preset, mongo } = await open(args.workspaceId, signal);
      tenantCollection(preset, mongo.database, args.tenantId, args.collection);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'indexes.mongo-build',
        params: { tenantId: args.tenantId, collection: args.collection, index: args.index },
        session,
        ...(justification ? { justification } : {}),
      });
    },

    /** Drops a hidden index only: a visible one is hidden first, the step that can be undone, and the drop follows. */
    async drop(args: { workspaceId: string; tenantId: string; collection: string; index: string }, { signal }: { signal: AbortSignal }): Promise<{ collection: string; index: string }> {
      const { preset, mongo } = await open(args.workspaceId, signal);
      const target = tenantCollection(preset, mongo.database, args.tenantId, args.collection);
      if (args.index === '_id_') throw new AppError('invalid_argument', 'The _id index cannot be dropped.');
      const found = (await mongo.face.listIndexes(target, { signal })).find((doc) => doc.name === args.index);
      if (!found) throw new AppError('not_found', `There is no index ${args.index} on ${target.collection}.`);
      if (found.hidden !== true) throw new AppError('conflict', `Hide ${args.index} first: the planner stops using it, unhiding undoes that at once, and a drop cannot be undone.`);
      await mongo.face.dropIndex(target, args.index, { signal });
      return { collection: target.collection, index: args.index };
    },

    async hide(args: { workspaceId: string; tenantId: string; collection: string; index: string; hidden: boolean }, { signal }: { signal: AbortSignal }): Promise<{ index: string; hidden: boolean }> {
      const { preset, mongo } = await open(args.workspaceId, signal);
      const target = tenantCollection(preset, mongo.database, args.tenantId, args.collection);
      if (args.index === '_id_') throw new AppError('invalid_argument', 'The _id index cannot be hidden.');
      await mongo.face.setIndexHidden(target, args.index, args.hidden, { signal });
      return { index: args.index, hidden: args.hidden };
    },
  };
}

/**
 * `indexes.mongo-build`: `createIndexes` on a tenant's collection; while it runs, `currentOp` is
 * polled for the build's message and progress.
 */
export function mongoBuildKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<{ preset: TenancyPreset; mongo: IndexesMongo }>): JobKind<MongoBuildParams, { preset: TenancyPreset; mongo: IndexesMongo }> {
  return {
    name: 'indexes.mongo-build',
    store: 'mongo',
    params: MongoBuildParams,
    describe: (p) => ({ title: `Build ${p.index.name} on ${p.collection} in tenant ${p.tenantId}`, tenantIds: [p.tenantId] }),
    openStores,
    async run(params, { signal, stores, progress, log }) {
      const target = tenantCollection(stores.preset, stores.mongo.database, params.tenantId, params.collection);
      progress(0, null, `building ${params.index.name} on ${target.collection}`);
      let running = true;
      const watch = (async () => {
        while (running && !signal.aborted) {
          const builds = await stores.mongo.face.indexBuilds(target, { signal }).catch(() => []);
          const build = builds[0];
          if (build && running) progress(build.done ?? 0, build.total, build.message);
          await new Promise((resolve) => setTimeout(resolve, 500).unref?.());
        }
      })();
      try {
        const names = await stores.mongo.face.createIndexes(target, [indexDescription(params.index)], { signal });
        log(`Built ${names.join(', ')} on ${target.database}.${target.collection}.`);
      } finally {
        running = false;
        await watch;
      }
      progress(1, 1, 'done');
      return { index: params.index.name, collection: target.collection };
    },
  };
}
