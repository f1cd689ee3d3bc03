// The jobs room's public face: the manager, the kind interface, the per-store slots, the demo kinds and the service.
export { JobManager } from './job-manager';
export { JOB_DEFAULTS, type JobEmit, type JobManagerOptions, type StartRequest } from './manager-options';
export type { JobContext, JobKind, JobResult } from './kind';
export { DEFAULT_STORE_LIMITS, StoreSlots, type SlotKey } from './store-slots';
export { demoSleepKind, demoTenantSweepKind, jobTag, type DemoPostgres, type PostgresOf } from './demo-kinds';
export { createJobsService, type JobsService } from './service';
