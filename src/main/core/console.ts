import { join } from 'node:path';
import { CONSOLE_JOURNAL_ID } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { StoreStatus, Workspace } from '@shared/model/workspace';
import type { TenancyPreset } from '@shared/tenancy';
import { createSystemService } from '../features/system/service';
import { createTenantsService, redisLayoutOf } from '../features/tenants/service';
import { NamespaceCache } from '../features/tenants/redis/namespace-cache';
import { buildNamespaceMap } from '../features/tenants/redis/namespace-map';
import {
  createRetentionService,
  mongoLanes,
  mongoWhileUnlocked,
  redisLanes,
  redisWhileUnlocked,
  registerRetentionJobs,
  type RetentionJobStores,
} from '../features/retention';
import { createWorkspaceRepository } from '../features/workspaces/repository';
import { createWorkspacesService } from '../features/workspaces/service';
import { createVaultService } from '../features/workspaces/vault-service';
import {
  createKeyFileCipher,
  createPassphraseVault,
  createSafeStorageCipher,
  createVault,
  type Vault,
} from '../security/vault';
import { probeEndpoint } from '../stores/probe';
import { createCasesService } from '../features/cases/service';
import type { InspectorStores } from '../reading/stores';
import { createClientsService } from '../features/clients/service';
import { createAccessService } from '../features/access/service';
import { OperatorDirectory, osOperator } from '../features/access/operators';
import { refuseManagedChange } from '../features/access/managed-guard';
import { createAuditService } from '../features/audit/service';
import { createWorkbenchService } from '../features/workbench/service';
import { createExplainService, type ElasticProfiler, type ExplainStores, type MongoExplainer } from '../features/explain/service';
import { fleetExplainKind } from '../features/explain/fleet-kind';
import { FleetPlans } from '../features/explain/fleet-plans';
import { PlanStore } from '../features/explain/plan-store';
import { elasticRoster, mongoRoster, postgresRoster, redisRoster } from '../reading/tenant-roster';
import { AppError } from '@shared/errors';
import { createIndexesService } from '../features/indexes/service';
import { createBackupsService } from '../features/backups/service';
import { BackupFolders } from '../features/backups/catalog';
import { postgresBackupPart } from '../features/backups/parts/postgres';
import { redisBackupPart } from '../features/backups/parts/redis';
import { mongoBackupPart } from '../features/backups/parts/mongo';
import { elasticBackupPart } from '../features/backups/parts/elastic';
import { registerBackupJobs, registerRestoreJobs } from '../features/backups/register';
import type { BackupStores } from '../features/backups/stores';
import { registerIndexJobs } from '../features/indexes/register';
import { createIlmService, fleetIlmSource, ilmLaneSource, registerIlmJobs } from '../features/ilm';
import type { LifecycleLaneSource } from '../services/lifecycle-lanes';
import { ReferenceCache } from '../features/indexes/reference-cache';
import { createPartitionsService, fleetHorizons, partitionLanes, registerPartitionJobs } from '../features/partitions';

import { createLifecycleService, type LifecycleSources } from '../features/lifecycle/service';
import { unavailableStores } from '../features/lifecycle/store-gaps';
import { Downloads } from '../features/workbench/downloads';
import { FanOutRuns, workbenchFanOutKind } from '../features/workbench/fan-out';
import { RunHistory } from '../features/workbench/history';
import { SavedQueries } from '../features/workbench/saved-queries';
import type { OpenWorkbenchStores } from '../features/workbench/stores';
import { createStoreBackupsService } from '../features/store-backups/service';
import { redisSaveKind } from '../features/store-backups/redis-save';
import { elasticSnapshotKind } from '../features/store-backups/elastic-snapshot';
import { AuditLog } from '../security/audit/audit-log';
import { CLASS_RULES, JustificationStore, classOf, createAccessPolicy, targetOf } from '../security/policy';
import { createAuditSinks } from './audit-sinks';
import { JobManager, createJobsService, demoSleepKind, demoTenantSweepKind, type JobEmit, type StartRequest } from '../jobs';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { startDemoPlatform, type DemoPlatform, type DemoServerOptions } from './demo-platform';
import { watchDemoStatus, withDemoReasons } from './demo-status';
import { createRouter, type Router } from './router';
import { registerWriteJobs, routeWrites, whileUnlocked, withStartUnlock } from './unlocked-writes';
import { createStoreRegistry, type StoreRegistry, type Writer } from './workspace-stores';

