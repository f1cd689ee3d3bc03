import type { Client } from '@elastic/elasticsearch';
import { AppError } from '@shared/errors';

/**
 * Snapshot repositories, snapshots, restores and SLM policies, as plain JSON the features read.
 * Every name that goes into a URL path is checked here first, so a hostile name is refused before
 * a request is sent.
 */

export interface SnapshotRepository {
  name: string;
  type: string;
  settings: Record<string, string>;
}

export type RepositoryDefinition =
  | { type: 'fs'; settings: { location: string; compress?: boolean; max_snapshot_bytes_per_sec?: string } }
  | { type: 's3'; settings: { bucket: string; client?: string; base_path?: string; compress?: boolean; server_side_encryption?: boolean; storage_class?: string } };

/** `_verify`: the nodes that could write to the repository. */
export interface RepositoryVerification {
  nodes: { id: string; name: string }[];
}

/** `_snapshot/<repo>/<snap>/_status`, reduced to what progress needs. */
export interface SnapshotProgress {
  /** IN_PROGRESS, SUCCESS, FAILED, PARTIAL, ABORTED, STARTED (the status API's words). */
  state: string;
  shardsDone: number;
  shardsTotal: number;
  shardsFailed: number;
  indices: string[];
}

export interface SnapshotInfo {
  snapshot: string;
  state: string;
  indices: string[];
  failures: string[];
  startTime?: string;
  endTime?: string;
}

export interface SlmPolicy {
  id: string;
  name: string;
  schedule: string;
  repository: string;
  indices: string[];
  retention: { expireAfter?: string; minCount?: number; maxCount?: number };
  lastSuccess?: string;
  lastFailure?: string;
  nextExecution?: string;
}

export interface RestoreRequest {
  indices: string[];
  renamePattern: string;
  renameReplacement: string;
}

type Transport = { signal: AbortSignal; opaqueId: string; meta?: false };

