// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { JobSummary } from '@shared/model/job';
import { setApiForTests } from '../../api';
import { resetAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { EMPTY_MONGO_INDEX_FORM, compactJson, defaultMongoIndexName, mongoSpecOf, moveKey, type MongoIndexForm } from './mongo-index-form';
import { MongoCreateIndexForm } from './MongoCreateIndexForm';

const form = (over: Partial<MongoIndexForm>): MongoIndexForm => ({ ...EMPTY_MONGO_INDEX_FORM, ...over });

describe('the MongoDB index form’s rules', () => {
  it('names the index as MongoDB would and keeps the key order as the rows are moved', () => {
    const keys = [{ field: 'tenant_id', kind: '1' as const }, { field: 'created_at', kind: '-1' as const }];
    expect(defaultMongoIndexName(keys)).toBe('tenant_id_1_created_at_-1');
    expect(moveKey(keys, 1, -1).map((k) => k.field)).toEqual(['created_at', 'tenant_id']);
    expect(moveKey(keys, 0, -1)).toEqual(keys);
    expect(mongoSpecOf(form({ keys })).spec).toEqual({ name: 'tenant_id_1_created_at_-1', key: [['tenant_id', 1], ['created_at', -1]] });
  });

  it('refuses what MongoDB would refuse, field by field', () => {
    const errorsOf = (over: Partial<MongoIndexForm>) => mongoSpecOf(form({ keys: [{ field: 'a', kind: '1' }], ...over })).errors;
    expect(mongoSpecOf(form({})).errors).toEqual({ keys: 'at least one field' });
    expect(errorsOf({ keys: [{ field: '$where', kind: '1' }] })).toEqual({ keys: 'a field path cannot start with $' });
    expect(errorsOf({ keys: [{ field: 'a', kind: '1' }, { field: 'a', kind: '-1' }] })).toEqual({ keys: 'each field once' });
    expect(errorsOf({ keys: [{ field: 'a', kind: 'hashed' }], unique: true })).toEqual({ unique: 'a hashed index cannot be unique' });
    expect(errorsOf({ partialFilter: '{ status: 1 }' }).partialFilter).toMatch(/^not JSON/);
    expect(errorsOf({ partialFilter: '[1]' }).partialFilter).toMatch(/^a JSON object/);
    expect(errorsOf({ ttlSeconds: '1.5' })).toEqual({ ttlSeconds: 'whole seconds, 0 to 2147483647' });
    expect(errorsOf({ ttlSeconds: '60', keys: [{ field: 'a', kind: '1' }, { field: 'b', kind: '1' }] }).ttlSeconds).toMatch(/exactly one/);
    expect(errorsOf({ weights: '{ "a": 3 }' })).toEqual({ weights: 'weights belong to a text index: give a field the kind text' });
    expect(errorsOf({ keys: [{ field: 'a', kind: 'text' }], weights: '{ "a": 0 }' })).toEqual({ weights: 'each weight a whole number from 1 to 99999' });
    expect(errorsOf({ defaultLanguage: 'english' })).toEqual({ defaultLanguage: 'a default language belongs to a text index' });
    expect(errorsOf({ collationStrength: '2' })).toEqual({ collation: 'a collation needs its locale' });
    expect(errorsOf({ name: 'x'.repeat(121) })).toEqual({ name: expect.any(String) });
  });

  it('builds every option the contract takes', () => {
    expect(
      mongoSpecOf(
        form({
          name: 'by_title',
          keys: [{ field: 'tenant_id', kind: '1' }, { field: 'title', kind: 'text' }],
          unique: true,
          hidden: true,
          partialFilter: '{ "status": { "$exists": true } }',
          weights: '{ "title": 7 }',
          defaultLanguage: 'english',
          collationLocale: 'en',
          collationStrength: '2',
        }),
      ).spec,
    ).toEqual({
      name: 'by_title',
      key: [['tenant_id', 1], ['title', 'text']],
      unique: true,
      hidden: true,
      partialFilterExpression: { status: { $exists: true } },
      weights: { title: 7 },
      defaultLanguage: 'english',
      collation: { locale: 'en', strength: 2 },
    });
    expect(mongoSpecOf(form({ keys: [{ field: 'expires_at', kind: '1' }], ttlSeconds: '86400' })).spec).toMatchObject({ expireAfterSeconds: 86_400 });
  });

  it('prints the command short: what fits on a line stays on it, and it still parses back to the same command', () => {
    const command = { createIndexes: 'tenant_acme_case_notes', indexes: [{ key: { tenant_id: 1, status: -1 }, name: 'tenant_id_1_status_-1', partialFilterExpression: { status: { $exists: true } } }] };
    const text = compactJson(command);
    expect(JSON.parse(text)).toEqual(command);
    expect(text.split('\n')).toContain('      "key": { "tenant_id": 1, "status": -1 },');
    expect(compactJson({ a: [1, 2] })).toBe('{ "a": [1, 2] }');
    // Strings are written exactly as JSON writes them, brackets and spaces included.
    expect(JSON.parse(compactJson({ f: { title: '[ x ] { y }\n' } }))).toEqual({ f: { title: '[ x ] { y }\n' } });
  });
});

let fake: FakeApi;
const started: JobSummary = {
  id: 'job_MONGOBUILDMONGOBUILDM',
  kind: 'indexes.mongo-build',
  workspaceId: 'murima-dev',
  store: 'mongo',
  title: 'Build by_status on ai_results_cache in tenant acme',
  tenantIds: ['acme'],
  state: 'queued',
  operator: { name: 'Ada' },
  role: 'platform_admin',
  params: {},
  createdAt: '2026-12-03T02:00:00.000Z',
  progress: { done: 0, total: null, phase: 'queued' },
} as JobSummary;

beforeEach(() => {
  resetAppStore();
  installLayoutShims();
  fake = createFakeApi({ 'indexes.mongoBuild': () => started });
  setApiForTests(fake.api);
});
afterEach(() => cleanup());

describe('the MongoDB create-index form', { timeout: 30_000 }, () => {
  it('shows the createIndexes command as it is typed, marks what is wrong, and starts the build as a job', async () => {
    const onStarted: JobSummary[] = [];
    renderWithProviders(
      <MongoCreateIndexForm workspaceId="murima-dev" tenantId="acme" collection="ai_results_cache" physicalCollection="tenant_acme_ai_results_cache" onStarted={(job) => onStarted.push(job)} />,
    );
    const preview = () => screen.getByTestId('mongo-command-preview').textContent ?? '';
    const build = () => screen.getByRole('button', { name: 'Build as a job' }) as HTMLButtonElement;
    expect(preview()).toBe('Name a field to see the createIndexes command.');
    expect(build().disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Field 1'), { target: { value: 'tenant_id' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a field' }));
    fireEvent.change(screen.getByLabelText('Field 2'), { target: { value: 'status' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move field 2 up' }));
    expect(JSON.parse(preview())).toEqual({ createIndexes: 'tenant_acme_ai_results_cache', indexes: [{ key: { status: 1, tenant_id: 1 }, name: 'status_1_tenant_id_1' }] });
    expect(Object.keys((JSON.parse(preview()) as { indexes: Array<{ key: object }> }).indexes[0]!.key)).toEqual(['status', 'tenant_id']);

    // A TTL on two fields is refused before anything is sent.
    fireEvent.change(screen.getByLabelText('TTL (seconds)'), { target: { value: '3600' } });
    expect(screen.getByText('a TTL index has exactly one ascending or descending field (a date)')).toBeTruthy();
    expect(preview()).toBe('Not yet a valid index: see the fields marked above.');
    expect(build().disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('TTL (seconds)'), { target: { value: '' } });

    fireEvent.change(screen.getByLabelText('Index name'), { target: { value: 'by_status' } });
    fireEvent.click(screen.getByLabelText('Unique'));
    fireEvent.click(screen.getByLabelText('Hidden'));
    fireEvent.change(screen.getByLabelText('Partial filter (JSON)'), { target: { value: '{ "status": { "$exists": true } }' } });
    fireEvent.change(screen.getByLabelText('Collation locale'), { target: { value: 'en' } });
    expect(JSON.parse(preview())).toEqual({
      createIndexes: 'tenant_acme_ai_results_cache',
      indexes: [{ key: { status: 1, tenant_id: 1 }, name: 'by_status', unique: true, partialFilterExpression: { status: { $exists: true } }, collation: { locale: 'en' }, hidden: true }],
    });
    fireEvent.click(build());
    await waitFor(() => expect(onStarted).toEqual([started]));
    const sent = fake.calls.filter((c) => c.method === 'indexes.mongoBuild').map((c) => c.args as MethodArgs<'indexes.mongoBuild'>);
    expect(sent).toEqual([
      {
        workspaceId: 'murima-dev',
        tenantId: 'acme',
        collection: 'ai_results_cache',
        index: { name: 'by_status', key: [['status', 1], ['tenant_id', 1]], unique: true, partialFilterExpression: { status: { $exists: true } }, collation: { locale: 'en' }, hidden: true },
      },
    ]);
  });

  it('offers weights and a language only to a text index', async () => {
    renderWithProviders(<MongoCreateIndexForm workspaceId="murima-dev" tenantId="acme" collection="case_notes" physicalCollection={null} onStarted={() => undefined} />);
    const weights = screen.getByLabelText('Text weights') as HTMLInputElement;
    expect(weights.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Field 1'), { target: { value: 'content' } });
    fireEvent.click(screen.getByLabelText('Kind 1', { selector: 'input' }));
    fireEvent.click(await screen.findByRole('option', { name: 'text' }));
    expect(weights.disabled).toBe(false);
    fireEvent.change(weights, { target: { value: '{ "content": 5 }' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'english' } });
    const command = JSON.parse(screen.getByTestId('mongo-command-preview').textContent ?? '') as { createIndexes: string; indexes: unknown[] };
    // Before the collection is read, the command names it as typed.
    expect(command).toEqual({ createIndexes: 'case_notes', indexes: [{ key: { content: 'text' }, name: 'content_text', weights: { content: 5 }, default_language: 'english' }] });
    expect(within(screen.getByRole('form', { name: 'Create a MongoDB index' })).getByRole('button', { name: 'Build as a job' })).toHaveProperty('disabled', false);
  });
});
