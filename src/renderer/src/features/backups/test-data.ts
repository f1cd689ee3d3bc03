import type { BundleEntry } from '@shared/contract/backups';
import type { BundleManifest } from '@shared/model/backup';
import type { JobSummary } from '@shared/model/job';

export const ACME = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
export const GLOBEX = '7a9d0c11-2b3e-4f50-8a61-1c2d3e4f5a6b';

const digest = (pair: string): string => pair.repeat(32);

/** A catalog entry as main lists it; complete, not held, never verified unless told. */
export function entry(overrides: Partial<BundleEntry> & Pick<BundleEntry, 'bundleId'>): BundleEntry {
  return {
    tenantId: ACME,
    status: 'complete',
    stores: ['postgres', 'redis'],
    startedAt: '2026-12-01T02:00:00.000Z',
    endedAt: '2026-12-01T02:01:05.000Z',
    sizeBytes: 2_400_000,
    operator: 'Dana DBA',
    justification: 'SUP-88: before the data fix',
    totals: { postgres: 1250, redis: 40 },
    legalHold: null,
    verification: null,
    problem: null,
    ...overrides,
  };
}

export const OLDER = `20261201T020000Z-${ACME}-a1b2`;
export const NEWER = `20261202T090000Z-${ACME}-c3d4`;
export const HELD = `20261120T080000Z-${GLOBEX}-e5f6`;
export const BROKEN = `20261202T100000Z-${GLOBEX}-0f0f`;

/** Four bundles in no particular order: what the catalog answers. */
export const CATALOG: BundleEntry[] = [
  entry({ bundleId: OLDER, status: 'verified', verification: { at: '2026-12-01T03:00:00.000Z', jobId: 'job_VERIFYVERIFYVERIFYVE', ok: true, problems: [] } }),
  entry({
    bundleId: HELD,
    tenantId: GLOBEX,
    startedAt: '2026-11-20T08:00:00.000Z',
    endedAt: '2026-11-20T08:02:00.000Z',
    legalHold: { reason: 'LEGAL-7: litigation hold', at: '2026-11-21T08:00:00.000Z', operator: 'Ada Admin' },
  }),
  entry({ bundleId: NEWER, startedAt: '2026-12-02T09:00:00.000Z', endedAt: '2026-12-02T09:00:40.000Z', status: 'verify_failed', verification: { at: '2026-12-02T10:00:00.000Z', jobId: 'job_VERIFYFAILEDVERIFYF', ok: false, problems: ['postgres/tenant.dump: sha256 differs'] } }),
  entry({ bundleId: BROKEN, tenantId: GLOBEX, status: 'incomplete', startedAt: '2026-12-02T10:00:00.000Z', endedAt: null, operator: null, justification: null, totals: {}, problem: 'no manifest.json: the backup did not finish' }),
];

export function manifest(bundleId: string): BundleManifest {
  return {
    formatVersion: 1,
    bundleId,
    workspaceId: 'murima-dev',
    workspaceName: 'Murima dev',
    environment: 'dev',
    tenantId: ACME,
    preset: 'murima2025',
    stores: ['postgres', 'redis'],
    parts: [
      {
        store: 'postgres',
        startedAt: '2026-12-01T02:00:00.000Z',
        endedAt: '2026-12-01T02:00:50.000Z',
        format: 'pg_dump custom',
        server: { version: '15.8' },
        tool: { name: 'pg_dump', version: '15.8' },
        counts: { cases: 1000, users: 250 },
        files: [{ path: 'postgres/tenant.dump', bytes: 2_300_000, sha256: digest('ab') }],
        details: { schema: 'tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f' },
      },
      {
        store: 'redis',
        startedAt: '2026-12-01T02:00:50.000Z',
        endedAt: '2026-12-01T02:01:05.000Z',
        format: 'redis dump+pttl',
        server: { version: '7.2.4' },
        counts: { session: 30, cache: 10 },
        files: [{ path: 'redis/keys.jsonl.gz', bytes: 90_000, sha256: digest('cd') }],
        details: {},
      },
    ],
    startedAt: '2026-12-01T02:00:00.000Z',
    endedAt: '2026-12-01T02:01:05.000Z',
    operator: { id: 'dana', name: 'Dana DBA', role: 'dba' },
    justification: 'SUP-88: before the data fix',
    jobId: 'job_BUNDLEBUNDLEBUNDLEBU',
  };
}

export function job(overrides: Partial<JobSummary> & Pick<JobSummary, 'id' | 'kind' | 'title'>): JobSummary {
  return {
    workspaceId: 'murima-dev',
    store: 'postgres',
    tenantIds: [ACME],
    state: 'queued',
    operator: { name: 'Dana DBA' },
    role: 'dba',
    params: {},
    createdAt: '2026-12-02T11:00:00.000Z',
    progress: { done: 0, total: null, phase: 'queued' },
    ...overrides,
  };
}
