import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { AuditEntry, AuditSink } from '@shared/model/audit';
import { AuditJournal } from './journal';
import { AuditShipper, cursorFileOf, readShipCursor } from './shipper';

/** An admin store in memory that keeps entries by seq, as the real sinks do, and can be taken down. */
class MemorySink implements AuditSink {
  readonly stored = new Map<number, AuditEntry>();
  readonly calls: number[][] = [];
  down = false;
  async ship(entries: readonly AuditEntry[]): Promise<void> {
    if (this.down) throw new AppError('unreachable', 'admin store is down');
    this.calls.push(entries.map((e) => e.seq));
    for (const entry of entries) {
      const existing = this.stored.get(entry.seq);
      if (existing && existing.hash !== entry.hash) throw new AppError('conflict', `different entry ${entry.seq}`);
      if (!existing) this.stored.set(entry.seq, entry);
    }
  }
}

let dir: string;
let file: string;
let journal: AuditJournal;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-ship-'));
  file = join(dir, 'dev.jsonl');
  journal = await AuditJournal.open({ file, workspaceId: 'dev' });
});
afterEach(async () => {
  await journal.close();
  await rm(dir, { recursive: true, force: true });
});

async function appendMany(count: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let n = 0; n < count; n += 1) {
    out.push(await journal.append({ operator: { name: 'Dee' }, role: 'dba', action: 'indexes.create', outcome: 'allowed', details: { n } }));
  }
  return out;
}

describe('AuditShipper', () => {
  it('ships every entry in seq order, in batches, and persists the cursor', async () => {
    const sink = new MemorySink();
    const written = await appendMany(7);
    const shipper = await AuditShipper.open({ file, sink, batchSize: 3 });
    expect(await shipper.shipPending()).toBe(7);
    expect(sink.calls).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await readShipCursor(cursorFileOf(file))).toMatchObject({ seq: 7, hash: written[6]?.hash });
    const again = await AuditShipper.open({ file, sink });
    expect(await again.shipPending()).toBe(0);
    expect(sink.calls).toHaveLength(3);
  });

  it('keeps entries while the sink is down and ships them once it is back, retrying with growing delays', async () => {
    const sink = new MemorySink();
    sink.down = true;
    const delays: number[] = [];
    const shipper = await AuditShipper.open({
      file,
      sink,
      backoff: { initialMs: 5, maxMs: 40, factor: 2 },
      onRetry: (_error, _attempt, delayMs) => delays.push(delayMs),
    });
    journal.onAppend(() => shipper.notify());
    shipper.start();
    const written = await appendMany(20);
    while (delays.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(shipper.status()).toMatchObject({ shippedSeq: 0, lastError: 'admin store is down' });
    expect(sink.stored.size).toBe(0);
    sink.down = false;
    await shipper.whenShipped(20);
    await shipper.stop();
    expect([...sink.stored.keys()]).toEqual(written.map((e) => e.seq));
    expect(sink.calls.flat()).toEqual(written.map((e) => e.seq));
    // 5, 10, 20, 40, 40 ms with up to a quarter taken off as jitter.
    expect(delays[0]).toBeLessThanOrEqual(5);
    expect(delays[3]).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40);
  });

  it('leaves a torn last line alone until the journal has been reopened and repaired', async () => {
    const sink = new MemorySink();
    await appendMany(2);
    await appendFile(file, '{"seq":3,"act');
    const shipper = await AuditShipper.open({ file, sink });
    expect(await shipper.shipPending()).toBe(2);
    await journal.close();
    journal = await AuditJournal.open({ file, workspaceId: 'dev' });
    expect(await shipper.shipPending()).toBe(1);
    expect(sink.stored.get(3)?.action).toBe('audit.journal_recovered');
  });

  it('halts instead of shipping a journal that does not continue from its cursor', async () => {
    const sink = new MemorySink();
    await appendMany(3);
    const shipper = await AuditShipper.open({ file, sink });
    await shipper.shipPending();
    const lines = (await readFile(file, 'utf8')).split('\n');
    await appendFile(file, `${lines[1]}\n`);
    await expect(shipper.shipPending()).rejects.toSatisfy((error: unknown) => AppError.is(error, 'conflict'));
    shipper.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shipper.status().state).toBe('halted');
    await shipper.stop();
    expect(sink.stored.size).toBe(3);
  });

  it('halts when the journal was cut below what was already shipped', async () => {
    const sink = new MemorySink();
    await appendMany(3);
    const shipper = await AuditShipper.open({ file, sink });
    await shipper.shipPending();
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines[0]}\n`);
    await expect(shipper.shipPending()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('shorter than what was already shipped') });
  });
});
