import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { connectInMemory } from '../../src/main/core/in-memory-transport';
import { startWebServer, type WebServer } from '../../src/main/server/web-server';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { PostgresEndpoint } from '../../src/shared/model/workspace';
import { presetByName, scopeFor } from '../../src/shared/tenancy';
import { createApiClient } from '../../src/shared/contract/client';
import { startPostgres } from '../support/postgres-server';
import { measureInterleaved, summarize, writeReport, type CaseResult } from './harness';

/**
 * The workbench against the raw driver, in one run:
 * - rows per second from PostgreSQL through web mode (router, WebSocket, a client process that
 *   decodes every batch) against a raw `pg` cursor reading the same rows as text;
 * - how long a batch takes from leaving the server to arriving at the client;
 * - main's peak RSS over idle while a million rows stream to a client and to a CSV file;
 * - a fan-out over 1,000 tenant schemas against a raw loop with the same concurrency.
 */
const ROWS = 1_000_000;
const TENANTS = 1_000;
const CONCURRENCY = 4;
const ITERATIONS = 3;
const TENANT_ID = '0a1b2c3d-0000-4000-8000-000000000001';
const tenantOf = (n: number): string => `0a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const schemaOf = (tenantId: string): string => `tenant_${tenantId.replaceAll('-', '_')}`;
const QUERY = `select g as id, md5(g::text) as digest, g % 100 as bucket, now() as at from generate_series(1, ${ROWS}) g`;
const FAN_OUT_QUERY = 'select id, note from items order by id';
const PG_TEXT = { getTypeParser: () => (value: string) => value };

/**
 * The client as a process of its own, so main's memory is main's alone: it opens the API socket,
 * runs one call and decodes every message, then prints rows, first-batch arrival and its own time.
 */
const CLIENT = String.raw`
const WebSocket = require('ws');
const [origin, token, method, args] = process.argv.slice(1);
const socket = new WebSocket(origin.replace(/^http/, 'ws') + '/api', { origin, headers: { authorization: 'Bearer ' + token } });
let rows = 0, firstAt = 0;
socket.on('open', () => socket.send(JSON.stringify({ kind: 'call', callId: 'c1', method, args: JSON.parse(args) })));
socket.on('message', (data) => {
  const message = JSON.parse(data.toString());
  if (message.kind === 'event' && message.name === 'workbench.batch') {
    if (message.payload.seq === 0) firstAt = performance.timeOrigin + performance.now();
    rows += message.payload.rows;
    // Decode the batch as the grid would: every cell of every column.
    for (const column of message.payload.values) for (let i = 0; i < column.length; i++) void column[i];
  } else if (message.kind === 'result' && message.callId === 'c1') {
    process.stdout.write(JSON.stringify({ ok: message.ok, error: message.error, rows, firstAt }) + '\n');
    socket.close();
  }
});
`;

function runClient(server: WebServer, method: string, args: unknown): Promise<{ rows: number; firstAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, server.origin, server.token, method, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const answer = JSON.parse(out || '{}') as { ok?: boolean; error?: unknown; rows: number; firstAt: number };
      if (!answer.ok) reject(new Error(`${method} failed: ${JSON.stringify(answer.error)}`));
      else resolve(answer);
    });
  });
}

/** Main's resident memory sampled every 20 ms while `work` runs; the peak over what it was before. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; idleMb: number; peakMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    return { result, idleMb: Math.round(idle / 1e6), peakMb: Math.round((peak - idle) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

/** The raw driver's read of the same rows: a server-side cursor fetched in batches, values as text. */
async function rawCursor(pool: pg.Pool, sql: string, batch: number): Promise<number> {
  const client = await pool.connect();
  let rows = 0;
  try {
    await client.query('begin read only');
    await client.query(`set local search_path to "${schemaOf(TENANT_ID)}"`);
    await client.query(`declare raw cursor for ${sql}`);
    for (;;) {
      const fetched = await client.query({ text: `fetch ${batch} from raw`, rowMode: 'array', types: PG_TEXT });
      rows += fetched.rows.length;
      if (fetched.rows.length < batch) break;
    }
    await client.query('commit');
  } finally {
    client.release();
  }
  return rows;
}

/** The store's own runner over the same schemas and concurrency: what a fan-out costs before the service adds anything. */
async function runnerFanOut(store: PostgresStore, tenants: string[]): Promise<number> {
  const preset = presetByName('murima2025');
  let next = 0;
  let rows = 0;
  const worker = async (): Promise<void> => {
    while (next < tenants.length) {
      const tenant = tenants[next] as string;
      next += 1;
      for await (const part of store.runUser(FAN_OUT_QUERY, scopeFor(preset, tenant), { rowLimit: 1_000, write: false })) {
        if (part.kind === 'rows') rows += part.rows.length;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return rows;
}

/** The raw loop a fan-out is measured against: the same statement per tenant schema, CONCURRENCY at a time. */
async function rawFanOut(pool: pg.Pool, tenants: string[]): Promise<number> {
  let next = 0;
  let rows = 0;
  const worker = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      while (next < tenants.length) {
        const tenant = tenants[next] as string;
        next += 1;
        await client.query('begin read only');
        await client.query(`set local search_path to "${schemaOf(tenant)}"`);
        rows += (await client.query({ text: FAN_OUT_QUERY, rowMode: 'array', types: PG_TEXT })).rows.length;
        await client.query('commit');
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return rows;
}

const postgres = await startPostgres();
const pool = new pg.Pool({ connectionString: postgres.url, max: CONCURRENCY + 1 });
const dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-bench-workbench-'));
const outDir = await mkdtemp(join(tmpdir(), 'tenantscope-bench-workbench-out-'));
const staticDir = await mkdtemp(join(tmpdir(), 'tenantscope-bench-static-'));
await writeFile(join(staticDir, 'index.html'), '<!doctype html>');
let core: ConsoleCore | undefined;
let server: WebServer | undefined;
try {
  const tenants = Array.from({ length: TENANTS }, (_, i) => tenantOf(i + 1));
  for (let i = 0; i < TENANTS; i += 100) {
    await pool.query(
      tenants
        .slice(i, i + 100)
        .map((t) => `create schema "${schemaOf(t)}"; create table "${schemaOf(t)}".items (id int primary key, note text); insert into "${schemaOf(t)}".items select g, 'note ' || g from generate_series(1, 10) g;`)
        .join('\n'),
    );
  }

  let saved = 0;
  core = await createConsole({
    dataDir,
    mode: 'web',
    version: 'bench',
    jobLimits: { postgres: 1 },
    chooseSavePath: async (name) => join(outDir, `${(saved += 1)}-${name}`),
  });
  server = await startWebServer({ core, staticDir, log: { warn: () => undefined, error: () => undefined } });
  const memory = connectInMemory(core.router, core.newSession('bench'));
  const api = createApiClient(memory.transport);
  const { id: workspaceId } = await api.workspaces.create({
    workspace: {
      name: 'Bench',
      environment: 'dev',
      preset: 'murima2025',
      endpoints: { postgres: { host: postgres.host, port: postgres.port, database: postgres.database, username: postgres.user, password: postgres.password } },
    },
  });
  await api.access.justify({ workspaceId, scope: 'cross-tenant', reason: 'benchmark of the fan-out against a raw loop' });

  // When each first batch left the server, by run id: the console's side of the arrival figure.
  const leftAt = new Map<string, number>();
  const router = core.router;
  const connect = router.connect.bind(router);
  router.connect = (connection, session) =>
    connect(
      {
        ...connection,
        send: (message) => {
          if (message.kind === 'event' && message.name === 'workbench.batch') {
            const batch = message.payload as { runId: string; seq: number };
            if (batch.seq === 0) leftAt.set(batch.runId, performance.timeOrigin + performance.now());
          }
          connection.send(message);
        },
        ...(connection.whenWritable && { whenWritable: connection.whenWritable }),
      },
      session,
    );

  let runs = 0;
  const arrivals: number[] = [];
  const streamArgs = () => ({ workspaceId, tenantId: TENANT_ID, runId: `run_bench${String((runs += 1)).padStart(5, '0')}`, query: { target: { engine: 'postgres' }, text: QUERY, rowLimit: ROWS, timeoutMs: 600_000 } });
  const overWeb = async (): Promise<void> => {
    const args = streamArgs();
    const { rows, firstAt } = await runClient(server as WebServer, 'workbench.run', args);
    if (rows !== ROWS) throw new Error(`web mode streamed ${rows} rows`);
    arrivals.push(firstAt - (leftAt.get(args.runId) ?? Number.NaN));
  };
  const raw = async (): Promise<void> => {
    const rows = await rawCursor(pool, QUERY, 5_000);
    if (rows !== ROWS) throw new Error(`the raw cursor read ${rows} rows`);
  };
  await pool.query(`create schema if not exists "${schemaOf(TENANT_ID)}"`);
  // Memory first, while main has streamed nothing yet: RSS seldom shrinks once the heap has grown.
  const rawRead = await peakRss(() => rawCursor(pool, QUERY, 5_000));
  const toClient = await peakRss(() => runClient(server as WebServer, 'workbench.run', streamArgs()));
  const exportArgs = { workspaceId, tenantId: TENANT_ID, query: { target: { engine: 'postgres' as const }, text: QUERY, rowLimit: ROWS, timeoutMs: 600_000 }, format: 'csv' as const, destination: { kind: 'save-dialog' as const, suggestedName: 'bench' } };
  const toFile = await peakRss(() => api.workbench.export(exportArgs));
  if (toFile.result.file?.rows !== ROWS) throw new Error('the export wrote the wrong row count');
  const [webCase, rawCase] = (await measureInterleaved(
    [
      { name: `${ROWS} rows: workbench.run, web mode to a client process`, run: overWeb, extra: { rows: ROWS } },
      { name: `${ROWS} rows: raw pg cursor (fetch 5000, text)`, run: raw, extra: { rows: ROWS } },
    ],
    { iterations: ITERATIONS, warmup: 1, collectGarbage: true },
  )) as [CaseResult, CaseResult];


  let fanOutRuns = 0;
  const store = new PostgresStore(PostgresEndpoint.parse({ host: postgres.host, port: postgres.port, database: postgres.database, username: postgres.user }), {
    password: postgres.password,
  });
  const [fanOutCase, rawLoopCase, runnerLoopCase] = (await measureInterleaved(
    [
      {
        name: `fan-out over ${TENANTS} tenant schemas, concurrency ${CONCURRENCY}`,
        run: async () => {
          const summary = await api.workbench.fanOut({ workspaceId, runId: `run_fan${String((fanOutRuns += 1)).padStart(5, '0')}`, query: { target: { engine: 'postgres' }, text: FAN_OUT_QUERY }, tenantIds: tenants, concurrency: CONCURRENCY });
          if (summary.rows !== TENANTS * 10) throw new Error(`the fan-out returned ${summary.rows} rows`);
        },
      },
      { name: `raw loop over ${TENANTS} schemas, concurrency ${CONCURRENCY}`, run: () => rawFanOut(pool, tenants) },
      { name: `PostgresStore.runUser loop over ${TENANTS} schemas, concurrency ${CONCURRENCY}`, run: () => runnerFanOut(store, tenants) },
    ],
    { iterations: ITERATIONS, warmup: 1, collectGarbage: true },
  )) as [CaseResult, CaseResult, CaseResult];
  await store.close();
  memory.close();

  const arrival = summarize('first batch: leaving the server → decoded in the client', arrivals);
  const path = await writeReport({
    bench: 'workbench',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: availableParallelism() },
    cases: [webCase, rawCase, arrival, fanOutCase, rawLoopCase, runnerLoopCase],
    summary: {
      'web mode rows/s (median)': Math.round(ROWS / (webCase.medianMs / 1000)),
      'raw cursor rows/s (median)': Math.round(ROWS / (rawCase.medianMs / 1000)),
      'web mode / raw throughput (target ≥ 0.9)': Math.round((rawCase.medianMs / webCase.medianMs) * 100) / 100,
      'first batch arrival ms (median)': arrival.medianMs,
      'main idle RSS MB': rawRead.idleMb,
      'raw cursor read of 1M rows: peak RSS over idle, MB (the driver’s own)': rawRead.peakMb,
      'main peak RSS over idle, 1M rows to a client, MB (target < 150)': toClient.peakMb,
      'main peak RSS over idle, 1M rows to CSV, MB (target < 150)': toFile.peakMb,
      'fan-out / raw loop (median, target ≤ 1.2)': Math.round((fanOutCase.medianMs / rawLoopCase.medianMs) * 100) / 100,
      'runner loop / raw loop (median): the store’s share': Math.round((runnerLoopCase.medianMs / rawLoopCase.medianMs) * 100) / 100,
      'fan-out / runner loop (median): the service’s share': Math.round((fanOutCase.medianMs / runnerLoopCase.medianMs) * 100) / 100,
    },
  });
  console.log(`workbench: wrote ${path}`);
} finally {
  await server?.close();
  await core?.close();
  await pool.end();
  await postgres.stop();
  for (const dir of [dataDir, outDir, staticDir]) await rm(dir, { recursive: true, force: true });
}
