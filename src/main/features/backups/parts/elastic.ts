import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { BackupPart, RestoredPart, RestoreTarget } from '../../../services/backup-part';
import type { ElasticFace } from '../../../stores/elastic/face';

/** What the Elasticsearch part uses of the store. */
export type BackupElastic = Pick<
  ElasticFace,
  'health' | 'listIndices' | 'count' | 'listSnapshotRepositories' | 'startSnapshot' | 'followSnapshot' | 'restoreSnapshot' | 'deleteIndices'
>;

export interface ElasticPartOptions {
  preset: TenancyPreset;
  elastic: BackupElastic;
  /** The registered repository to snapshot into; without it, the cluster's only repository. */
  repository?: string;
  /** Between two `_status` polls. Default 1000 ms. */
  pollMs?: number;
  now?: () => Date;
}

/** Names a conflict message lists at most. */
const NAMED = 5;

/**
 * A tenant's Elasticsearch indices as a bundle part: a snapshot of exactly the indices under the
 * tenant's pattern (listed by name when it starts, so the restore covers the same ones) to a
 * registered repository, its `_status` polled; the snapshot's repository, name and indices go in
 * the part's details and there are no files. Counts are `_count` per index, read just before the
 * snapshot starts. A restore renames every index (`rename_pattern`) under a new prefix beside the
 * live ones.
 */
