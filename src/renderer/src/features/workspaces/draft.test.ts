import { describe, expect, it } from 'vitest';
import { WorkspaceInput } from '@shared/model/workspace';
import { sampleWorkspace } from '../../test-support/workspaces';
import { draftFromView, draftPatchFromUri, draftToDisplayJson, draftToInput, emptyDraft } from './draft';

describe('the workspace draft', () => {
  it('sends only the stores that are switched on', () => {
    const draft = emptyDraft();
    draft.name = '  Murima local ';
    draft.endpoints.redis.enabled = true;
    const input = draftToInput(draft);
    expect(input.name).toBe('Murima local');
    expect(Object.keys(input.endpoints)).toEqual(['redis']);
    expect(WorkspaceInput.safeParse(input).success).toBe(true);
  });

  it('keeps a stored password by leaving it out, forgets it with null, replaces it with what was typed', () => {
    const draft = draftFromView(sampleWorkspace());
    expect(draftToInput(draft).endpoints.postgres).not.toHaveProperty('password');

    draft.endpoints.postgres.password = { mode: 'clear' };
    expect(draftToInput(draft).endpoints.postgres?.password).toBeNull();

    draft.endpoints.postgres.password = { mode: 'set', value: 's3cret' };
    expect(draftToInput(draft).endpoints.postgres?.password).toBe('s3cret');
  });

  it('round-trips a stored workspace without changing its settings', () => {
    const view = sampleWorkspace();
    const input = draftToInput(draftFromView(view));
    expect(input.endpoints.postgres).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'murima',
      username: 'admin',
      tls: { enabled: true, rejectUnauthorized: true },
      poolSize: 5,
    });
    expect(input.endpoints.redis).toEqual({ host: 'cache.internal', port: 6379, db: 2, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 5 });
  });

  it('leaves empty optional text out and sends an empty port so the server names the field', () => {
    const draft = emptyDraft();
    draft.name = 'x';
    draft.endpoints.mongo.enabled = true;
    draft.endpoints.mongo.customerDatabase = 'acme_customer_dev';
    draft.endpoints.postgres.enabled = true;
    draft.endpoints.postgres.port = '';
    const input = draftToInput(draft);
    expect(input.endpoints.mongo).not.toHaveProperty('username');
    expect(input.endpoints.mongo?.databases).toEqual({ customer: 'acme_customer_dev' });
    const parsed = WorkspaceInput.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(new Set(parsed.error?.issues.map((issue) => issue.path.join('.')))).toEqual(
      new Set(['endpoints.postgres.port', 'endpoints.postgres.database', 'endpoints.postgres.username']),
    );
  });

  it('fills fields and the password from a parsed URI and keeps what the URI does not name', () => {
    const current = draftFromView(sampleWorkspace()).endpoints.postgres;
    const patch = draftPatchFromUri<'postgres'>(current, { host: 'other.internal', port: 6432, tls: { enabled: false } }, 'pw');
    expect(patch).toEqual({ host: 'other.internal', port: 6432, tls: { ...current.tls, enabled: false }, password: { mode: 'set', value: 'pw' } });
  });

  it('sends the TLS files that were given and leaves the empty ones out', () => {
    const draft = draftFromView(sampleWorkspace());
    draft.endpoints.postgres.tls = { ...draft.endpoints.postgres.tls, caFile: '/etc/ssl/ca.pem', certFile: ' /etc/ssl/client.pem ', keyFile: '' };
    expect(draftToInput(draft).endpoints.postgres?.tls).toEqual({
      enabled: true,
      rejectUnauthorized: true,
      caFile: '/etc/ssl/ca.pem',
      certFile: '/etc/ssl/client.pem',
    });
  });

  it('shows JSON with hasPassword and never the typed password', () => {
    const draft = draftFromView(sampleWorkspace());
    draft.endpoints.postgres.password = { mode: 'set', value: 'typed-secret' };
    draft.endpoints.redis.password = { mode: 'clear' };
    const json = draftToDisplayJson(draft);
    expect(json).not.toContain('typed-secret');
    const shown = JSON.parse(json) as { endpoints: Record<string, { hasPassword: boolean }> };
    expect(shown.endpoints.postgres?.hasPassword).toBe(true);
    expect(shown.endpoints.redis?.hasPassword).toBe(false);
  });

  it('shows a stored workspace’s id and times around its settings', () => {
    const view = sampleWorkspace();
    const shown = JSON.parse(draftToDisplayJson(draftFromView(view), view)) as Record<string, unknown>;
    expect(Object.keys(shown)).toEqual(['id', 'name', 'environment', 'preset', 'endpoints', 'createdAt', 'updatedAt']);
    expect(shown.id).toBe('murima-dev');
  });
});
