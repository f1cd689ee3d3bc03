import { z } from 'zod';
import { events, method, section } from './define';
import { StoreKind, WorkspaceId } from '../model/workspace';
import {
  KeyPage,
  KeyValue,
  NamespaceMap,
  NamespaceProgress,
  StoreAnswer,
  StoreTenantRow,
  TenantId,
  TenantKey,
  TenantList,
  TenantSummary,
} from '../model/tenant';

/** Lets a caller tell its own streamed events from those of another call on the same connection. */
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

/** Redis keys are binary-safe; the browser only shows keys it listed, so a bound is enough. */
const RedisKeyName = z.string().min(1).max(4096);

/**
 * An opaque reference to a listed key, issued by `tenants.keys` and good for `tenants.keyValue` in
 * the same workspace while the console runs: the way to open a key whose name is a credential.
 */
export const RedisKeyRef = z.string().min(4).max(24_000).regex(/^k1\.[A-Za-z0-9_-]+$/, 'a key reference from tenants.keys');

/**
 * A listed key: its name masked for the caller's role where part of it is a credential
 * (`<tenant>:session:••••`), the family it was classified in, and the ref to open it by.
 */
export const ListedKey = TenantKey.extend({ keyRef: RedisKeyRef });
export type ListedKey = z.infer<typeof ListedKey>;

export const ListedKeyPage = KeyPage.extend({ keys: z.array(ListedKey) });
export type ListedKeyPage = z.infer<typeof ListedKeyPage>;

/** The tenant browser: tenants merged from every store, a tenant's summary and its Redis keys. */
export const tenants = section('tenants', {
  list: method({
    access: 'read',
    summary:
      'Every tenant of the workspace, merged from all configured stores. Each store’s rows stream as ' +
      '`tenants.footprints` as soon as it answers; a slow or down store is reported, never waited on.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        requestId: RequestId.optional(),
        /** How long one store may take before it is reported as slow; 1–60 s. */
        storeTimeoutMs: z.number().int().min(1_000).max(60_000).optional(),
        /** Rebuild the Redis namespace map instead of using the cached one. */
        refreshRedis: z.boolean().optional(),
      })
      .strict(),
    result: TenantList,
  }),
  get: method({
    access: 'tenant-read',
    summary: 'One tenant across stores: footprints, inconsistencies and drift from the preset’s blueprint.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId }).strict(),
    result: TenantSummary,
  }),
  namespaceMap: method({
    access: 'read',
    summary:
      'The Redis keyspace grouped by tenant prefix and key family, from one SCAN walk; cached with its ' +
      'age unless `refresh` is set. Progress streams as `tenants.namespaceProgress`.',
    args: z.object({ workspaceId: WorkspaceId, refresh: z.boolean().optional(), requestId: RequestId.optional() }).strict(),
    result: NamespaceMap,
  }),
  keys: method({
    access: 'tenant-read',
    summary:
      'One page of a tenant’s Redis keys (optionally of one key family, matched on the real names), with type and TTL. ' +
      'Names are masked for the caller’s role where part of one is a credential; each key carries a `keyRef` to open it by.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        family: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
        cursor: z.string().regex(/^\d{1,20}$/).default('0'),
        pageSize: z.number().int().min(1).max(1_000).default(200),
      })
      .strict(),
    result: ListedKeyPage,
  }),
  keyValue: method({
    access: 'tenant-read',
    summary:
      'A tenant’s Redis key with its TTL and a bounded view of its value (with the full size), by the `keyRef` the ' +
      'key list gave or, for a name that is no credential, by `key`. The name and value come back masked for the caller’s role.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        key: RedisKeyName.optional(),
        keyRef: RedisKeyRef.optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict()
      .superRefine((args, ctx) => {
        if ((args.key === undefined) === (args.keyRef === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['keyRef'], message: 'name the key by exactly one of keyRef (from tenants.keys) or key' });
        }
      }),
    result: KeyValue,
  }),
});

export const tenantEvents = events({
  'tenants.footprints': z.object({
    workspaceId: WorkspaceId,
    requestId: RequestId.optional(),
    store: StoreKind,
    answer: StoreAnswer,
    rows: z.array(StoreTenantRow),
  }),
  'tenants.namespaceProgress': NamespaceProgress.extend({ workspaceId: WorkspaceId, requestId: RequestId.optional() }),
});