/** Repository and snapshot names: lower case, digits, `_ . + -`; never a path, a wildcard or a list. */
export function assertSnapshotName(name: string, what: string): void {
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_.+-]{0,254}$/.test(name)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(name).slice(0, 80))} is not a ${what} name: lower case letters, digits and _ . + - only.`);
  }
}

export async function listRepositories(client: Client, transport: Transport): Promise<SnapshotRepository[]> {
  const reply = (await client.snapshot.getRepository({}, transport)) as Record<string, { type: string; settings?: Record<string, unknown> }>;
  return Object.entries(reply)
    .map(([name, repo]) => ({ name, type: repo.type, settings: Object.fromEntries(Object.entries(repo.settings ?? {}).map(([k, v]) => [k, String(v)])) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function putRepository(client: Client, name: string, definition: RepositoryDefinition, transport: Transport): Promise<void> {
  assertSnapshotName(name, 'repository');
  // verify=false: the separate `_verify` call below reports which nodes could write, with the reason when one cannot.
  await client.snapshot.createRepository({ name, verify: false, repository: definition as never }, transport);
}

export async function verifyRepository(client: Client, name: string, transport: Transport): Promise<RepositoryVerification> {
  assertSnapshotName(name, 'repository');
  const reply = await client.snapshot.verifyRepository({ name }, transport);
  return { nodes: Object.entries(reply.nodes ?? {}).map(([id, node]) => ({ id, name: node.name })) };
}

/** Starts a snapshot of the named indices (or `*`) without waiting; the global state is left out. */
export async function startSnapshot(client: Client, repository: string, snapshot: string, indices: string[] | '*', transport: Transport): Promise<void> {
  assertSnapshotName(repository, 'repository');
  assertSnapshotName(snapshot, 'snapshot');
  await client.snapshot.create(
    {
      repository,
      snapshot,
      wait_for_completion: false,
      indices: indices === '*' ? '*' : indices.join(','),
      include_global_state: false,
      ignore_unavailable: false,
      partial: false,
      metadata: { taken_by: 'tenantscope' },
    },
    transport,
  );
}

export async function snapshotStatus(client: Client, repository: string, snapshot: string, transport: Transport): Promise<SnapshotProgress> {
  assertSnapshotName(repository, 'repository');
  assertSnapshotName(snapshot, 'snapshot');
  const reply = await client.snapshot.status({ repository, snapshot }, transport);
  const entry = reply.snapshots[0];
  if (!entry) throw new AppError('not_found', `Snapshot ${snapshot} is not in repository ${repository}.`);
  const shards = entry.shards_stats;
  return {
    state: entry.state,
    shardsDone: Number(shards.done ?? 0),
    shardsTotal: Number(shards.total ?? 0),
    shardsFailed: Number(shards.failed ?? 0),
    indices: Object.keys(entry.indices ?? {}),
  };
}

export async function snapshotInfo(client: Client, repository: string, snapshot: string, transport: Transport): Promise<SnapshotInfo> {
  assertSnapshotName(repository, 'repository');
  assertSnapshotName(snapshot, 'snapshot');
  const reply = await client.snapshot.get({ repository, snapshot }, transport);
  const entry = reply.snapshots?.[0];
  if (!entry) throw new AppError('not_found', `Snapshot ${snapshot} is not in repository ${repository}.`);
  return {
    snapshot: entry.snapshot,
    state: entry.state ?? 'UNKNOWN',
    indices: entry.indices ?? [],
    failures: (entry.failures ?? []).map((f) => `${f.index}[${f.shard_id}]: ${f.reason}`),
    ...(entry.start_time !== undefined && { startTime: String(entry.start_time) }),
    ...(entry.end_time !== undefined && { endTime: String(entry.end_time) }),
  };
}

/** Deletes a snapshot; one still running is aborted by it. A snapshot already gone is no error. */
export async function deleteSnapshot(client: Client, repository: string, snapshot: string, transport: Transport): Promise<void> {
  assertSnapshotName(repository, 'repository');
  assertSnapshotName(snapshot, 'snapshot');
  try {
    await client.snapshot.delete({ repository, snapshot }, transport);
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw error;
  }
}

/** Restores indices of a snapshot under new names, waiting until the restore ends; aliases and the global state stay out. */
export async function restoreSnapshot(client: Client, repository: string, snapshot: string, request: RestoreRequest, transport: Transport): Promise<string[]> {
  assertSnapshotName(repository, 'repository');
  assertSnapshotName(snapshot, 'snapshot');
  const reply = await client.snapshot.restore(
    {
      repository,
      snapshot,
      wait_for_completion: true,
      indices: request.indices.join(','),
      rename_pattern: request.renamePattern,
      rename_replacement: request.renameReplacement,
      include_global_state: false,
      include_aliases: false,
    },
    transport,
  );
  const restored = reply.snapshot;
  if (restored && restored.shards.failed > 0) {
    throw new AppError('internal', `The restore of ${snapshot} failed on ${restored.shards.failed} of ${restored.shards.total} shards.`);
  }
  return restored?.indices ?? [];
}

export async function listSlmPolicies(client: Client, transport: Transport): Promise<SlmPolicy[]> {
  let reply: Record<string, unknown>;
  try {
    reply = (await client.slm.getLifecycle({}, transport)) as unknown as Record<string, unknown>;
  } catch (error) {
    // No policy at all answers 404 on some versions.
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return [];
    throw error;
  }
  return Object.entries(reply).map(([id, raw]) => {
    const entry = raw as {
      policy?: { name?: string; schedule?: string; repository?: string; config?: { indices?: string | string[] }; retention?: { expire_after?: string; min_count?: number; max_count?: number } };
      last_success?: { time_string?: string; time?: number };
      last_failure?: { time_string?: string; time?: number };
      next_execution?: string;
    };
    const indices = entry.policy?.config?.indices;
    const retention = entry.policy?.retention;
    return {
      id,
      name: entry.policy?.name ?? id,
      schedule: entry.policy?.schedule ?? '',
      repository: entry.policy?.repository ?? '',
      indices: indices === undefined ? ['*'] : Array.isArray(indices) ? indices : [indices],
      retention: {
        ...(retention?.expire_after !== undefined && { expireAfter: retention.expire_after }),
        ...(retention?.min_count !== undefined && { minCount: retention.min_count }),
        ...(retention?.max_count !== undefined && { maxCount: retention.max_count }),
      },
      ...(entry.last_success && { lastSuccess: entry.last_success.time_string ?? String(entry.last_success.time) }),
      ...(entry.last_failure && { lastFailure: entry.last_failure.time_string ?? String(entry.last_failure.time) }),
      ...(entry.next_execution !== undefined && { nextExecution: entry.next_execution }),
    };
  });
}

/** Deletes indices by their exact names (clusters refuse wildcard deletes by default). */
export async function deleteIndices(client: Client, names: readonly string[], transport: Transport): Promise<void> {
  for (const name of names) assertSnapshotName(name, 'index');
  if (names.length === 0) return;
  await client.indices.delete({ index: names.join(','), ignore_unavailable: true }, transport);
}
