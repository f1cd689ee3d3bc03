import { availableParallelism } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiClient } from '../../src/shared/contract/client';
import { createConsole } from '../../src/main/core/console';
import { connectInMemory } from '../../src/main/core/in-memory-transport';
import { createSystemService } from '../../src/main/features/system/service';
import { startWebServer } from '../../src/main/server/web-server';
import { connectApi } from '../support/web-client';
import { measureInterleaved, writeReport, type CaseResult } from './harness';

/**
 * How much the transports cost on a 10,000-row result: the service called directly, the router
 * over the in-memory pair (structured clone both ways), and the real web-mode server over a real
 * WebSocket (JSON, loopback TCP, the `ws` client). Also the fixed cost of one small call.
 */
const ROWS = 10_000;
const SEED = 1;
const options = { iterations: 40, warmup: 5, collectGarbage: true };
const pingOptions = { iterations: 500, warmup: 50 };

const dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-bench-'));
const staticDir = await mkdtemp(join(tmpdir(), 'tenantscope-bench-static-'));
await writeFile(join(staticDir, 'index.html'), '<!doctype html>');
const core = await createConsole({ dataDir, mode: 'web', version: 'bench' });
const server = await startWebServer({ core, staticDir });
const session = core.newSession('bench');
const memory = connectInMemory(core.router, session);
const inMemory = createApiClient(memory.transport);
const { api: overSocket } = connectApi(server.origin, server.token);

try {
  const service = createSystemService({ version: 'bench', mode: 'web', dataDir, vault: 'key-file' });
  const context = { signal: new AbortController().signal, session, emit: () => undefined };
  const sample = await service.sampleRows({ count: ROWS, seed: SEED }, context);
  const payloadBytes = Buffer.byteLength(JSON.stringify(sample));

  // The three paths must carry the same rows, or the comparison means nothing.
  const [viaMemory, viaSocket] = await Promise.all([
    inMemory.system.sampleRows({ count: ROWS, seed: SEED }),
    overSocket.system.sampleRows({ count: ROWS, seed: SEED }),
  ]);
  if (JSON.stringify(viaMemory) !== JSON.stringify(sample) || JSON.stringify(viaSocket) !== JSON.stringify(sample)) {
    throw new Error('The transports returned different rows');
  }

  const extra = { rows: ROWS, payloadBytes };
  const rows = { count: ROWS, seed: SEED };
  const cases: CaseResult[] = [
    ...(await measureInterleaved(
      [
        { name: 'sampleRows 10k: service directly', run: () => service.sampleRows(rows, context), extra },
        { name: 'sampleRows 10k: router, in-memory pair', run: () => inMemory.system.sampleRows(rows), extra },
        { name: 'sampleRows 10k: web mode, WebSocket', run: () => overSocket.system.sampleRows(rows), extra },
      ],
      options,
    )),
    ...(await measureInterleaved(
      [
        { name: 'ping: router, in-memory pair', run: () => inMemory.system.ping({ echo: 'x' }) },
        { name: 'ping: web mode, WebSocket', run: () => overSocket.system.ping({ echo: 'x' }) },
      ],
      pingOptions,
    )),
  ];
  const [direct, memoryCase, socketCase] = cases as [CaseResult, CaseResult, CaseResult];
  const ratio = (a: CaseResult, b: CaseResult, key: 'medianMs' | 'minMs' | 'cpuMedianMs' = 'medianMs'): number =>
    Math.round(((a[key] ?? Number.NaN) / (b[key] ?? Number.NaN)) * 100) / 100;
  const path = await writeReport({
    bench: 'transport',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: availableParallelism() },
    cases,
    summary: {
      'web socket / direct (median)': ratio(socketCase, direct),
      'web socket / direct (min)': ratio(socketCase, direct, 'minMs'),
      'web socket / direct (median CPU time)': ratio(socketCase, direct, 'cpuMedianMs'),
      'in-memory router / direct (median CPU time)': ratio(memoryCase, direct, 'cpuMedianMs'),
      'in-memory router / direct (median)': ratio(memoryCase, direct),
      'web socket overhead per 10k rows (ms, median)': Math.round((socketCase.medianMs - direct.medianMs) * 100) / 100,
      payloadBytes,
    },
  });
  console.log(`transport: wrote ${path}`);
} finally {
  memory.close();
  await server.close();
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(staticDir, { recursive: true, force: true });
}
