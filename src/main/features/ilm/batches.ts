import { AppError } from '@shared/errors';
import type { ExplainCost, ExplainGap } from '@shared/model/ilm-views';
import type { ElasticLifecycle, ExplainedIndex } from '../../stores/elastic/ilm';
import { EXPLAIN_FILTER } from '../../stores/elastic/ilm';

/**
 * `_ilm/explain` over thousands of indices without the timeout Kibana hits (elasticsearch #137140):
 * the indices are grouped by tenant prefix, and the prefixes packed into requests bounded by the
 * length of the request line (Elasticsearch refuses one past `http.max_initial_line_length`, 4 KB)
 * and by how many indices one request explains. A few requests run at a time; a request that fails
 * becomes a gap naming its prefixes, and the rest of the answer stands.
 */

/** The indices under one prefix (`tenant-<id>-*`), or one index of no tenant, named exactly. */
export interface ExplainGroup {
  pattern: string;
  indices: number;
}

export interface ExplainBatch {
  patterns: string[];
  indices: number;
  /** The request path as the client sends it (path and query, encoded). */
  pathLength: number;
}

export interface BatchLimits {
  /** Longest request path; below Elasticsearch's 4 KB request line with room for the method and version. */
  maxPathChars: number;
  /** Most indices one request explains. */
  maxIndices: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Each request's own timeout. */
  requestTimeoutMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxPathChars: 3_500, maxIndices: 1_000, concurrency: 3, requestTimeoutMs: 30_000 };

/** The encoded path of an explain request over `patterns`, as the client builds it. */
export function explainPathLength(patterns: readonly string[], onlyErrors: boolean): number {
  const query = `?filter_path=${encodeURIComponent(EXPLAIN_FILTER)}${onlyErrors ? '&only_errors=true' : ''}`;
  return `/${encodeURIComponent(patterns.join(','))}/_ilm/explain${query}`.length;
}

/**
 * Packs groups into requests, in order: a request takes the next group while its path stays under
 * `maxPathChars` and its indices under `maxIndices`. A group larger than `maxIndices` alone still
 * gets one request of its own (a prefix is the finest cut that needs no listing of names).
 */
export function packBatches(groups: readonly ExplainGroup[], limits: Pick<BatchLimits, 'maxPathChars' | 'maxIndices'>, onlyErrors: boolean): ExplainBatch[] {
  const batches: ExplainBatch[] = [];
  let current: ExplainBatch | undefined;
  for (const group of groups) {
    if (current) {
      const patterns = [...current.patterns, group.pattern];
      const pathLength = explainPathLength(patterns, onlyErrors);
      if (pathLength <= limits.maxPathChars && current.indices + group.indices <= limits.maxIndices) {
        current.patterns = patterns;
        current.pathLength = pathLength;
        current.indices += group.indices;
        continue;
      }
    }
    const pathLength = explainPathLength([group.pattern], onlyErrors);
    if (pathLength > limits.maxPathChars) throw new AppError('invalid_argument', `The index pattern ${group.pattern.slice(0, 80)}… is too long for one request.`);
    current = { patterns: [group.pattern], indices: group.indices, pathLength };
    batches.push(current);
  }
  return batches;
}

export interface BatchedExplain {
  indices: ExplainedIndex[];
  cost: ExplainCost;
  gaps: ExplainGap[];
}

/**
 * Runs the batches `concurrency` at a time. Indices are kept once each (a prefix pattern of one
 * tenant may also match another tenant's longer id). A cancelled call stops at once; a batch that
 * fails for any other reason is a gap.
 */
export async function explainInBatches(
  ilm: Pick<ElasticLifecycle, 'explain'>,
  batches: readonly ExplainBatch[],
  query: { onlyErrors: boolean },
  limits: Pick<BatchLimits, 'concurrency' | 'requestTimeoutMs'>,
  signal: AbortSignal,
): Promise<BatchedExplain> {
  const found = new Map<string, ExplainedIndex>();
  const gaps: ExplainGap[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (!batch) return;
      signal.throwIfAborted();
      try {
        const rows = await ilm.explain(batch.patterns.join(','), { onlyErrors: query.onlyErrors }, { signal, timeoutMs: limits.requestTimeoutMs });
        for (const row of rows) if (row.index) found.set(row.index, row);
      } catch (error) {
        if (signal.aborted || AppError.is(error, 'cancelled')) throw error;
        gaps.push({ patterns: batch.patterns, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limits.concurrency, batches.length)) }, worker));
  return {
    indices: [...found.values()],
    gaps,
    cost: {
      requests: batches.length,
      prefixes: batches.reduce((sum, b) => sum + b.patterns.length, 0),
      maxIndicesPerRequest: batches.reduce((max, b) => Math.max(max, b.indices), 0),
      maxPathLength: batches.reduce((max, b) => Math.max(max, b.pathLength), 0),
    },
  };
}
