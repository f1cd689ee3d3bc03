import { describe, expect, it } from 'vitest';
import { system } from '@shared/contract/system';
import { AppError } from '@shared/errors';
import { generateSampleRows, SAMPLE_COLUMNS } from './sample-rows';
import { createSystemService } from './service';

const session = { connectionId: 't', operator: { name: 'operator' }, role: 'platform_admin' as const };

describe('sample rows', () => {
  it('gives the same rows for the same seed and different rows for another seed', async () => {
    const a = await generateSampleRows(50, 7);
    const b = await generateSampleRows(50, 7);
    const c = await generateSampleRows(50, 8);
    expect(a).toEqual(b);
    expect(a.rows).not.toEqual(c.rows);
  });

  it('returns exactly the requested number of rows, one value per column, matching the contract', async () => {
    const result = await generateSampleRows(12_345, 3);
    expect(result.rows).toHaveLength(12_345);
    expect(result.columns).toEqual([...SAMPLE_COLUMNS]);
    for (const row of result.rows) expect(row).toHaveLength(SAMPLE_COLUMNS.length);
    expect(result.rows.map((row) => row[0])).toEqual(Array.from({ length: 12_345 }, (_, i) => i + 1));
    expect(system.methods.sampleRows.result.safeParse(result).success).toBe(true);
  });

  it('produces valid emails, ISO timestamps and two-decimal amounts', async () => {
    const { rows } = await generateSampleRows(200, 11);
    for (const [, tenant, , email, createdAt, amount] of rows) {
      expect(tenant).toMatch(/^[0-9a-f-]{36}$/);
      expect(email).toMatch(/^[^@\s]+@example\.com$/);
      expect(new Date(createdAt as string).toISOString()).toBe(createdAt);
      expect(Math.round((amount as number) * 100)).toBeCloseTo((amount as number) * 100, 6);
    }
  });

  it('stops with cancelled when the signal aborts during a long run', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(generateSampleRows(50_000, 1, controller.signal)).rejects.toSatisfy((e) => AppError.is(e, 'cancelled'));
  });

  it('is served by the system service with seed 1 by default', async () => {
    const service = createSystemService({ version: '0', mode: 'web', dataDir: '/tmp', vault: 'key-file' });
    const context = { signal: new AbortController().signal, session, emit: () => undefined };
    expect(await service.sampleRows({ count: 5 }, context)).toEqual(await generateSampleRows(5, 1));
  });
});
