import type { Client, estypes } from '@elastic/elasticsearch';
import { AppError, type ErrorCode } from '@shared/errors';
import type { ExecutionOptions } from '../execution';
import { assertIndexExpression } from './scope';

/**
 * Index lifecycle management, rollover and templates on one cluster: the requests the ILM room
 * makes, each shaped so that it stays small on a cluster of thousands of indices. Policies are read
 * without `in_use_by` (filtered out of the reply); who follows a policy comes from the indices'
 * own `index.lifecycle.name` setting; explain takes an index expression the caller cut to size and
 * a `filter_path` that keeps only the fields the console shows. Failed requests keep the server's
 * words: `error.reason`, the root causes and the `caused_by` chain, never just "Bad Request".
 */

/** What the store lends this module: one request with the operation's signal, deadline and X-Opaque-Id. */
export type ElasticSend = <T>(
  what: string,
  options: ExecutionOptions,
  send: (client: Client, transport: { signal: AbortSignal; opaqueId: string; meta?: false }) => Promise<T>,
) => Promise<T>;

export interface StoredPolicy {
  version: number | null;
  modifiedDate: string | null;
  policy: Record<string, unknown>;
}

/** One index of `_ilm/explain`, with only the fields asked for in `EXPLAIN_FIELDS`. */
export interface ExplainedIndex {
  index?: string;
  managed?: boolean;
  policy?: string;
  phase?: string;
  action?: string;
  step?: string;
  age?: string;
  lifecycle_date_millis?: number;
  failed_step?: string;
  step_info?: Record<string, unknown>;
  is_auto_retryable_error?: boolean;
  failed_step_retry_count?: number;
}

/** The explain fields the console shows; everything else (phase definitions, dates twice over) stays on the server. */
export const EXPLAIN_FIELDS = ['index', 'managed', 'policy', 'phase', 'action', 'step', 'age', 'lifecycle_date_millis', 'failed_step', 'step_info', 'is_auto_retryable_error', 'failed_step_retry_count'] as const;
export const EXPLAIN_FILTER = EXPLAIN_FIELDS.map((field) => `indices.*.${field}`).join(',');

export interface RolloverReply {
  old_index: string;
  new_index: string;
  dry_run: boolean;
  rolled_over: boolean;
  conditions: Record<string, boolean>;
}

export interface AliasEntry {
  index: string;
  alias: string;
  isWriteIndex: boolean | null;
}

export interface DataStreamEntry {
  name: string;
  indices: string[];
  template: string | null;
  policy: string | null;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'auth_failed';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 502 || status === 503) return 'unreachable';
  if (status >= 400 && status < 500) return 'invalid_argument';
  return 'internal';
}

interface ServerError {
  type?: string;
  reason?: string;
  root_cause?: ServerError[];
  caused_by?: ServerError;
}

const asServerError = (value: unknown): ServerError | undefined => (typeof value === 'object' && value !== null ? (value as ServerError) : undefined);

/**
 * The server's own account of a failed request: `error.reason`, then each root cause and `caused_by`
 * that says something the reason did not. A body that is only a string is that string.
 */
export function serverReason(body: unknown): { reason: string | undefined; type: string | undefined; rootCauses: string[] } {
  const root = asServerError(body);
  const inner = root && 'error' in root ? (root as { error: unknown }).error : undefined;
  if (typeof inner === 'string') return { reason: inner, type: undefined, rootCauses: [] };
  if (typeof body === 'string' && body.trim() !== '') return { reason: body.trim().slice(0, 1000), type: undefined, rootCauses: [] };
  const error = asServerError(inner);
  if (!error) return { reason: undefined, type: undefined, rootCauses: [] };
  const parts: string[] = [];
  const add = (cause: ServerError | undefined): void => {
    const text = cause?.reason ?? cause?.type;
    if (text && !parts.includes(text)) parts.push(text);
  };
  add(error);
  for (const cause of error.root_cause ?? []) add(cause);
  for (let cause = error.caused_by, depth = 0; cause && depth < 5; cause = cause.caused_by, depth++) add(cause);
  return { reason: parts.join('; caused by: ') || undefined, type: error.type, rootCauses: (error.root_cause ?? []).map((c) => c.reason ?? c.type ?? '').filter(Boolean) };
}

/** A failed response as an AppError that carries the server's words and status; other errors pass unchanged. */
export function withServerReason(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'ResponseError') return error;
  const meta = (error as Error & { meta?: { statusCode?: number; body?: unknown } }).meta;
  const status = meta?.statusCode ?? 0;
  const { reason, type, rootCauses } = serverReason(meta?.body);
  if (!reason) return error;
  return new AppError(codeForStatus(status), reason, { status, ...(type ? { type } : {}), ...(rootCauses.length > 0 ? { rootCauses } : {}) });
}

