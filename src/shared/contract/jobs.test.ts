import { describe, expect, it } from 'vitest';
import { methodSpec } from './index';

const start = methodSpec('jobs.start').args;
const get = methodSpec('jobs.get').args;

describe('the jobs contract refuses hostile arguments before any service sees them', () => {
  it.each([
    ['an unknown kind', { workspaceId: 'demo', job: { kind: 'backups.restore', params: {} } }],
    ['a kind with a path in it', { workspaceId: 'demo', job: { kind: '../demo.sleep', params: {} } }],
    ['too many steps', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: { steps: 1_000_000 } } }],
    ['a negative sleep', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: { secondsPerStep: -1 } } }],
    ['an infinite sleep', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: { secondsPerStep: Infinity } } }],
    ['SQL as a number', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: { secondsPerStep: '1); drop schema public; --' } } }],
    ['an extra parameter', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: { steps: 1, sql: 'select 1' } } }],
    ['another kind’s parameters', { workspaceId: 'demo', job: { kind: 'demo.tenant-sweep', params: { steps: 3 } } }],
    ['a hostile workspace id', { workspaceId: 'x"; drop schema public; --', job: { kind: 'demo.sleep', params: {} } }],
    ['an extra argument', { workspaceId: 'demo', job: { kind: 'demo.sleep', params: {} }, operator: 'root' }],
  ])('start with %s', (_what, args) => {
    expect(start.safeParse(args).success).toBe(false);
  });

  it.each(['job_../../../../etc/passwd', 'job_short', '../job_aaaaaaaaaaaaaaaaaaaa', 'job_aaaaaaaaaaaaaaaaaaaa.json', ''])('a job id %j', (jobId) => {
    expect(get.safeParse({ workspaceId: 'demo', jobId }).success).toBe(false);
  });

  it('fills the demo kinds’ defaults', () => {
    expect(start.parse({ workspaceId: 'demo', job: { kind: 'demo.sleep' } })).toEqual({
      workspaceId: 'demo',
      job: { kind: 'demo.sleep', params: { steps: 10, secondsPerStep: 1 } },
    });
    expect(start.parse({ workspaceId: 'demo', job: { kind: 'demo.tenant-sweep', params: { secondsPerTenant: 0 } } })).toEqual({
      workspaceId: 'demo',
      job: { kind: 'demo.tenant-sweep', params: { secondsPerTenant: 0, maxTenants: 1000 } },
    });
  });
});