// The console reads its own demo's store status as itself, like the demo platform sets itself up.
const demoStatusSession: Session = { connectionId: 'demo-status', operator: { name: 'Tenantscope demo' }, role: 'platform_admin' };

/** Electron's `safeStorage`, passed in by the shell so core code never imports electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means a hard-coded key, i.e. no protection. */
  getSelectedStorageBackend?(): string;
}

export interface ConsoleOptions {
  dataDir: string;
  mode: 'desktop' | 'web';
  version: string;
  /** Desktop: Electron's safeStorage. Web mode: absent (a 0600 key file is used). */
  safeStorage?: SafeStorageLike;
  /** A master passphrase, where safeStorage offers no real protection. */
  passphrase?: string;
  /** `npm start`: with no workspace configured, run and open the embedded demo platform (with these servers, when given). */
  demo?: boolean | DemoServerOptions;
  /** Where start-up progress goes (the terminal in web mode). */
  log?: (line: string) => void;
  /** MONGO_URL / ES_URL for the demo platform; PATH for its redis-server. */
  env?: { MONGO_URL?: string; ES_URL?: string; PATH?: string; TENANTSCOPE_PG_BIN?: string };
  /** Jobs running at once per store of a workspace (defaults: DEFAULT_STORE_LIMITS). */
  jobLimits?: Partial<Record<StoreKind, number>>;
  /** Desktop: where to save a workbench export (Electron's save dialog); undefined when the operator cancelled. */
  chooseSavePath?(suggestedName: string): Promise<string | undefined>;
}

/** The composition root: builds every service from the data dir and wires them into one router. */
export interface ConsoleCore {
  router: Router;
  /** The session of a newly connected renderer. */
  newSession(connectionId: string): Session;
  /** The embedded demo platform, when this console started one. */
  demo?: DemoPlatform;
  /** The live stores of each workspace, shared by every feature. */
  registry: StoreRegistry;
  /** Every workspace's audit journal and its shipment to the admin store. */
  auditLog: AuditLog;
  /** Long work of every workspace: queued, running and a bounded history, persisted in `<dataDir>/jobs`. */
  jobs: JobManager;
  /** Web mode's one-time export downloads, served at `/downloads/<token>`. */
  downloads: Downloads;
  /** The lanes the store features draw for the lifecycle time view (retention: MongoDB and Redis). */
  laneSources: LifecycleLaneSource[];
  close(): Promise<void>;
}

/**
 * Picks the vault: the OS keychain through safeStorage on a desktop that has a real one; a master
 * passphrase where safeStorage is missing or is Linux's `basic_text` (a hard-coded key, no
 * protection); a 0600 key file in web mode.
 */
export async function chooseVault(options: ConsoleOptions): Promise<Vault> {
  if (options.mode === 'web') return createVault(options.dataDir, await createKeyFileCipher(options.dataDir));
  const safeStorage = options.safeStorage;
  if (safeStorage?.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text') {
    return createVault(options.dataDir, createSafeStorageCipher(safeStorage));
  }
  const vault = createPassphraseVault(options.dataDir);
  if (options.passphrase !== undefined) await vault.unlock(options.passphrase);
  return vault;
}

