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
  TenantList,
  TenantSummary,
} from '../model/tenant';

/** Lets a caller tell its own streamed events from those of another call on the same connection. */
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

/** Redis keys are binary-safe; the browser only shows keys it listed, so a bound is enough. */
const RedisKeyName = z.string().min(1).max(4096);

/** The tenant browser: tenants merged from every store, a tenant's summary and its Redis keys. */
export const tenants = section('tenants', {
  list: method({
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
    summary: 'One tenant across stores: footprints, inconsistencies and drift from the preset’s blueprint.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId }).strict(),
    result: TenantSummary,
  }),
  namespaceMap: method({
    summary:
      'The Redis keyspace grouped by tenant prefix and key family, from one SCAN walk; cached with its ' +
      'age unless `refresh` is set. Progress streams as `tenants.namespaceProgress`.',
    args: z.object({ workspaceId: WorkspaceId, refresh: z.boolean().optional(), requestId: RequestId.optional() }).strict(),
    result: NamespaceMap,
  }),
  keys: method({
    summary: 'One page of a tenant’s Redis keys (optionally of one key family), with type and TTL.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        family: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
        cursor: z.string().regex(/^\d{1,20}$/).default('0'),
        pageSize: z.number().int().min(1).max(1_000).default(200),
      })
      .strict(),
    result: KeyPage,
  }),
  keyValue: method({
    summary: 'A tenant’s Redis key with its TTL and a bounded view of its value (with the full size).',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        key: RedisKeyName,
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
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
