import { appendFile, mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisePlan } from '@shared/explain';
import { postgresFixture } from '@shared/explain/fixtures.test-support';
import { FleetPlans, fleetPlanId, isFleetPlanId } from './fleet-plans';

const job = (n: number): string => `job_${String(n).padStart(20, 'J')}`;
const tenant = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function keep(recorder: Awaited<ReturnType<FleetPlans['begin']>>, position: number, fixture: 'seqScan' | 'indexScan'): string {
  const raw = postgresFixture(fixture);
  return recorder.add(position, normalisePlan(raw, 'postgres'), {
    raw,
    advice: { tenantKey: 'tenant_id' },
    record: {
      operator: 'Ada', tenantId: tenant(position), engine: 'postgres', statement: 'select 1', fingerprint: 'select ?',
      analyzed: true, totalTimeMs: 1, planningTimeMs: 0.1, headline: fixture,
    },
  });
}

describe('fleet plans on disk', () => {
  it('names a fleet plan by its job and the tenant’s position, apart from single plans', () => {
    const id = fleetPlanId(job(1), 12);
    expect(id).toBe(`plan_f${job(1).slice(4)}_12`);
    expect(isFleetPlanId(id)).toBe(true);
    expect(isFleetPlanId('plan_AbCdEfGhIjKlMnOp')).toBe(false);
  });

  it('rebuilds the grouping of a fleet a crash cut short from its lines, skipping a torn last line', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-fleet-plans-'));
    const fleets = new FleetPlans(directory);
    const recorder = await fleets.begin('w', job(1));
    keep(recorder, 0, 'indexScan');
    keep(recorder, 1, 'indexScan');
    const odd = keep(recorder, 2, 'seqScan');
    recorder.fail(3, tenant(3), 'timeout', 'The EXPLAIN took too long.');
    // No finish: the lines reach the file in the background, then the console dies mid-line.
    const file = join(directory, 'w', 'fleet', `${job(1)}.jsonl`);
    while ((await new FleetPlans(directory).grouping('w', job(1)))?.failed.length !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await appendFile(file, '{"type":"plan","position":4,"kept":{"ver');

    const grouping = await new FleetPlans(directory).grouping('w', job(1));
    expect(grouping?.tenantsExplained).toBe(3);
    expect(grouping?.groups.map((g) => [g.tenantIds.length, g.differsFromMost])).toEqual([[2, false], [1, true]]);
    expect(grouping?.groups[1]?.planId).toBe(odd);
    expect(grouping?.failed).toEqual([{ tenantId: tenant(3), code: 'timeout', message: 'The EXPLAIN took too long.' }]);
    expect((await new FleetPlans(directory).read('w', odd)).record.tenantId).toBe(tenant(2));
    await expect(new FleetPlans(directory).read('w', fleetPlanId(job(1), 4))).rejects.toMatchObject({ code: 'not_found' });
    await expect(new FleetPlans(directory).read('w', fleetPlanId(job(2), 0))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the files of the last fleets only', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-fleet-plans-'));
    const fleets = new FleetPlans(directory, { keep: 2 });
    for (const n of [1, 2, 3]) {
      const recorder = await fleets.begin('w', job(n));
      keep(recorder, 0, 'indexScan');
      await recorder.finish();
      // Older fleets look older on disk, whatever the file system's clock resolution.
      const at = new Date(Date.UTC(2026, 0, n));
      for (const name of [`${job(n)}.jsonl`, `${job(n)}.result.json`]) await utimes(join(directory, 'w', 'fleet', name), at, at);
    }
    expect((await readdir(join(directory, 'w', 'fleet'))).sort()).toEqual([`${job(2)}.jsonl`, `${job(2)}.result.json`, `${job(3)}.jsonl`, `${job(3)}.result.json`]);
    expect(await new FleetPlans(directory).grouping('w', job(1))).toBeUndefined();
    expect((await new FleetPlans(directory).grouping('w', job(3)))?.tenantsExplained).toBe(1);
  });
});