const rethrow = (error: unknown): never => {
  throw withServerReason(error);
};

/**
 * The ILM, rollover and template requests of one Elasticsearch store. Changes (policy, retry,
 * rollover) are refused on a read-only store before anything is sent; a dry-run rollover changes
 * nothing and is allowed everywhere.
 */
export class ElasticLifecycle {
  readonly #send: ElasticSend;
  readonly #refuseWrite: (what: string) => void;

  constructor(deps: { send: ElasticSend; refuseWrite(what: string): void }) {
    this.#send = deps.send;
    this.#refuseWrite = deps.refuseWrite;
  }

  /** Every policy (or one), without `in_use_by`: that field is what makes `GET _ilm/policy` slow on big clusters. */
  async policies(name: string | undefined, options: ExecutionOptions = {}): Promise<Map<string, StoredPolicy>> {
    if (name !== undefined) assertIndexExpression(name);
    let reply: Record<string, { version?: number; modified_date?: string; policy?: Record<string, unknown> }>;
    try {
      reply = await this.#send('ILM policies', options, (client, transport) =>
        client.ilm.getLifecycle({ ...(name ? { name } : {}), filter_path: ['*.version', '*.modified_date', '*.policy'] }, transport).catch(rethrow),
      ) as unknown as typeof reply;
    } catch (error) {
      if (name !== undefined && AppError.is(error, 'not_found')) return new Map();
      throw error;
    }
    return new Map(
      Object.entries(reply ?? {}).map(([policyName, entry]) => [
        policyName,
        { version: entry.version ?? null, modifiedDate: entry.modified_date ?? null, policy: entry.policy ?? {} },
      ]),
    );
  }

  /** Creates or replaces a policy; the server's refusal comes back in its own words. */
  async putPolicy(name: string, policy: Record<string, unknown>, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Changing a lifecycle policy');
    assertIndexExpression(name);
    await this.#send('ILM put policy', options, (client, transport) =>
      client.ilm.putLifecycle({ name, policy: policy as unknown as estypes.IlmPolicy }, transport).catch(rethrow),
    );
  }

  /**
   * `index.lifecycle.name` of every open index an expression matches, by index (null for an index
   * with none): the settings API with the setting's name in the path and flat settings, so the
   * reply is one short line per index.
   */
  async lifecycleNames(expression: string, options: ExecutionOptions = {}): Promise<Map<string, string | null>> {
    assertIndexExpression(expression);
    const reply = (await this.#send('index lifecycle settings', options, (client, transport) =>
      client.indices
        .getSettings({ index: expression, name: 'index.lifecycle.name', flat_settings: true, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: 'open' }, transport)
        .catch(rethrow),
    )) as Record<string, { settings?: Record<string, unknown> }>;
    return new Map(
      Object.entries(reply ?? {}).map(([index, entry]) => {
        const name = entry.settings?.['index.lifecycle.name'];
        return [index, typeof name === 'string' ? name : null];
      }),
    );
  }

  /**
   * `GET <expression>/_ilm/explain` with only the console's fields; `onlyErrors` for the error
   * board. The caller cuts the expression so one request never explains the whole cluster.
   */
  async explain(expression: string, query: { onlyErrors?: boolean; onlyManaged?: boolean }, options: ExecutionOptions = {}): Promise<ExplainedIndex[]> {
    assertIndexExpression(expression);
    const reply = (await this.#send('ILM explain', options, (client, transport) =>
      client.ilm
        .explainLifecycle(
          { index: expression, filter_path: EXPLAIN_FILTER, ...(query.onlyErrors ? { only_errors: true } : {}), ...(query.onlyManaged ? { only_managed: true } : {}) },
          transport,
        )
        .catch(rethrow),
    )) as { indices?: Record<string, ExplainedIndex> };
    return Object.entries(reply?.indices ?? {}).map(([index, entry]) => ({ ...entry, index: entry.index ?? index }));
  }

  /** `POST <index>/_ilm/retry`: the failed step runs again. Refused on a read-only store. */
  async retry(index: string, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Retrying a lifecycle step');
    assertIndexExpression(index);
    if (index.includes('*') || index.includes(',')) throw new AppError('invalid_argument', `A retry names one index, not ${index}.`);
    await this.#send('ILM retry', options, (client, transport) => client.ilm.retry({ index }, transport).catch(rethrow));
  }

  /** `POST <target>/_rollover` with conditions; a dry run reports what would happen and changes nothing. */
  async rollover(target: string, request: { conditions?: Record<string, unknown>; dryRun: boolean; newIndex?: string }, options: ExecutionOptions = {}): Promise<RolloverReply> {
    if (!request.dryRun) this.#refuseWrite('Rolling over');
    assertIndexExpression(target);
    if (request.newIndex !== undefined) assertIndexExpression(request.newIndex);
    const reply = await this.#send('rollover', options, (client, transport) =>
      client.indices
        .rollover(
          {
            alias: target,
            ...(request.newIndex ? { new_index: request.newIndex } : {}),
            ...(request.dryRun ? { dry_run: true } : {}),
            ...(request.conditions && Object.keys(request.conditions).length > 0 ? { conditions: request.conditions as estypes.IndicesRolloverRolloverConditions } : {}),
          },
          transport,
        )
        .catch(rethrow),
    );
    return { old_index: reply.old_index, new_index: reply.new_index, dry_run: reply.dry_run, rolled_over: reply.rolled_over, conditions: reply.conditions ?? {} };
  }

  /** Composable index templates; an empty list when there are none. */
  async indexTemplates(options: ExecutionOptions = {}): Promise<estypes.IndicesGetIndexTemplateIndexTemplateItem[]> {
    try {
      const reply = await this.#send('index templates', options, (client, transport) => client.indices.getIndexTemplate({}, transport).catch(rethrow));
      return reply.index_templates ?? [];
    } catch (error) {
      if (AppError.is(error, 'not_found')) return [];
      throw error;
    }
  }

  /** Component templates; an empty list when there are none. */
  async componentTemplates(options: ExecutionOptions = {}): Promise<estypes.ClusterGetComponentTemplateResponse['component_templates']> {
    try {
      const reply = await this.#send('component templates', options, (client, transport) => client.cluster.getComponentTemplate({}, transport).catch(rethrow));
      return reply.component_templates ?? [];
    } catch (error) {
      if (AppError.is(error, 'not_found')) return [];
      throw error;
    }
  }

  /** Aliases of the indices an expression matches, with which index takes writes. */
  async aliases(expression: string, options: ExecutionOptions = {}): Promise<AliasEntry[]> {
    assertIndexExpression(expression);
    const reply = (await this.#send('aliases', options, (client, transport) =>
      client.indices.getAlias({ index: expression, allow_no_indices: true, ignore_unavailable: true }, transport).catch(rethrow),
    )) as Record<string, { aliases?: Record<string, { is_write_index?: boolean }> }>;
    return Object.entries(reply ?? {}).flatMap(([index, entry]) =>
      Object.entries(entry.aliases ?? {}).map(([alias, spec]) => ({ index, alias, isWriteIndex: spec.is_write_index ?? null })),
    );
  }

  /** Data streams with their backing indices, template and lifecycle policy. */
  async dataStreams(options: ExecutionOptions = {}): Promise<DataStreamEntry[]> {
    try {
      const reply = await this.#send('data streams', options, (client, transport) => client.indices.getDataStream({}, transport).catch(rethrow));
      return (reply.data_streams ?? []).map((stream) => ({
        name: stream.name,
        indices: (stream.indices ?? []).map((i) => i.index_name),
        template: stream.template ?? null,
        policy: stream.ilm_policy ?? null,
      }));
    } catch (error) {
      if (AppError.is(error, 'not_found')) return [];
      throw error;
    }
  }

  /** Documents and bytes of the indices an expression matches (`_cat/indices`, three columns), by index. */
  async indexSizes(expression: string, options: ExecutionOptions = {}): Promise<Map<string, { docs: number; bytes: number }>> {
    assertIndexExpression(expression);
    const rows = await this.#send('index sizes', options, (client, transport) =>
      client.cat.indices({ index: expression, format: 'json', h: 'index,docs.count,store.size', bytes: 'b', expand_wildcards: 'open' }, transport).catch(rethrow),
    );
    return new Map(rows.filter((row) => row.index).map((row) => [row.index ?? '', { docs: Number(row['docs.count'] ?? 0), bytes: Number(row['store.size'] ?? 0) }]));
  }

  /** Names of the indices an expression matches (`_cat/indices?h=index`, no statistics). */
  async indexNames(expression: string, options: ExecutionOptions = {}): Promise<string[]> {
    assertIndexExpression(expression);
    const rows = await this.#send('index names', options, (client, transport) =>
      client.cat.indices({ index: expression, format: 'json', h: 'index', expand_wildcards: 'open' }, transport).catch(rethrow),
    );
    return rows.map((row) => row.index ?? '').filter((index) => index !== '');
  }
}
