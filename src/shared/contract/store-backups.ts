import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { JobSummary } from '../model/job';

/** Repository, snapshot and policy names as Elasticsearch accepts them in a URL path: never a path, a wildcard or a list. */
const SnapshotName = z.string().regex(/^[a-z0-9][a-z0-9_.+-]{0,254}$/, 'lower case letters, digits and _ . + - only');

const RepositorySettings = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('fs'),
      /** A path under the cluster's `path.repo`, as every node sees it. */
      location: z.string().min(1).max(1024).refine((v) => !v.includes('\0'), 'no NUL'),
      compress: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, 'an S3 bucket name'),
      /** The S3 client settings of the cluster's keystore (`s3.client.<name>.*`). */
      client: z.string().regex(/^[a-z0-9_-]{1,64}$/).default('default'),
      basePath: z.string().max(1024).regex(/^[A-Za-z0-9_./-]*$/, 'letters, digits and _ . / - only').optional(),
      compress: z.boolean().default(true),
      serverSideEncryption: z.boolean().default(false),
    })
    .strict(),
]);

export const SnapshotRepository = z.object({ name: z.string(), type: z.string(), settings: z.record(z.string(), z.string()) });
export type SnapshotRepository = z.infer<typeof SnapshotRepository>;

export const RepositoryVerification = z.object({
  ok: z.boolean(),
  /** The nodes that wrote to the repository; empty with `reason` when verification failed. */
  nodes: z.array(z.object({ id: z.string(), name: z.string() })),
  reason: z.string().optional(),
});

export const SlmPolicy = z.object({
  id: z.string(),
  name: z.string(),
  schedule: z.string(),
  repository: z.string(),
  indices: z.array(z.string()),
  retention: z.object({ expireAfter: z.string().optional(), minCount: z.number().optional(), maxCount: z.number().optional() }),
  lastSuccess: z.string().optional(),
  lastFailure: z.string().optional(),
  nextExecution: z.string().optional(),
});

export const RedisPersistence = z.object({
  /** LASTSAVE as an ISO time. */
  lastSave: z.string(),
  bgsaveInProgress: z.boolean(),
  /** `ok` or `err`. */
  lastBgsaveStatus: z.string(),
  changesSinceLastSave: z.number(),
});

/**
 * Whole-store backups beside the tenant bundles: Redis RDB snapshots by BGSAVE, Elasticsearch
 * snapshot repositories, snapshots of every index, and SLM policies. Reading is `read` (cluster
 * metadata, no tenant's data). BGSAVE and a snapshot of all indices are `backup`, like a tenant
 * bundle: they copy every tenant's data out and change none, so support never runs them and prod
 * needs no unlock; the call is journaled, and its job writes one more entry with its outcome.
 * Registering a repository changes cluster settings: `schema-change` (an unlock on prod).
 */
export const storeBackups = section('storeBackups', {
  redisPersistence: method({
    access: 'read',
    summary: 'The Redis server’s RDB state: LASTSAVE, whether a background save runs, how the last one ended, changes since.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: RedisPersistence,
  }),
  redisSave: method({
    access: 'backup',
    summary:
      'Starts the `store-backups.redis-bgsave` job: BGSAVE, then INFO persistence and LASTSAVE polled until LASTSAVE moves ' +
      '(succeeded) or the save ends with `rdb_last_bgsave_status:err` (failed). A save already running is `conflict`.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: JobSummary,
  }),
  repositories: method({
    access: 'read',
    summary: 'The Elasticsearch snapshot repositories registered on the cluster, with their type and settings.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: z.array(SnapshotRepository),
  }),
  registerRepository: method({
    access: 'schema-change',
    summary:
      'Registers (or changes) an fs or S3 snapshot repository, then `_verify`: the answer lists the nodes that could write ' +
      'to it, or why they could not (the repository stays registered, so the setting can be fixed).',
    args: z.object({ workspaceId: WorkspaceId, name: SnapshotName, settings: RepositorySettings }).strict(),
    result: z.object({ repository: SnapshotRepository, verification: RepositoryVerification }),
  }),
  verifyRepository: method({
    access: 'read',
    summary: 'Runs `_verify` on a registered repository: which nodes can write to it, or why not.',
    args: z.object({ workspaceId: WorkspaceId, name: SnapshotName }).strict(),
    result: RepositoryVerification,
  }),
  snapshotAll: method({
    access: 'backup',
    summary:
      'Starts the `store-backups.elastic-snapshot` job: a snapshot of every index (no global state) into the repository, ' +
      'its `_status` polled for shards done of total; a failed or partial snapshot fails the job, a cancel aborts it.',
    args: z.object({ workspaceId: WorkspaceId, repository: SnapshotName, snapshot: SnapshotName.optional() }).strict(),
    result: JobSummary,
  }),
  slmPolicies: method({
    access: 'read',
    summary: 'Snapshot lifecycle policies: schedule, repository, index patterns, retention, last success and failure, next run.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: z.array(SlmPolicy),
  }),
});
