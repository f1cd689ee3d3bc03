import { describe, expect, it } from 'vitest';
import { presetByName } from '@shared/tenancy';
import { unavailableStores } from './store-gaps';

describe('stores the lifecycle views cannot read here', () => {
  const murima = presetByName('murima2025');

  it('names an unavailable store with the reason its status gives, and asks a down store anyway', () => {
    const gaps = unavailableStores(murima, {
      postgres: { state: 'down', reason: 'connection refused' },
      elastic: { state: 'unavailable', reason: 'Elasticsearch needs ES_URL.' },
      redis: { state: 'connected' },
    });
    expect(gaps).toEqual([{ store: 'elastic', reason: 'Elasticsearch needs ES_URL.' }]);
  });

  it('names a store the demo wanted and could not start, which has no face at all', () => {
    const gaps = unavailableStores(murima, { postgres: { state: 'connected' } }, { mongo: 'MongoDB could not be downloaded.' });
    expect(gaps).toEqual([{ store: 'mongo', reason: 'MongoDB could not be downloaded.' }]);
  });

  it('says nothing of a store the preset does not use', () => {
    const postgresOnly = { layout: { postgres: murima.layout.postgres } } as Pick<typeof murima, 'layout'>;
    expect(unavailableStores(postgresOnly, {}, { mongo: 'MongoDB could not be downloaded.' })).toEqual([]);
  });
});
