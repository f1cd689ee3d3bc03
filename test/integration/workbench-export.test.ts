import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src/main/server/web-server';
import { endpointsOf, openConsole, removeDataDir, schemaOf, tenantDatabase, type Harness } from './workbench-fixtures';

const DATABASE = 'workbench_export_it';
const ROWS = 1_000_000;
/** A million rows with every CSV case COPY treats specially: NULL, empty strings, quotes, delimiters, line breaks. */
const QUERY = `select g as id, md5(g::text) as digest,
  case when g % 7 = 0 then null when g % 11 = 0 then '' when g % 13 = 0 then 'say "hi", ' || g when g % 17 = 0 then e'two\\nlines' else 'row ' || g end as note,
  (g % 2 = 0) as even, g * 1.5 as half, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' as at
  from generate_series(1, ${ROWS}) g`;

/** SHA-256, bytes and lines of a byte stream. */
class Tally extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  newlines = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines += 1;
    done();
  }
}

/** What PostgreSQL itself writes for the query in the tenant's schema: the reference. */
async function copyOf(query: string, schema: string): Promise<{ sha256: string; bytes: number; newlines: number }> {
  const target = new URL(inject('postgres').url);
  target.pathname = `/${DATABASE}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const tally = new Tally();
    await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER)`)), tally);
    return { sha256: tally.hash.digest('hex'), bytes: tally.bytes, newlines: tally.newlines };
  } finally {
    await client.end();
  }
}

/** GETs a path of the web server and tallies the body as it streams. */
function fetchTally(server: WebServer, path: string, headers: Record<string, string>): Promise<{ status: number; sha256: string; bytes: number; disposition?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const tally = new Tally();
      pipeline(res, tally).then(
        () => resolve({ status: res.statusCode ?? 0, sha256: tally.hash.digest('hex'), bytes: tally.bytes, ...(res.headers['content-disposition'] && { disposition: res.headers['content-disposition'] }) }),
        reject,
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('workbench exports of a million rows', () => {
  let db: Awaited<ReturnType<typeof tenantDatabase>>;
  let harness: Harness;
  let workspaceId: string;
  let outDir: string;
  let staticDir: string;
  let server: WebServer;
  let reference: Awaited<ReturnType<typeof copyOf>>;
  const chosen: string[] = [];

  beforeAll(async () => {
    db = await tenantDatabase(DATABASE, 1);
    outDir = await mkdtemp(join(tmpdir(), 'tenantscope-export-out-'));
    staticDir = await mkdtemp(join(tmpdir(), 'tenantscope-export-static-'));
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    harness = await openConsole({
      chooseSavePath: async (suggestedName) => {
        chosen.push(suggestedName);
        return join(outDir, suggestedName);
      },
    });
    ({ id: workspaceId } = await harness.api.workspaces.create({ workspace: { name: 'Export', environment: 'dev', preset: 'murima2025', endpoints: endpointsOf(DATABASE) } }));
    server = await startWebServer({ core: harness.core, staticDir, log: { warn: () => undefined, error: () => undefined } });
    reference = await copyOf(QUERY, schemaOf(db.tenants[0] as string));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    const dataDir = harness?.dataDir;
    await harness?.close();
    await db?.drop();
    for (const dir of [dataDir, outDir, staticDir]) if (dir) await removeDataDir(dir);
  });

  const exportArgs = (destination: { kind: 'save-dialog'; suggestedName?: string } | { kind: 'download' }) => ({
    workspaceId,
    tenantId: db.tenants[0] as string,
    query: { target: { engine: 'postgres' as const }, text: QUERY, rowLimit: ROWS },
    format: 'csv' as const,
    destination,
  });

  it('writes the CSV file byte for byte as COPY … TO STDOUT WITH (FORMAT csv, HEADER) does, through a temporary file', async () => {
    expect(reference.newlines).toBeGreaterThan(ROWS);
    const answer = await harness.api.workbench.export(exportArgs({ kind: 'save-dialog', suggestedName: 'million' }));
    expect(chosen).toEqual(['million.csv']);
    expect(answer.file).toMatchObject({ path: join(outDir, 'million.csv'), rows: ROWS, bytes: reference.bytes, sha256: reference.sha256 });
    const onDisk = new Tally();
    await pipeline(createReadStream(join(outDir, 'million.csv')), onDisk);
    expect(onDisk.hash.digest('hex')).toBe(reference.sha256);
    // Only the file itself is left: the temporary file it was written to became it.
    expect(await readdir(outDir)).toEqual(['million.csv']);
  }, 180_000);

  it('streams the same bytes from the web download address, once, and only with the launch token', async () => {
    const answer = await harness.api.workbench.export(exportArgs({ kind: 'download' }));
    const url = answer.download?.url ?? '';
    expect(url).toMatch(/^\/downloads\/[A-Za-z0-9_-]+$/);
    expect((await fetchTally(server, url, {})).status).toBe(401);
    expect((await fetchTally(server, url, { authorization: `Bearer ${server.token}`, origin: 'http://evil.example' })).status).toBe(403);

    const fetched = await fetchTally(server, url, { authorization: `Bearer ${server.token}` });
    expect(fetched).toMatchObject({ status: 200, bytes: reference.bytes, sha256: reference.sha256 });
    expect(fetched.disposition).toMatch(/^attachment; filename="postgres-.*\.csv"$/);
    expect((await fetchTally(server, url, { authorization: `Bearer ${server.token}` })).status).toBe(404);
  }, 180_000);

  it('refuses a save dialog where there is none, pointing to the download', async () => {
    const web = await openConsole();
    try {
      const { id } = await web.api.workspaces.create({ workspace: { name: 'Web', environment: 'dev', preset: 'murima2025', endpoints: endpointsOf(DATABASE) } });
      await expect(web.api.workbench.export({ ...exportArgs({ kind: 'save-dialog' }), workspaceId: id })).rejects.toMatchObject({
        code: 'invalid_argument',
        message: expect.stringContaining('download'),
      });
    } finally {
      const dataDir = web.dataDir;
      await web.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
