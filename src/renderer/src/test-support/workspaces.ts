import type { WorkspaceView } from '@shared/model/workspace';

/** A workspace as the server returns it, with PostgreSQL and Redis configured and passwords stored. */
export function sampleWorkspace(overrides: Partial<WorkspaceView> = {}): WorkspaceView {
  return {
    id: 'murima-dev',
    name: 'Murima dev',
    environment: 'dev',
    preset: 'murima2025',
    endpoints: {
      postgres: {
        host: 'db.internal',
        port: 5432,
        database: 'murima',
        username: 'admin',
        tls: { enabled: true, rejectUnauthorized: true },
        poolSize: 5,
        hasPassword: true,
      },
      redis: { host: 'cache.internal', port: 6379, db: 2, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 5, hasPassword: true },
    },
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...overrides,
  };
}
