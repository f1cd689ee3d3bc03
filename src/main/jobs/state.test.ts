import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { JOB_STATES, isFinalJobState, type JobState } from '@shared/model/job';
import { assertMove, canMove } from './state';

const allowed: Array<[JobState, JobState]> = [
  ['queued', 'running'],
  ['queued', 'cancelled'],
  ['queued', 'failed'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'cancelled'],
];

describe('the job state machine', () => {
  it.each(allowed)('moves %s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(true);
    expect(() => assertMove('job_x', from, to)).not.toThrow();
  });

  const refused = JOB_STATES.flatMap((from) => JOB_STATES.map((to) => [from, to] as [JobState, JobState])).filter(
    ([from, to]) => !allowed.some(([a, b]) => a === from && b === to),
  );

  it.each(refused)('refuses %s → %s with conflict', (from, to) => {
    expect(canMove(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertMove('job_x', from, to);
    } catch (error) {
      thrown = error;
    }
    expect(AppError.is(thrown, 'conflict')).toBe(true);
  });

  it('has no way out of a final state and only the final states are final', () => {
    for (const state of JOB_STATES) {
      const outs = JOB_STATES.filter((to) => canMove(state, to));
      expect(isFinalJobState(state)).toBe(outs.length === 0);
    }
    expect(JOB_STATES.filter(isFinalJobState)).toEqual(['succeeded', 'failed', 'cancelled']);
  });
});