export function elasticBackupPart(options: ElasticPartOptions): BackupPart {
  const { preset, elastic } = options;
  const layout = preset.layout.elastic;
  if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in Elasticsearch.`);
  const pollMs = options.pollMs ?? 1000;
  const now = options.now ?? (() => new Date());
  /** `tenant-`: the part of the tenant pattern before the id, which no restore prefix may start with. */
  const tenantSpace = layout.tenantPattern.slice(0, layout.tenantPattern.indexOf('{id}'));

  const tenantPrefixOf = (tenantId: string): string => (scopeFor(preset, tenantId).elastic?.indexPattern ?? '').replace(/\*$/, '');

  async function serverVersion(signal: AbortSignal): Promise<string> {
    const status = await elastic.health({ signal, timeoutMs: 10_000 });
    if (status.state === 'down' || !status.serverVersion) throw new AppError('unreachable', `Elasticsearch is not reachable${status.reason ? `: ${status.reason}` : ''}.`);
    return status.serverVersion;
  }

  async function repositoryFor(signal: AbortSignal): Promise<string> {
    const known = await elastic.listSnapshotRepositories({ signal, timeoutMs: 15_000 });
    if (options.repository) {
      if (!known.some((r) => r.name === options.repository)) throw new AppError('not_found', `No snapshot repository ${options.repository} is registered on the cluster.`);
      return options.repository;
    }
    const [only, ...others] = known;
    if (!only) throw new AppError('invalid_argument', 'The cluster has no snapshot repository: register one (fs or S3) under Store backups first.');
    if (others.length > 0) throw new AppError('invalid_argument', `The cluster has ${known.length} snapshot repositories (${known.map((r) => r.name).join(', ')}); choose one for tenant backups.`);
    return only.name;
  }

  /** Where each of the part's indices goes under a prefix: `tenant-<id>-cases-2025-06` → `<prefix>cases-2025-06`. */
  const renamed = (indices: readonly string[], fromPrefix: string, toPrefix: string): Map<string, string> =>
    new Map(indices.map((index) => [index, `${toPrefix}${index.slice(fromPrefix.length)}`]));

  return {
    store: 'elastic',

    async preflight(tenantId, signal) {
      tenantPrefixOf(tenantId);
      const server = await serverVersion(signal);
      await repositoryFor(signal);
      return { server };
    },

    async backup(tenantId, context) {
      const scope = scopeFor(preset, tenantId);
      const prefix = tenantPrefixOf(tenantId);
      const version = await serverVersion(context.signal);
      const repository = await repositoryFor(context.signal);
      const exec = { signal: context.signal, timeoutMs: 30_000 };
      const indices = (await elastic.listIndices(undefined, scope, exec)).map((i) => i.index).filter((name) => name.startsWith(prefix)).sort();
      const counts: Record<string, number> = {};
      for (const index of indices) counts[index] = await elastic.count(index, undefined, scope, exec);
      const base = { store: 'elastic' as const, format: 'elasticsearch snapshot', server: { version }, counts, files: [] };
      if (indices.length === 0) {
        context.log(`Tenant ${tenantId} has no indices under ${prefix}*: nothing to snapshot.`);
        return { ...base, details: { repository, snapshot: '', indices: [], indexPrefix: prefix } };
      }
      const snapshot = snapshotName(tenantId, now());
      await elastic.startSnapshot(repository, snapshot, indices, exec);
      context.log(`Snapshot ${snapshot} of ${indices.length} indices started in ${repository}.`);
      await elastic.followSnapshot(repository, snapshot, (status) => context.progress(status.shardsDone, status.shardsTotal || null, `Snapshot ${status.state.toLowerCase()}`), {
        signal: context.signal,
        pollMs,
        log: context.log,
      });
      return { ...base, details: { repository, snapshot, indices, indexPrefix: prefix } };
    },

    async restore(part, tenantId, target, context) {
      const toPrefix = targetPrefix(target, tenantSpace);
      const { repository, snapshot, indices, indexPrefix } = detailsOf(part);
      const fromPrefix = tenantPrefixOf(tenantId);
      if (indexPrefix !== fromPrefix) throw new AppError('invalid_argument', `The Elasticsearch part was taken for ${indexPrefix}*, not tenant ${tenantId}.`);
      if (indices.length === 0) return { target: toPrefix, counts: {} } satisfies RestoredPart;
      const names = renamed(indices, fromPrefix, toPrefix);
      const exec = { signal: context.signal, timeoutMs: 30_000 };
      const existing = new Set((await elastic.listIndices(`${toPrefix}*`, undefined, exec)).map((i) => i.index));
      const taken = [...names.values()].filter((name) => existing.has(name));
      if (taken.length > 0) {
        throw new AppError('conflict', `${taken.length} of the restored names already exist (${taken.slice(0, NAMED).join(', ')}); nothing was restored. Choose another prefix, or drop the earlier copy first.`, { existing: taken });
      }
      context.progress(0, indices.length, 'Restoring indices');
      try {
        await elastic.restoreSnapshot(
          repository,
          snapshot,
          { indices, renamePattern: `^${escapeJavaRegex(fromPrefix)}(.+)$`, renameReplacement: `${toPrefix}$1` },
          { signal: context.signal, timeoutMs: 0 },
        );
      } catch (error) {
        // Deleting what the restore created stops a restore still recovering, and leaves no half copy.
        const made = (await elastic.listIndices(`${toPrefix}*`, undefined, { timeoutMs: 30_000 }).catch(() => [])).map((i) => i.index).filter((name) => [...names.values()].includes(name));
        await elastic.deleteIndices(made, { timeoutMs: 60_000 }).catch(() => undefined);
        throw error;
      }
      const counts: Record<string, number> = {};
      for (const [original, restored] of names) counts[original] = await elastic.count(restored, undefined, undefined, exec);
      context.progress(indices.length, indices.length, 'Restored');
      return { target: toPrefix, counts } satisfies RestoredPart;
    },

    async dropRestored(target, signal) {
      const prefix = indexPrefixOf(target, tenantSpace);
      const made = (await elastic.listIndices(`${prefix}*`, undefined, { signal, timeoutMs: 30_000 })).map((i) => i.index).filter((name) => name.startsWith(prefix));
      await elastic.deleteIndices(made, { signal, timeoutMs: 60_000 });
    },
  };
}

/** `tenantscope-<tenant>-20261203t021500z`: lower case, as snapshot names must be. */
function snapshotName(tenantId: string, at: Date): string {
  const id = tenantId.toLowerCase().replace(/[^a-z0-9_.+-]/g, '-');
  return `tenantscope-${id}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}`;
}

function targetPrefix(target: RestoreTarget, tenantSpace: string): string {
  if (target.mode === 'replace') {
    throw new AppError('invalid_argument', 'Elasticsearch restores beside the live indices under a new prefix: a snapshot cannot be restored over open indices of the same names.');
  }
  if (target.name === undefined) throw new AppError('invalid_argument', `A ${target.mode} restore needs the new index prefix.`);
  return indexPrefixOf(target.name, tenantSpace);
}

/**
 * The index prefix of a restore target: the name as given when it ends with `-`, else the name
 * with `-` after it, so the bundle job can hand every part the same base name (`acme_restored`
 * becomes `acme_restored-`).
 */
export function indexPrefixOf(name: unknown, tenantSpace: string): string {
  return assertIndexPrefix(typeof name === 'string' && !name.endsWith('-') ? `${name}-` : name, tenantSpace);
}

/**
 * A prefix restored indices may carry, and be deleted by: lower case, ending with `-`, never the
 * start of any tenant's index names, never hidden or system (`.`, `_`).
 */
export function assertIndexPrefix(prefix: unknown, tenantSpace: string): string {
  if (typeof prefix !== 'string' || !/^[a-z0-9][a-z0-9_.+-]{2,99}$/.test(prefix) || !prefix.endsWith('-')) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(prefix).slice(0, 80))} is not an index prefix for a restore: 3–100 lower case letters, digits and _ . + -, ending with - (restored-0417-).`);
  }
  if (tenantSpace && (prefix.startsWith(tenantSpace) || tenantSpace.startsWith(prefix))) {
    throw new AppError('forbidden', `${prefix} reaches into the tenants' index names (${tenantSpace}…); a restored copy goes under a prefix no tenant uses.`);
  }
  return prefix;
}

function detailsOf(part: BundlePart): { repository: string; snapshot: string; indices: string[]; indexPrefix: string } {
  const { repository, snapshot, indices, indexPrefix } = part.details;
  if (typeof repository !== 'string' || typeof snapshot !== 'string' || !Array.isArray(indices) || typeof indexPrefix !== 'string') {
    throw new AppError('invalid_argument', 'The Elasticsearch part does not name its repository, snapshot and indices.');
  }
  return { repository, snapshot, indices, indexPrefix };
}

/** Quotes a literal for the Java regular expression of `rename_pattern`. */
function escapeJavaRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);
}
