import type { JobState, JobSummary } from '@shared/model/job';

/** A job time as a list shows it: the local time, and the date when it is not today. */
export function formatJobTime(iso: string | undefined, now = new Date()): string {
  if (!iso) return '—';
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString()} ${time}`;
}

export const STATE_COLORS: Record<JobState, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'orange',
};

/** "3 of 10 · sleeping: step 4 of 10", or the phase alone while the total is unknown. */
export function progressLabel(job: JobSummary): string {
  const { done, total, phase } = job.progress;
  const count = total === null ? `${done}` : `${done} of ${total}`;
  return phase ? `${count} · ${phase}` : count;
}
