import { AppError } from '@shared/errors';
import { parseJsonText } from '../json-text';

/**
 * A search body a person typed into the workbench, checked before anything is sent. The index a
 * search reads is the request's, confined to the tenant's pattern by the store; these are the
 * ways a body could read another index by itself, refused as `forbidden`:
 * - any `index` key (a `terms` lookup, a `percolate` of a stored document, a `geo_shape` or
 *   `pinned` lookup all name their index this way) — a field actually called `index` cannot be
 *   queried from the workbench for the same reason;
 * - a document reference `{ "_index": …, "_id": … }` (`more_like_this` `like`/`unlike`);
 * - a stored script (`"script": { "id": … }`), whose source lives on the cluster and not in the
 *   body. Inline scripts are allowed: a search script reads the documents being searched and
 *   cannot write.
 * Paging is the store's (a point in time with `search_after`), so `pit`, `search_after` and a
 * non-zero `from` are refused as `invalid_argument`; `size` is the person's cap on hits.
 */

export interface UserSearchBody {
  /** The body without `size` and `from`, which the store sets page by page. */
  body: Record<string, unknown>;
  /** The person's own cap on hits; reaching it is not a truncation. 0 = aggregations only. */
  size: number | undefined;
}

const MAX_BODY = 1_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function forbidden(message: string): AppError {
  return new AppError('forbidden', message);
}

/** Walks the body once, refusing the first way out it meets (with the path to it). */
function refuseEscapes(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseEscapes(item, `${path}[${i}]`));
    return;
  }
  if (!isRecord(value)) return;
  if ('index' in value) throw forbidden(`${path}.index names an index: a workbench search reads only the indices it is run on, inside the tenant's.`);
  if ('_index' in value && ('_id' in value || 'doc' in value)) throw forbidden(`${path} refers to a document of index ${JSON.stringify(value._index)}: a workbench search reads only the indices it is run on.`);
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'script' && isRecord(inner) && 'id' in inner) throw forbidden(`${path}.script runs the stored script ${JSON.stringify(inner.id)}; write the script inline instead.`);
    refuseEscapes(inner, `${path}.${key}`);
  }
}

/** The body to send, or the refusal; nothing here talks to the cluster. */
export function parseUserSearchBody(text: string): UserSearchBody {
  if (typeof text !== 'string' || text.length > MAX_BODY) throw new AppError('invalid_argument', 'The search body is JSON text of at most 1,000,000 characters.');
  const parsed = text.trim() === '' ? {} : parseJsonText(text, 'The search body');
  if (!isRecord(parsed)) throw new AppError('invalid_argument', 'A search body is a JSON object: { "query": …, "sort": …, "aggs": … }.');
  refuseEscapes(parsed, 'body');
  const { size, from, ...body } = parsed;
  for (const key of ['pit', 'search_after', 'scroll'] as const) {
    if (key in body) throw new AppError('invalid_argument', `The workbench pages through results itself, with a point in time: leave ${key} out of the body.`);
  }
  if (from !== undefined && from !== 0) throw new AppError('invalid_argument', 'The workbench pages through results itself: leave from out and set the row limit instead.');
  if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 0)) throw new AppError('invalid_argument', 'size is a whole number of hits, at least 0.');
  return { body, size };
}

/** The sort a point in time pages by: the person's, then `_shard_doc` as the tiebreak that makes `search_after` exact. */
export function pagingSort(sort: unknown): unknown[] {
  const given = sort === undefined ? [{ _score: { order: 'desc' } }] : Array.isArray(sort) ? [...(sort as unknown[])] : [sort];
  const hasTiebreak = given.some((s) => s === '_shard_doc' || (isRecord(s) && '_shard_doc' in s));
  return hasTiebreak ? given : [...given, { _shard_doc: 'asc' }];
}
