import { AppError } from '@shared/errors';
import type { ClientMatch, ClientSearchResult, ClientSummary } from '@shared/model/client';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../../stores/execution';
import type { MongoFindOptions, ScopedMongo } from '../../reading/stores';
import { isoOf, plainRecord, textOrNull } from '../../reading/values';

export interface ClientSearch {
  text?: string;
  code?: string;
  status?: string;
  limit: number;
}

export interface ClientQuery {
  matchedBy: ClientMatch;
  filter: Record<string, unknown>;
  find: MongoFindOptions;
}

/** The fields a result row needs; the whole document is read only for the client page. */
const SUMMARY_PROJECTION = {
  clientCode: 1, companyName: 1, legalName: 1, tradingName: 1, createdAt: 1,
  'relationship.status': 1, 'relationship.tier': 1, 'relationship.churnRisk.score': 1,
};

/** `{ $oid }`: the port's Extended JSON form of an ObjectId. */
export const oid = (hex: string): { $oid: string } => ({ $oid: hex.toLowerCase() });

/**
 * Words of a search as the seed's search tokens hold them: lower case, letters and digits, at most
 * ten (a longer search narrows nothing further).
 */
export function searchTokensOf(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, 10);
}

/**
 * The find a client search runs, naming what is searched and nothing of the tenant: the store ANDs
 * the scope's tenant equality in, where the tenant-prefixed indexes of the seed (the compound text
 * index included) use it. Soft-deleted clients are left out. A code is an exact match; text goes to
 * the text index, or, with `useTokens`, to `searchTokens` (every word must be a token).
 */
export function buildClientQuery(search: ClientSearch, useTokens = false): ClientQuery {
  const filter: Record<string, unknown> = {};
  let matchedBy: ClientMatch = 'filter';
  let find: MongoFindOptions = { projection: SUMMARY_PROJECTION, sort: { companyName: 1, _id: 1 }, limit: search.limit + 1 };
  if (search.code !== undefined) {
    filter.clientCode = search.code;
    matchedBy = 'code';
  } else if (search.text !== undefined) {
    if (useTokens) {
      filter.searchTokens = { $all: searchTokensOf(search.text) };
      matchedBy = 'search_tokens';
    } else {
      filter.$text = { $search: search.text };
      matchedBy = 'text_index';
      find = {
        projection: { ...SUMMARY_PROJECTION, score: { $meta: 'textScore' } },
        sort: { score: { $meta: 'textScore' }, _id: 1 },
        limit: search.limit + 1,
      };
    }
  }
  if (search.status !== undefined) filter['relationship.status'] = search.status;
  filter.isDeleted = { $ne: true };
  return { matchedBy, filter, find };
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function clientSummaryOf(raw: Record<string, unknown>): ClientSummary {
  const doc = plainRecord(raw);
  const relationship = (doc.relationship ?? {}) as Record<string, unknown>;
  const churn = (relationship.churnRisk ?? {}) as Record<string, unknown>;
  return {
    id: String(doc._id),
    clientCode: textOrNull(doc.clientCode),
    companyName: textOrNull(doc.companyName),
    legalName: textOrNull(doc.legalName),
    tradingName: textOrNull(doc.tradingName),
    status: textOrNull(relationship.status),
    tier: textOrNull(relationship.tier),
    churnRiskScore: numberOrNull(churn.score),
    createdAt: isoOf(doc.createdAt),
    score: numberOrNull(doc.score),
  };
}

/** A server that has no text index on `clients` answers IndexNotFound (27). */
export function isMissingTextIndex(error: unknown): boolean {
  if (!AppError.is(error)) return false;
  const details = error.details as { serverCode?: unknown; codeName?: unknown } | undefined;
  return details?.serverCode === 27 || details?.codeName === 'IndexNotFound' || /text index required/i.test(error.message);
}

/** One tenant's clients, through the store with the tenant's scope. */
export async function searchClients(
  mongo: { reader: ScopedMongo; database: string },
  scope: TenantScope,
  search: ClientSearch,
  options: ExecutionOptions,
): Promise<ClientSearchResult> {
  const target = { database: mongo.database, collection: 'clients' };
  const run = async (query: ClientQuery): Promise<ClientSearchResult> => {
    const documents = await mongo.reader.findExtendedJson(target, query.filter, query.find, scope, options);
    return {
      clients: documents.slice(0, search.limit).map(clientSummaryOf),
      matchedBy: query.matchedBy,
      truncated: documents.length > search.limit,
    };
  };
  try {
    return await run(buildClientQuery(search));
  } catch (error) {
    if (search.text === undefined || search.code !== undefined || !isMissingTextIndex(error)) throw error;
    return run(buildClientQuery(search, true));
  }
}
