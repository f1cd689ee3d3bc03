// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs, MethodResult } from '@shared/contract';
import { setApiForTests } from '../../api';
import { resetAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { DocumentStoresTab } from './DocumentStoresTab';

const tenantList = { tenants: [{ id: 'acme', name: 'Acme Corp' }] } as unknown as MethodResult<'tenants.list'>;

let fake: FakeApi;
const argsOf = <M extends 'indexes.mongoCollection' | 'indexes.mongoHide' | 'indexes.mongoDrop' | 'indexes.elasticMappings' | 'indexes.mongoFleet'>(method: M) =>
  fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({
    'tenants.list': () => tenantList,
    'indexes.mongoCollection': (): MethodResult<'indexes.mongoCollection'> => ({
      database: 'murima',
      collection: 'tenant_acme_ai_results_cache',
      indexes: [
        { name: '_id_', key: [['_id', 1]], options: {}, hidden: false, prescribed: true, accesses: [{ host: 'rs0:27017', ops: 12, since: null }] },
        { name: 'ttl_created', key: [['createdAt', 1]], options: { expireAfterSeconds: 3600 }, hidden: false, prescribed: true, accesses: [{ host: 'rs0:27017', ops: 0, since: null }] },
      ],
      drift: [{ name: 'ttl_created', change: 'different', differences: ['expireAfterSeconds 3600 instead of 86400'] }],
    }),
    'indexes.mongoHide': ({ index, hidden }) => ({ index, hidden }),
    'indexes.mongoDrop': ({ collection, index }) => ({ collection: `tenant_acme_${collection}`, index }),
    'indexes.mongoFleet': (): MethodResult<'indexes.mongoFleet'> => ({
      database: 'murima',
      collectionsRead: 31,
      tenantCollections: 30,
      rows: [
        {
          collection: 'case_notes', name: 'tenant_id_1_case_id_1', key: [['tenant_id', 1], ['case_id', 1]], variants: 2, layout: 'per-tenant', prescribed: true,
          collections: 30, sizeBytes: 122_880, accesses: 42, usedIn: 2, neverUsedIn: 28, topTenants: [{ tenantId: 'acme', ops: 40 }, { tenantId: 'globex', ops: 2 }], since: '2026-11-18T00:00:00.000Z',
        },
        {
          collection: 'platform_settings', name: 'key_1', key: [['key', 1]], variants: 1, layout: 'shared', prescribed: false,
          collections: 1, sizeBytes: 4096, accesses: 9, usedIn: null, neverUsedIn: null, topTenants: [], since: null,
        },
      ],
    }),
    'indexes.elasticMappings': () => ({
      templates: [{ name: 'cases', indexPatterns: ['cases-*'], template: {} }],
      indices: [{ index: 'cases-acme', mappings: {} }],
      notes: [{ index: 'cases-acme', field: 'priority', template: 'keyword', live: 'text', needsReindex: true, why: 'a mapped field cannot change its type in place' }],
    }),
  });
  setApiForTests(fake.api);
});

afterEach(() => cleanup());

async function chooseAcme(): Promise<void> {
  fireEvent.click(screen.getByLabelText('Tenant', { selector: 'input' }));
  fireEvent.click(await screen.findByText('Acme Corp · acme'));
}

describe('the MongoDB and Elasticsearch panel', { timeout: 30_000 }, () => {
  it('reads a tenant’s collection with accesses and drift, and hides an index as the step before a drop', async () => {
    renderWithProviders(<DocumentStoresTab workspaceId="murima-dev" hasMongo hasElastic mayChange />);
    await chooseAcme();
    fireEvent.change(await screen.findByLabelText('Collection'), { target: { value: 'ai_results_cache' } });
    fireEvent.click(screen.getByRole('button', { name: 'Read indexes' }));
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-mongo-index="ttl_created"]');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(argsOf('indexes.mongoCollection')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', collection: 'ai_results_cache' }]);
    expect(row.textContent).toContain('{"expireAfterSeconds":3600}');
    expect(screen.getByText('different ttl_created: expireAfterSeconds 3600 instead of 86400')).toBeTruthy();
    // The _id index cannot be hidden, so it is not offered.
    expect(within(document.querySelector<HTMLElement>('[data-mongo-index="_id_"]')!).queryByRole('button')).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Hide ttl_created' }));
    await waitFor(() => expect(row.dataset.hidden).toBe('true'));
    expect(argsOf('indexes.mongoHide')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', collection: 'ai_results_cache', index: 'ttl_created', hidden: true }]);
    // Hidden, it is offered a drop behind its typed name; visible again, the drop goes away.
    fireEvent.click(within(row).getByRole('button', { name: 'Unhide ttl_created' }));
    await waitFor(() => expect(row.dataset.hidden).toBe('false'));
    expect(within(row).queryByRole('button', { name: 'Drop ttl_created' })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Hide ttl_created' }));
    fireEvent.click(await within(row).findByRole('button', { name: 'Drop ttl_created' }));
    const confirm = (await screen.findByRole('button', { name: 'Drop index' })) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Confirmation'), { target: { value: 'ttl_created' } });
    fireEvent.click(confirm);
    await waitFor(() => expect(document.querySelector('[data-mongo-index="ttl_created"]')).toBeNull());
    expect(argsOf('indexes.mongoDrop')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', collection: 'ai_results_cache', index: 'ttl_created', confirmName: 'ttl_created' }]);
    // The create form names the tenant's own collection once it was read.
    expect(screen.getByRole('form', { name: 'Create a MongoDB index' })).toBeTruthy();
    expect(screen.getByText('Create an index on tenant_acme_ai_results_cache')).toBeTruthy();
  });

  it('reads the MongoDB fleet on demand: one row per logical index, usage split by tenant, a shared index said to be one', async () => {
    renderWithProviders(<DocumentStoresTab workspaceId="murima-dev" hasMongo hasElastic={false} mayChange />);
    expect(argsOf('indexes.mongoFleet')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Read the fleet' }));
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-mongo-fleet="case_notes.tenant_id_1_case_id_1"]');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(argsOf('indexes.mongoFleet')).toEqual([{ workspaceId: 'murima-dev' }]);
    expect(row.textContent).toContain('{ tenant_id: 1, case_id: 1 }');
    expect(row.textContent).toContain('used in 2 · never in 28');
    expect(row.textContent).toContain('acme (40), globex (2)');
    expect(row.textContent).toContain('2 keys');
    expect(document.querySelector<HTMLElement>('[data-mongo-fleet="platform_settings.key_1"]')?.textContent).toContain('one index for every tenant');
    expect(screen.getByTestId('mongo-fleet-summary').textContent).toContain('31 collections read, 30 of them tenants’');
  });

  it('says which mapping differences need a reindex', async () => {
    renderWithProviders(<DocumentStoresTab workspaceId="murima-dev" hasMongo={false} hasElastic mayChange={false} />);
    await chooseAcme();
    expect(screen.queryByRole('region', { name: 'MongoDB indexes' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'MongoDB fleet' })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Read mappings' }));
    const note = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-mapping-note="priority"]');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(note.textContent).toContain('needs a reindex');
    expect(note.textContent).toContain('template keyword, live text');
  });
});
