import { describe, expect, it } from 'vitest';
import { interruptedFailure } from './failures';
import { isOrphaned } from './recovery';

const self = { pid: 4242, bootId: 'now' };

describe('which unfinished jobs a start-up marks failed', () => {
  it('takes over jobs of an earlier start of this console and of processes that are gone', () => {
    expect(isOrphaned({ pid: 4242, bootId: 'before' }, self, () => true)).toBe(true);
    expect(isOrphaned({ pid: 99, bootId: 'before' }, self, () => false)).toBe(true);
  });

  it('leaves its own jobs and those of another console still running on the same data directory', () => {
    expect(isOrphaned({ pid: 4242, bootId: 'now' }, self, () => false)).toBe(false);
    expect(isOrphaned({ pid: 99, bootId: 'other' }, self, () => true)).toBe(false);
  });

  it('says whether the job never ran or did not finish', () => {
    expect(interruptedFailure('queued', 'crashed')).toEqual({
      code: 'interrupted',
      message: "The console stopped (it crashed or was killed) before this job's turn came; it never ran.",
    });
    expect(interruptedFailure('running', 'closed').message).toMatch(/^The console was closed while this job was running/);
  });
});
