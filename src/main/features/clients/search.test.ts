import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { clientManagement, scopeFor } from '@shared/tenancy';
import type { ScopedMongo } from '../../reading/stores';
import { buildClientQuery, clientSummaryOf, searchClients, searchTokensOf } from './search';

const TENANT = '652f1c2e9b1d4a0012ab34cd';
const scope = scopeFor(clientManagement, TENANT);

/** A client as the driver returns it, in canonical Extended JSON (seed 000 §3.1). */
const CLIENT = {
  _id: { $oid: '6650aa00aa00aa00aa00aa01' },
  clientCode: 'CLI-00042',
  companyName: 'Acme Logistics',
  legalName: 'Acme Logistics Ltd',
  tradingName: null,
  tenantId: { $oid: TENANT },
  relationship: { status: 'active', tier: 'enterprise', churnRisk: { score: 37, factors: ['late payments'] } },
  createdAt: { $date: '2025-10-13T09:00:00.000Z' },
  score: 1.5,
};

describe('buildClientQuery', () => {
  it('leaves the tenant to the store, leaves soft-deleted clients out and searches the text index', () => {
    const query = buildClientQuery({ text: 'acme', status: 'active', limit: 20 });
    expect(Object.keys(query.filter)).toEqual(['$text', 'relationship.status', 'isDeleted']);
    expect(query.filter).toEqual({ $text: { $search: 'acme' }, 'relationship.status': 'active', isDeleted: { $ne: true } });
    expect(query.find.sort).toEqual({ score: { $meta: 'textScore' }, _id: 1 });
    expect(query.find.limit).toBe(21);
    expect(query.matchedBy).toBe('text_index');
  });

  it('matches a client code exactly and falls back to search tokens on request', () => {
    expect(buildClientQuery({ code: 'CLI-00042', limit: 5 }).filter).toMatchObject({ clientCode: 'CLI-00042' });
    const tokens = buildClientQuery({ text: 'Acme  Logistics!', limit: 5 }, true);
    expect(tokens.filter.searchTokens).toEqual({ $all: ['acme', 'logistics'] });
    expect(tokens.matchedBy).toBe('search_tokens');
  });

  it('keeps operators typed into a search as text', () => {
    expect(buildClientQuery({ text: '{"$where": "sleep(1000)"}', limit: 5 }).filter.$text).toEqual({ $search: '{"$where": "sleep(1000)"}' });
    expect(searchTokensOf('{"$where": 1}')).toEqual(['where', '1']);
  });
});

describe('searchClients', () => {
  it('reads a summary out of a recorded client document', () => {
    expect(clientSummaryOf(CLIENT)).toEqual({
      id: '6650aa00aa00aa00aa00aa01',
      clientCode: 'CLI-00042',
      companyName: 'Acme Logistics',
      legalName: 'Acme Logistics Ltd',
      tradingName: null,
      status: 'active',
      tier: 'enterprise',
      churnRiskScore: 37,
      createdAt: '2025-10-13T09:00:00.000Z',
      score: 1.5,
    });
  });

  it('uses the search tokens when the server has no text index, and says so', async () => {
    const filters: Array<Record<string, unknown>> = [];
    const reader: ScopedMongo = {
      async findExtendedJson(_target, filter) {
        filters.push(filter);
        if ('$text' in filter) throw new AppError('not_found', 'MongoDB: text index required for $text query', { serverCode: 27, codeName: 'IndexNotFound' });
        return [CLIENT, CLIENT];
      },
    };
    const result = await searchClients({ reader, database: 'acme_customer_prod' }, scope, { text: 'acme', limit: 1 }, {});
    expect(result.matchedBy).toBe('search_tokens');
    expect(result.truncated).toBe(true);
    expect(result.clients).toHaveLength(1);
    expect(filters).toHaveLength(2);
  });

  it('does not hide other failures behind the fallback', async () => {
    const reader: ScopedMongo = {
      findExtendedJson: async () => {
        throw new AppError('unreachable', 'MongoDB is not answering.');
      },
    };
    await expect(searchClients({ reader, database: 'db' }, scope, { text: 'acme', limit: 5 }, {})).rejects.toMatchObject({ code: 'unreachable' });
  });
});
