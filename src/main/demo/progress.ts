/** Where a seeding run is, for a progress bar (CLI) or a job event (app). */
export interface SeedProgress {
  /** `schemas`: every tenant's schema and partitions; `tenants`: their constraints and rows. */
  phase: 'prepare' | 'schemas' | 'tenants' | 'done';
  tenantsDone: number;
  tenantsTotal: number;
  /** Rows, documents and keys written so far, over every store. */
  written: number;
  elapsedMs: number;
}

export interface SeedSummary {
  preset: string;
  tenants: number;
  seed: string;
  /** What was written per store: rows per table, keys, documents. */
  postgres?: { rows: number; tables: Record<string, number> };
  redis?: { keys: number };
  mongo?: { documents: number; collections: number };
  elastic?: { documents: number; indices: number };
  /** Ids of the generated tenants, in order. */
  tenantIds: string[];
  elapsedMs: number;
}
