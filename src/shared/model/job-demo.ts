import { z } from 'zod';

/**
 * The job kinds the jobs room can start by itself, to show and test how jobs run. Real long work
 * (index builds, backups…) is started by its own feature's methods, under that feature's access class.
 */

/** `pg_sleep` on the workspace's PostgreSQL, one statement per step, so cancel has server work to stop. */
export const DemoSleepParams = z
  .object({
    steps: z.number().int().min(1).max(500).default(10),
    secondsPerStep: z.number().min(0).max(60).default(1),
  })
  .strict();
export type DemoSleepParams = z.infer<typeof DemoSleepParams>;

/**
 * One step per tenant schema (`tenant_%`): counts its tables and sleeps a while in the same
 * statement, as fan-out work over every tenant will.
 */
export const DemoTenantSweepParams = z
  .object({
    secondsPerTenant: z.number().min(0).max(30).default(0.5),
    maxTenants: z.number().int().min(1).max(10_000).default(1_000),
  })
  .strict();
export type DemoTenantSweepParams = z.infer<typeof DemoTenantSweepParams>;

export const DEMO_JOB_KINDS = ['demo.sleep', 'demo.tenant-sweep'] as const;
export type DemoJobKind = (typeof DEMO_JOB_KINDS)[number];
