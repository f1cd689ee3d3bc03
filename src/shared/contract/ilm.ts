import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { JobSummary } from '../model/job';
import { IlmPolicyBody, IlmPolicyName } from '../model/ilm';
import { ElasticIndexName, ErrorBoard, IlmExplain, IlmPolicies, IlmTemplates, PolicyFollowerList, RolloverConditions, RolloverOutcome } from '../model/ilm-views';

/**
 * Elasticsearch index lifecycle management: policies (edited as JSON, checked against the ILM
 * reference before anything is sent), each index's place in its lifecycle, the error board, retry,
 * rollover and templates. Reading is `read` (cluster metadata); every change is `schema-change`
 * (support never, prod only with an unlock) and runs as a job of the jobs room, in the
 * Elasticsearch slot, with its audit entry.
 */
export const ilm = section('ilm', {
  policies: method({
    access: 'read',
    summary:
      'Every ILM policy with its phases, and how many indices and tenants follow it — read from the indices’ own ' +
      '`index.lifecycle.name` (one settings request), never from `in_use_by`, which is slow on large clusters.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: IlmPolicies,
  }),
  followers: method({
    access: 'read',
    summary: 'The indices following one policy, by tenant, with a few names each.',
    args: z.object({ workspaceId: WorkspaceId, policy: IlmPolicyName }).strict(),
    result: PolicyFollowerList,
  }),
  savePolicy: method({
    access: 'schema-change',
    summary:
      'Starts the `ilm.put-policy` job: `PUT _ilm/policy/<name>` with the policy object. A policy that breaks the ILM ' +
      'rules (an action its phase does not allow, an unknown option, minimum ages going down) is refused with the ' +
      'field’s path and nothing is sent; with `expectedVersion`, a policy changed since it was read is a conflict.',
    args: z.object({ workspaceId: WorkspaceId, name: IlmPolicyName, policy: IlmPolicyBody, expectedVersion: z.number().int().min(1).nullable().optional() }).strict(),
    result: JobSummary,
  }),
  explain: method({
    access: 'read',
    summary:
      'Each index’s lifecycle — policy, phase, action, step, age, and for a failed step its `step_info` — for one tenant ' +
      '(one request) or every tenant, in requests batched by tenant index prefix with a bounded path length and ' +
      'concurrency, so 5,000+ indices never time out. A batch that fails is a gap; the rest stands.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId.optional(), policy: IlmPolicyName.optional() }).strict(),
    result: IlmExplain,
  }),
  errorBoard: method({
    access: 'read',
    summary: 'Failed ILM steps (`only_errors`, batched like explain) as tenant × phase counts and groups by the server’s reason.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: ErrorBoard,
  }),
  retry: method({
    access: 'schema-change',
    summary: 'Starts the `ilm.retry` job: `POST <index>/_ilm/retry` for each index; a refusal carries the server’s own reason.',
    args: z.object({ workspaceId: WorkspaceId, indices: z.array(ElasticIndexName).min(1).max(500) }).strict(),
    result: JobSummary,
  }),
  rolloverCheck: method({
    access: 'read',
    summary: 'A dry run of `POST <alias or data stream>/_rollover` with the conditions: the next index name and which conditions are met. Changes nothing.',
    args: z.object({ workspaceId: WorkspaceId, target: ElasticIndexName, conditions: RolloverConditions.optional() }).strict(),
    result: RolloverOutcome,
  }),
  rollover: method({
    access: 'schema-change',
    summary: 'Starts the `ilm.rollover` job: `POST <alias or data stream>/_rollover` with the conditions (none: roll over now).',
    args: z.object({ workspaceId: WorkspaceId, target: ElasticIndexName, conditions: RolloverConditions.optional(), newIndex: ElasticIndexName.optional() }).strict(),
    result: JobSummary,
  }),
  templates: method({
    access: 'read',
    summary:
      'Index templates and component templates with the lifecycle policy they set and the indices each matches and ' +
      'governs (the highest-priority match wins), and the aliases and data streams that can roll over.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: IlmTemplates,
  }),
});