export async function createConsole(options: ConsoleOptions): Promise<ConsoleCore> {
  const vault = await chooseVault(options);
  const repository = createWorkspaceRepository(options.dataDir);
  const justifications = new JustificationStore();
  const registry = createStoreRegistry({ repository, vault, unlocks: justifications });
  /** Read paths get the stores every reader gets (read-only on prod); write-class work names its writer. */
  const storesOf = (workspaceId: string, writer?: Writer) => (writer ? registry.openWritable(workspaceId, writer) : registry.open(workspaceId));
  /** The stores the case and client inspectors read, with the MongoDB database each one uses. */
  async function inspectorStores(workspaceId: string, database: 'tenant' | 'customer'): Promise<InspectorStores> {
    const { workspace, preset, postgres, mongo, elastic } = await registry.open(workspaceId);
    const layout = preset.layout.mongo;
    const named = workspace.endpoints.mongo?.databases;
    const mongoDatabase = database === 'customer' ? (named?.customer ?? layout?.databases.customer) : layout?.databases.tenant;
    return {
      preset,
      ...(postgres && { postgres }),
      ...(mongo && mongoDatabase && { mongo: { reader: mongo, database: mongoDatabase } }),
      ...(elastic && { elastic }),
    };
  }

  const log = options.log ?? (() => undefined);
  // Access and audit: the operator of each workspace, the reasons given, and one journal per workspace.
  const directory = new OperatorDirectory(options.dataDir);
  const auditDirectory = join(options.dataDir, 'audit');
  const sinks = createAuditSinks({ repository, vault });
  const auditLog = new AuditLog({
    directory: auditDirectory,
    sinkFor: (journalId) => sinks.sinkFor(journalId),
    onRetry: (journalId, error, attempt) => {
      if (attempt === 1) log(`Audit entries of ${journalId} wait for the admin store: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  const record = (journalId: string, draft: Parameters<AuditLog['record']>[1]) => auditLog.record(journalId, draft);
  const environmentOf = async (workspaceId: string) => (await repository.load()).find((w) => w.id === workspaceId)?.environment;
  const workspaceExists = async (workspaceId: string) => (await repository.load()).some((w) => w.id === workspaceId);
  const policy = createAccessPolicy({ justifications, environmentOf, record });
  const unmaskedPaths = justifications.unmaskedPaths.bind(justifications);
  // Job events go to every renderer once the router exists; start-up recovery announces nothing.
  let broadcastJobEvent: JobEmit = () => undefined;
  const jobs = await JobManager.open({
    directory: join(options.dataDir, 'jobs'),
    ...(options.jobLimits ? { limits: options.jobLimits } : {}),
    record,
    emit: (name, payload) => broadcastJobEvent(name, payload),
    onError: log,
  });
  const postgresOf = async (workspaceId: string) => (await registry.open(workspaceId)).postgres;
  jobs.register(demoSleepKind(postgresOf));
  jobs.register(demoTenantSweepKind(postgresOf));
  // Explain: kept plans and fleet explains under <dataDir>/plans; the stores each engine explains with.
  const plans = new PlanStore(join(options.dataDir, 'plans'));
  const fleets = new FleetPlans(join(options.dataDir, 'plans'));
  async function explainStores(workspaceId: string, writer?: Writer): Promise<ExplainStores> {
    const { workspace, preset, postgres, mongo, elastic } = await storesOf(workspaceId, writer);
    const mongoDatabase = tenantDataDatabase(workspace, preset);
    return {
      preset,
      ...(postgres && { postgres }),
      ...(mongo && mongoDatabase && canExplain<MongoExplainer>(mongo, 'explainUser') && { mongo: { explainer: mongo, database: mongoDatabase } }),
      ...(elastic && canExplain<ElasticProfiler>(elastic, 'profileUser') && { elastic }),
    };
  }
  jobs.register(
    fleetExplainKind({
      fleets,
      openStores: async (workspaceId) => {
        const { preset, postgres } = await registry.open(workspaceId);
        if (!postgres) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no PostgreSQL to explain in.`);
        return { workspaceId, preset, postgres };
      },
    }),
  );
  const references = new ReferenceCache({ directory: join(options.dataDir, 'indexes') });
  const indexStores = async (workspaceId: string, writer?: Writer) => {
    const { workspace, preset, postgres, mongo, elastic } = await storesOf(workspaceId, writer);
    const layout = preset.layout.mongo;
    const database = layout?.mode === 'collection-prefix' ? layout.databases.tenant : (workspace.endpoints.mongo?.databases?.customer ?? layout?.databases.customer);
    return { workspaceId, preset, ...(postgres && { postgres }), ...(mongo && database && { mongo: { face: mongo, database } }), ...(elastic && { elastic: { face: elastic } }) };
  };
  // Services answer write-class methods on the writable stores of the caller's unlock (routeWrites below).
  const explainDeps = (writer?: Writer) => ({
    openStores: (workspaceId: string) => explainStores(workspaceId, writer),
    rosterOf: async (workspaceId: string, signal: AbortSignal) => {
      const { preset, postgres } = await registry.open(workspaceId);
      if (!postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
      return postgresRoster(postgres, preset, { signal });
    },
    plans,
    fleets,
    jobs,
    onError: log,
  });
  const partitionJobStores = async (workspaceId: string, writer?: Writer) => {
    const { preset, postgres } = await storesOf(workspaceId, writer);
    if (!postgres) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no PostgreSQL for this job to run on.`);
    return { workspaceId, preset, postgres };
  };
  const partitionsDeps = (writer?: Writer) => ({
    openStores: async (workspaceId: string) => {
      const { preset, postgres } = await storesOf(workspaceId, writer);
      return { preset, ...(postgres && { postgres }) };
    },
    startJob: (request: StartRequest) => jobs.start(withStartUnlock(request, justifications)),
  });
  // Index jobs write through the writable stores of the prod unlock they were started under, while it lives.
  registerWriteJobs<Parameters<typeof registerIndexJobs>[1]>(jobs, {
    register: (table, openStores) => registerIndexJobs(table, openStores, references),
    read: (workspaceId) => indexStores(workspaceId),
    writeAs: (writer, stop) => async (workspaceId) => {
      const stores = await indexStores(workspaceId, writer);
      return { ...stores, ...(stores.postgres && { postgres: whileUnlocked(stores.postgres, () => registry.mayWrite(workspaceId, writer), stop) }) };
    },
  });
  // Partition jobs write like index jobs: through the writable stores of the unlock they started under.
  registerWriteJobs<Parameters<typeof registerPartitionJobs>[1]>(jobs, {
    register: (table, openStores) => registerPartitionJobs(table, openStores),
    read: async (workspaceId) => partitionJobStores(workspaceId),
    writeAs: (writer, stop) => async (workspaceId) => {
      const stores = await partitionJobStores(workspaceId, writer);
      return { ...stores, postgres: whileUnlocked(stores.postgres, () => registry.mayWrite(workspaceId, writer), stop) };
    },
  });
  const indexesDeps = (writer?: Writer) => ({
    openStores: (workspaceId: string) => indexStores(workspaceId, writer),
    startJob: (request: StartRequest) => jobs.start(withStartUnlock(request, justifications)),
    references,
  });
  // ILM: reads on the reader's stores; policy saves, retries and rollovers are jobs on the writable ones of an unlock.
  const ilmStores = async (workspaceId: string, writer?: Writer) => {
    const { preset, elastic } = await storesOf(workspaceId, writer);
    return { preset, ...(elastic && { elastic: { ilm: elastic.ilm } }) };
  };
  registerWriteJobs<Parameters<typeof registerIlmJobs>[1]>(jobs, {
    register: (table, openStores) => registerIlmJobs(table, openStores),
    read: (workspaceId) => ilmStores(workspaceId),
    writeAs: (writer) => (workspaceId) => ilmStores(workspaceId, writer),
  });
  const ilmDeps = (writer?: Writer) => ({
    openStores: (workspaceId: string) => ilmStores(workspaceId, writer),
    startJob: (request: StartRequest) => jobs.start(withStartUnlock(request, justifications)),
  });
  // Backups: bundle folders per workspace, and one part per store the workspace has.
  const backupFolders = new BackupFolders(options.dataDir);
  const pgBin = options.env?.TENANTSCOPE_PG_BIN ?? process.env.TENANTSCOPE_PG_BIN;
  const backupStores = async (workspaceId: string, writer?: Writer): Promise<BackupStores> => {
    const { workspace, preset, postgres, redis, mongo, elastic } = await storesOf(workspaceId, writer);
    // The parts a tenant bundle is made of: one per store the preset uses and the workspace has.
    const parts: BackupStores['parts'] = {
      ...(redis && preset.layout.redis && { redis: () => redisBackupPart({ preset, redis }) }),
      ...(mongo && preset.layout.mongo && { mongo: () => mongoBackupPart({ preset, mongo, databases: { ...preset.layout.mongo?.databases, ...workspace.endpoints.mongo?.databases } }) }),
      ...(elastic && preset.layout.elastic && { elastic: () => elasticBackupPart({ preset, elastic }) }),
      ...(postgres &&
        preset.layout.postgres && {
          postgres: (o) => postgresBackupPart({ postgres, preset, search: { binDir: pgBin }, format: o.pgFormat, jobs: o.jobs, applicationName: o.applicationName }),
        }),
    };
    return { workspaceId, workspace: { name: workspace.name, environment: workspace.environment }, preset, parts, ...(postgres && { postgres }) };
  };
  registerBackupJobs(jobs, (workspaceId) => backupStores(workspaceId));
  // Restores and verifies write through the writable stores of the prod unlock they were started under.
  registerWriteJobs<Parameters<typeof registerRestoreJobs>[1]>(jobs, {
    register: registerRestoreJobs,
    read: (workspaceId) => backupStores(workspaceId),
    writeAs: (writer) => (workspaceId) => backupStores(workspaceId, writer),
  });
  // The workbench: its stores, one fan-out kind per engine, its history and saved queries, downloads.
  const workbenchStoresOf = (writer?: Writer): OpenWorkbenchStores => async (workspaceId) => {
    const { workspace, preset, postgres, redis, mongo, elastic } = await storesOf(workspaceId, writer);
    const mongoDatabase = tenantDataDatabase(workspace, preset);
    return {
      preset,
      ...(postgres && { postgres }),
      ...(redis && { redis }),
      ...(mongo && mongoDatabase && { mongo: { runner: mongo, database: mongoDatabase } }),
      ...(elastic && { elastic }),
    };
  };
  /** `allTenants` of a fan-out: the tenants the engine's own store knows, from the tenant roster. */
  const workbenchTenants = async (workspaceId: string, engine: StoreKind, signal: AbortSignal): Promise<string[]> => {
    const { workspace, preset, postgres, redis, mongo, elastic } = await registry.open(workspaceId);
    const missing = (): AppError => new AppError('unreachable', `This workspace has no ${STORE_LABELS[engine]} endpoint; add one in the workspace editor.`);
    switch (engine) {
      case 'postgres':
        if (!postgres) throw missing();
        return (await postgresRoster(postgres, preset, { signal })).tenantIds;
      case 'redis':
        if (!redis) throw missing();
        return (await redisRoster(redis, preset, { signal })).tenantIds;
      case 'mongo':
        if (!mongo) throw missing();
        return (await mongoRoster(mongo, preset, { ...preset.layout.mongo?.databases, ...workspace.endpoints.mongo?.databases }, { signal })).tenantIds;
      case 'elastic':
        if (!elastic) throw missing();
        return (await elasticRoster(elastic, preset, { signal })).tenantIds;
    }
  };
  const workbenchStores = workbenchStoresOf();
  const fanOuts = new FanOutRuns();
  for (const engine of ['postgres', 'mongo', 'redis', 'elastic'] as const) {
    jobs.register(workbenchFanOutKind(engine, { openStores: workbenchStores, runs: fanOuts, onError: log }));
  }
  const workbenchRoot = join(options.dataDir, 'workbench');
  const downloads = new Downloads();
  const workbenchHistory = new RunHistory(workbenchRoot);
  const workbenchSaved = new SavedQueries(workbenchRoot);
  const workbenchDeps = (writer?: Writer) => ({
    openStores: writer ? workbenchStoresOf(writer) : workbenchStores,
    history: workbenchHistory,
    saved: workbenchSaved,
    jobs,
    fanOuts,
    listTenants: workbenchTenants,
    unmaskedPaths,
    ...(options.mode === 'web' ? { downloads } : {}),
    ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}),
  });
  // Retention: the namespace map is walked once per workspace for the tenant list and retention alike.
  const namespaceCache = new NamespaceCache();
  const namespaceMapOf = async (workspaceId: string, { refresh, signal }: { refresh: boolean; signal: AbortSignal }) => {
    const { preset, redis } = await registry.open(workspaceId);
    const layout = redisLayoutOf(preset);
    if (!redis || !layout) throw new AppError('unreachable', 'This workspace has no Redis endpoint; add one in the workspace editor.');
    return namespaceCache.obtain(workspaceId, refresh, () => buildNamespaceMap(redis, layout, { signal }));
  };
  const retentionStores = async (workspaceId: string, writer?: Writer): Promise<RetentionJobStores> => {
    const { workspace, preset, mongo, redis } = await storesOf(workspaceId, writer);
    const database = tenantDataDatabase(workspace, preset);
    return { workspaceId, preset, ...(mongo && database && { mongo: { face: mongo, database } }), ...(redis && { redis }) };
  };
  registerWriteJobs<Parameters<typeof registerRetentionJobs>[1]>(jobs, {
    register: (table, openStores) =>
      registerRetentionJobs(table, openStores, { exportRoot: join(options.dataDir, 'exports', 'retention'), afterRedisChange: (id) => namespaceCache.forget(id) }),
    read: (workspaceId) => retentionStores(workspaceId),
    writeAs: (writer, stop) => async (workspaceId) => {
      const stores = await retentionStores(workspaceId, writer);
      const mayWrite = () => registry.mayWrite(workspaceId, writer);
      return {
        ...stores,
        ...(stores.mongo && { mongo: { ...stores.mongo, face: mongoWhileUnlocked(stores.mongo.face, mayWrite, stop) } }),
        ...(stores.redis && { redis: redisWhileUnlocked(stores.redis, mayWrite, stop) }),
      };
    },
  });
  const retentionDeps = (writer?: Writer) => ({
    openStores: async (workspaceId: string) => {
      const { redis, ...rest } = await retentionStores(workspaceId, writer);
      return { ...rest, redis: redis !== undefined };
    },
    namespaceMap: namespaceMapOf,
    startJob: (request: StartRequest) => jobs.start(withStartUnlock(request, justifications)),
  });
  const partitionStores = partitionsDeps().openStores;
  // The lanes each store's feature draws for the lifecycle time view, built once: each opens its workspace's stores per call.
  const laneSources: LifecycleLaneSource[] = [
    partitionLanes(partitionStores),
    ilmLaneSource((workspaceId) => ilmStores(workspaceId)),
    mongoLanes({ openStores: (workspaceId) => retentionStores(workspaceId) }),
    redisLanes({
      openStores: async (workspaceId) => {
        const { preset, redis } = await registry.open(workspaceId);
        return { preset, redis: redis !== undefined };
      },
      namespaceMap: namespaceMapOf,
    }),
  ];
  // Whole-store backups: BGSAVE and snapshots of all indices copy data out and change none, so they
  // run on the workspace's own stores (read-only on prod); registering a repository is a write.
  const needStore = <T>(store: T | undefined, kind: StoreKind): T => {
    if (!store) throw new AppError('unreachable', `This workspace has no ${STORE_LABELS[kind]} endpoint; add one in the workspace editor.`);
    return store;
  };
  jobs.register(redisSaveKind(async (workspaceId) => needStore((await registry.open(workspaceId)).redis, 'redis')));
  jobs.register(elasticSnapshotKind(async (workspaceId) => needStore((await registry.open(workspaceId)).elastic, 'elastic')));
  const storeBackupsDeps = (writer?: Writer) => ({
    openStores: async (workspaceId: string) => {
      const { redis, elastic } = await storesOf(workspaceId, writer);
      return { ...(redis && { redis }), ...(elastic && { elastic }) };
    },
    startJob: (request: StartRequest) => jobs.start(request),
  });
  // Sessions handed to renderers run as the operator of the workspace a call names; the console's
  // own sessions (the demo platform's) run as they are.
  const issued = new WeakSet<Session>();

  // Set once the router exists, since the demo platform creates its workspace through the router.
  const started: { demo?: DemoPlatform } = {};
  // Lifecycle: the lanes each store's feature draws for the time view, and the fleet's partition horizon.
  const lifecycleSources = async (workspaceId: string): Promise<LifecycleSources> => {
    const { preset, postgres, redis, mongo, elastic } = await registry.open(workspaceId);
    const statuses = {
      ...(postgres && { postgres: postgres.status() }),
      ...(redis && { redis: redis.status() }),
      ...(mongo && { mongo: mongo.status() }),
      ...(elastic && { elastic: elastic.status() }),
    };
    const demo = started.demo;
    return {
      preset,
      // Only the lanes of stores the workspace has: a store it lacks is not a gap, just absent.
      lanes: laneSources.filter((source) => statuses[source.store] !== undefined),
      ...(postgres && { horizons: fleetHorizons(partitionStores) }),
      ...(elastic && { ilm: fleetIlmSource((id) => ilmStores(id)) }),
      unavailable: unavailableStores(preset, statuses, demo?.workspaceId === workspaceId ? demo.unavailable : {}),
    };
  };
  const workspacesService = createWorkspacesService({
    repository,
    vault,
    probe: probeEndpoint,
    onChange: (id, change) => {
      // Stores follow their workspace: settings changed or removed, the old connections go.
      void registry.invalidate(id);
      sinks.invalidate(id);
      references.forget(id);
      namespaceCache.forget(id);
      if (change === 'removed') void directory.forget(id).catch((error: unknown) => log(`Could not forget the operator of ${id}: ${String(error)}`));
      router.broadcast('workspaces.changed', { id, change });
    },
  });

  const router = createRouter({
    system: createSystemService({ version: options.version, mode: options.mode, dataDir: options.dataDir, vault: vault.backend }),
    workspaces: {
      ...workspacesService,
      // The demo platform's stores that could not run here are "not available", with why.
      status: async (args, context) => {
        const statuses = await workspacesService.status(args, context);
        const demo = started.demo;
        return demo && demo.workspaceId === args.id ? withDemoReasons(statuses, demo.unavailable) : statuses;
      },
    },
    vault: createVaultService(vault),
    tenants: createTenantsService({
      openStores: async (workspaceId) => {
        const { workspace, preset, postgres, redis, mongo, elastic } = await registry.open(workspaceId);
        const layout = preset.layout.mongo;
        // The workspace's own database names win over the preset's defaults.
        const databases = layout && { ...layout.databases, ...workspace.endpoints.mongo?.databases };
        return {
          preset,
          postgres,
          redis,
          ...(mongo && databases && { mongo: { reader: mongo, databases } }),
          ...(elastic && { elastic }),
        };
      },
      unmaskedPaths,
      namespaceCache,
    }),
    cases: createCasesService({ openStores: (workspaceId) => inspectorStores(workspaceId, 'tenant'), unmaskedPaths }),
    clients: createClientsService({ openStores: (workspaceId) => inspectorStores(workspaceId, 'customer'), unmaskedPaths }),
    access: createAccessService({
      directory,
      justifications,
      policy,
      record,
      workspaceExists,
      saveWorkspace: async (workspace, existingId, session) => {
        const context = { signal: new AbortController().signal, session, emit: () => undefined };
        if (existingId) {
          await workspacesService.update({ id: existingId, workspace }, context);
          return { id: existingId };
        }
        return workspacesService.create({ workspace }, context);
      },
    }),
    explain: routeWrites('explain', createExplainService(explainDeps()), (writer) => createExplainService(explainDeps(writer))),
    audit: createAuditService({
      log: auditLog,
      directory: auditDirectory,
      openStores: (workspaceId) => inspectorStores(workspaceId, 'tenant'),
      unmaskedPaths,
      readableWithoutWorkspace: async (journalId) =>
        journalId === CONSOLE_JOURNAL_ID || (await directory.operatorOf(journalId)).operator.role === 'platform_admin',
    }),
    jobs: createJobsService(jobs),
    workbench: routeWrites('workbench', createWorkbenchService(workbenchDeps()), (writer) => createWorkbenchService(workbenchDeps(writer))),
    indexes: routeWrites('indexes', createIndexesService(indexesDeps()), (writer) => createIndexesService(indexesDeps(writer))),
    partitions: routeWrites('partitions', createPartitionsService(partitionsDeps()), (writer) => createPartitionsService(partitionsDeps(writer))),
    backups: createBackupsService({
      folders: backupFolders,
      openStores: (workspaceId) => backupStores(workspaceId),
      startJob: (request: StartRequest) => jobs.start(withStartUnlock(request, justifications)),
    }),
    ilm: routeWrites('ilm', createIlmService(ilmDeps()), (writer) => createIlmService(ilmDeps(writer))),
    retention: routeWrites('retention', createRetentionService(retentionDeps()), (writer) => createRetentionService(retentionDeps(writer))),
    lifecycle: createLifecycleService({ sourcesOf: lifecycleSources, onError: log }),
    storeBackups: routeWrites('storeBackups', createStoreBackupsService(storeBackupsDeps()), (writer) => createStoreBackupsService(storeBackupsDeps(writer))),
  }, {
    sessionFor: async (method, args, session) => {
      if (!issued.has(session)) return session;
      const { workspaceId } = targetOf(method, args);
      // Checking a managed file must still answer when the file no longer verifies.
      if (!workspaceId || method === 'access.verifyManaged') return session;
      const { operator } = await directory.operatorOf(workspaceId);
      return { connectionId: session.connectionId, operator: { name: operator.name, ...(operator.email ? { email: operator.email } : {}) }, role: operator.role };
    },
    authorize: async (method, args, session) => {
      await refuseManagedChange(method, args, session, { directory, record });
      return policy.authorize(method, args, session);
    },
    onCallFailed: async (method, args, session, error) => {
      const methodClass = classOf(method);
      if (methodClass && CLASS_RULES[methodClass].audited) await policy.recordFailure(method, args, session, error);
    },
    onInternalError: (method, error) => log(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  broadcastJobEvent = (name, payload) => router.broadcast(name, payload);
  // A demo that cannot start at all (its folder cannot be written) leaves the console open without it.
  const demo = options.demo
    ? await startDemoPlatform({
        dataDir: options.dataDir,
        router,
        repository,
        vault,
        registry,
        log,
        env: options.env,
        ...(typeof options.demo === 'object' && { servers: options.demo }),
      }).catch((error: unknown) => {
        log(`The demo platform could not start (${error instanceof Error && 'code' in error ? String(error.code) : 'internal'}): ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      })
    : undefined;
  started.demo = demo;
  const demoStatus =
    demo &&
    watchDemoStatus({
      demo,
      statusOf: (id) => router.invoke('workspaces.status', { id }, demoStatusSession) as Promise<StoreStatus[]>,
      broadcast: (workspaceId, statuses) => router.broadcast('stores.status', { workspaceId, statuses }),
      log,
    });
  await demoStatus?.ready;
  return {
    router,
    demo,
    registry,
    newSession: (connectionId) => {
      const session: Session = { connectionId, operator: { ...osOperator() }, role: 'platform_admin' };
      issued.add(session);
      return session;
    },
    auditLog,
    jobs,
    downloads,
    laneSources,
    close: async () => {
      demoStatus?.stop();
      // Jobs stop first, while their stores and the audit journal are still open to record how they ended.
      await jobs.close();
      await registry.close();
      await demo?.stop();
      await auditLog.close();
      await sinks.close();
    },
  };
}

/**
 * Whether a store's face has a method (MongoDB's explainUser, Elasticsearch's profileUser): a store
 * that cannot explain is left out, and explaining on it says the workspace has none that does.
 */
function canExplain<T>(store: object, method: keyof T & string): store is T & object {
  return typeof (store as Record<string, unknown>)[method] === 'function';
}

/**
 * The MongoDB database a workspace keeps tenant data in: the preset's tenant database, or — for a
 * field layout — the customer database, which a workspace may rename.
 */
function tenantDataDatabase(workspace: Workspace, preset: TenancyPreset): string | undefined {
  const layout = preset.layout.mongo?.databases;
  return layout?.tenant ?? workspace.endpoints.mongo?.databases?.customer ?? layout?.customer;
}
