import type { AuditEntryDraft } from '@shared/model/audit';
import type { PersistedJob } from './job-files';

/**
 * The one audit entry of a finished job, in its workspace's journal: action `jobs.<kind>` (the
 * viewer's `jobs.` prefix finds them all), who started it, the tenants it touched, and its outcome
 * (`allowed` for a job that succeeded, `failed` for one that failed or was cancelled, the state in
 * the details), and the reason or unlock the call that started it was allowed on.
 */
export function auditDraftOf(job: PersistedJob): AuditEntryDraft {
  const details: Record<string, NonNullable<AuditEntryDraft['details']>[string]> = {
    jobId: job.id,
    kind: job.kind,
    state: job.state,
    store: job.store,
    params: job.params,
    progress: { ...job.progress },
    createdAt: job.createdAt,
  };
  if (job.startedAt) details.startedAt = job.startedAt;
  if (job.finishedAt) details.finishedAt = job.finishedAt;
  if (job.cancelRequestedAt) details.cancelRequestedAt = job.cancelRequestedAt;
  if (job.failure) details.failure = { ...job.failure };
  if (job.result) details.result = job.result;
  return {
    operator: job.operator,
    role: job.role,
    tenantIds: job.tenantIds,
    action: `jobs.${job.kind}`,
    target: `${job.id} · ${job.title}`.slice(0, 1000),
    justification: job.justification ?? null,
    outcome: job.state === 'succeeded' ? 'allowed' : 'failed',
    details,
  };
}
