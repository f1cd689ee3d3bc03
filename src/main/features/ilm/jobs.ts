import { z } from 'zod';
import { AppError } from '@shared/errors';
import { IlmPolicyBody, IlmPolicyName } from '@shared/model/ilm';
import { ElasticIndexName, RolloverConditions } from '@shared/model/ilm-views';
import type { JobKind, JobResult } from '../../jobs';
import type { ElasticLifecycle } from '../../stores/elastic/ilm';

/**
 * Every ILM change is a job of the jobs room, in the Elasticsearch slot, with one audit entry:
 * saving a policy, retrying failed steps, rolling an alias or data stream over. A failure keeps the
 * server's own words (`error.reason` and its causes), which the job's failure carries to the view.
 */

export interface IlmJobStores {
  ilm: Pick<ElasticLifecycle, 'policies' | 'putPolicy' | 'retry' | 'rollover'>;
}

export type OpenIlmJobStores = (workspaceId: string, signal: AbortSignal) => Promise<IlmJobStores>;

const TenantList = z.array(z.string().min(1).max(128)).max(1_000);

export const PutPolicyParams = z
  .object({
    name: IlmPolicyName,
    policy: IlmPolicyBody,
    /** The version the editor started from; null when it creates the policy. A policy changed meanwhile is a conflict. */
    expectedVersion: z.number().int().min(1).nullable().optional(),
  })
  .strict();
export type PutPolicyParams = z.infer<typeof PutPolicyParams>;

export const RetryParams = z.object({ indices: z.array(ElasticIndexName).min(1).max(500), tenantIds: TenantList.default([]) }).strict();
export type RetryParams = z.infer<typeof RetryParams>;

export const RolloverParams = z
  .object({ target: ElasticIndexName, conditions: RolloverConditions.optional(), newIndex: ElasticIndexName.optional(), tenantIds: TenantList.default([]) })
  .strict();
export type RolloverParams = z.infer<typeof RolloverParams>;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `ilm.put-policy`: checks the stored version the editor started from, then `PUT _ilm/policy/<name>`. */
export function putPolicyKind(openStores: OpenIlmJobStores): JobKind<PutPolicyParams, IlmJobStores> {
  return {
    name: 'ilm.put-policy',
    store: 'elastic',
    params: PutPolicyParams,
    describe: (p) => ({ title: `Save ILM policy ${p.name}` }),
    openStores,
    async run(params, { signal, stores, progress, log }) {
      progress(0, 2, 'reading the stored policy');
      const before = (await stores.ilm.policies(params.name, { signal })).get(params.name);
      if (params.expectedVersion !== undefined) {
        const now = before?.version ?? null;
        if (now !== params.expectedVersion) {
          throw new AppError(
            'conflict',
            params.expectedVersion === null
              ? `Policy ${params.name} was created by someone else meanwhile (version ${now}); reload it and apply your change again.`
              : `Policy ${params.name} changed since it was opened (version ${params.expectedVersion} then, ${now ?? 'deleted'} now); reload it and apply your change again.`,
          );
        }
      }
      progress(1, 2, 'saving');
      await stores.ilm.putPolicy(params.name, params.policy, { signal });
      const after = (await stores.ilm.policies(params.name, { signal })).get(params.name);
      log(`${before ? 'Replaced' : 'Created'} policy ${params.name}: version ${before?.version ?? 'none'} → ${after?.version ?? 'unknown'}.`);
      progress(2, 2, 'done');
      return { name: params.name, created: !before, version: after?.version ?? null };
    },
  };
}

/**
 * `ilm.retry`: `POST <index>/_ilm/retry` for each index in turn, cancel between indices. Each
 * refusal is logged with the server's reason; one index that fails fails the job with that reason.
 */
export function retryKind(openStores: OpenIlmJobStores): JobKind<RetryParams, IlmJobStores> {
  return {
    name: 'ilm.retry',
    store: 'elastic',
    params: RetryParams,
    describe: (p) => ({ title: p.indices.length === 1 ? `Retry the failed ILM step of ${p.indices[0]}` : `Retry the failed ILM steps of ${p.indices.length} indices`, tenantIds: p.tenantIds }),
    openStores,
    async run(params, { signal, stores, progress, log }) {
      const retried: string[] = [];
      const failed: Array<{ index: string; reason: string }> = [];
      for (const [position, index] of params.indices.entries()) {
        signal.throwIfAborted();
        progress(position, params.indices.length, `retrying ${index}`);
        try {
          await stores.ilm.retry(index, { signal });
          retried.push(index);
          log(`${index}: the failed step will run again.`);
        } catch (error) {
          if (signal.aborted) {
            log(`Cancelled after ${retried.length} retried; ${params.indices.length - position} left untouched.`);
            throw error;
          }
          if (params.indices.length === 1) throw error;
          failed.push({ index, reason: reasonOf(error) });
          log(`${index}: refused: ${reasonOf(error)}`);
        }
      }
      progress(params.indices.length, params.indices.length, 'done');
      if (failed.length > 0) {
        throw new AppError('conflict', `Retried ${retried.length} of ${params.indices.length}; ${failed.length} refused. The first: ${failed[0]?.index}: ${failed[0]?.reason ?? ''}`);
      }
      const result: JobResult = { retried: retried.length, indices: retried.slice(0, 200) };
      return result;
    },
  };
}

/** `ilm.rollover`: `POST <target>/_rollover` with the conditions; conditions not met leave everything as it was. */
export function rolloverKind(openStores: OpenIlmJobStores): JobKind<RolloverParams, IlmJobStores> {
  return {
    name: 'ilm.rollover',
    store: 'elastic',
    params: RolloverParams,
    describe: (p) => ({ title: `Roll over ${p.target}${p.conditions && Object.keys(p.conditions).length > 0 ? ' when its conditions are met' : ''}`, tenantIds: p.tenantIds }),
    openStores,
    async run(params, { signal, stores, progress, log }) {
      progress(0, 1, `rolling over ${params.target}`);
      const reply = await stores.ilm.rollover(params.target, { dryRun: false, ...(params.conditions ? { conditions: params.conditions } : {}), ...(params.newIndex ? { newIndex: params.newIndex } : {}) }, { signal });
      const met = Object.entries(reply.conditions).map(([condition, ok]) => `${condition} ${ok ? 'met' : 'not met'}`);
      log(reply.rolled_over ? `${params.target} rolled over: ${reply.old_index} → ${reply.new_index}.` : `${params.target} did not roll over: ${met.join(', ') || 'no condition met'}. Nothing changed.`);
      progress(1, 1, 'done');
      return { target: params.target, oldIndex: reply.old_index, newIndex: reply.new_index, rolledOver: reply.rolled_over, conditions: reply.conditions };
    },
  };
}
