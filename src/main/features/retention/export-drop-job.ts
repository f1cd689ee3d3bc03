import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { Month } from '@shared/model/lifecycle';
import { monthOf } from '@shared/model/retention';
import { TenantId } from '@shared/model/tenant-id';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { JobKind } from '../../jobs';
import { bucketName, bucketRules, isExpired } from './buckets';
import type { RetentionMongo } from './mongo-retention';

export interface ExportDropStores {
  workspaceId: string;
  preset: TenancyPreset;
  mongo: RetentionMongo;
  /** Where export folders go: `<root>/<workspaceId>/<jobId>/`. */
  exportRoot: string;
}

export const ExportDropParams = z
  .object({
    tenantId: TenantId,
    family: z.string().min(1).max(120),
    months: z.array(Month).min(1).max(240),
  })
  .strict();
export type ExportDropParams = z.infer<typeof ExportDropParams>;

/** What reading an export back found: its documents (lines) and its SHA-256. */
export async function readBack(file: string): Promise<{ documents: number; sha256: string }> {
  const hash = createHash('sha256');
  const raw = createReadStream(file);
  raw.on('data', (chunk) => hash.update(chunk));
  let documents = 0;
  const lines = createInterface({ input: raw.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) documents += 1;
  return { documents, sha256: hash.digest('hex') };
}

/** Checks the months against the blueprint before anything is exported: each must be past retention now. */
export function bucketsToDrop(preset: TenancyPreset, params: ExportDropParams, now: Date): Array<{ month: string; collection: string }> {
  const layout = preset.layout.mongo;
  if (layout?.mode !== 'collection-prefix') throw new AppError('invalid_argument', `The ${preset.title} preset keeps no per-tenant MongoDB buckets.`);
  scopeFor(preset, params.tenantId);
  const rule = bucketRules(preset).find((r) => r.family === params.family);
  if (!rule) throw new AppError('not_found', `The blueprint keeps no monthly buckets of ${JSON.stringify(params.family)}.`);
  const current = monthOf(now);
  const kept = params.months.filter((m) => !isExpired(m, current, rule.buckets.retentionMonths));
  if (kept.length > 0) {
    throw new AppError('conflict', `${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} inside the ${rule.buckets.retentionMonths}-month retention of ${params.family}; only older buckets are dropped.`);
  }
  return [...params.months].sort().map((month) => ({ month, collection: bucketName(layout, params.tenantId, params.family, month) }));
}

/**
 * `retention.mongo-export-drop`: for each expired bucket, oldest first — export the whole
 * collection as gzip canonical Extended JSON into the job's own folder (with `SHA256SUMS` and a
 * `manifest.json`), read the file back (its lines and its SHA-256 must match what was written),
 * count the collection again (it must still hold exactly what was exported), and only then drop
 * it. A bucket that fails a check is kept and reported, and the job goes on with the next; a cancel
 * stops before the next drop, so the collection in hand is left where it was.
 */
export function exportDropKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<ExportDropStores>, now: () => Date = () => new Date()): JobKind<ExportDropParams, ExportDropStores> {
  return {
    name: 'retention.mongo-export-drop',
    store: 'mongo',
    params: ExportDropParams,
    describe: (p) => ({ title: `Export then drop ${p.months.length} ${p.family} bucket(s) of tenant ${p.tenantId}`, tenantIds: [p.tenantId] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { mongo, preset } = stores;
      const buckets = bucketsToDrop(preset, params, now());
      const present = new Set(await mongo.face.listCollectionNames(mongo.database, { signal }));
      const folder = join(stores.exportRoot, stores.workspaceId, jobId);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      log(`Exports go to ${folder}.`);
      const dropped: string[] = [];
      const keptBack: Array<{ collection: string; reason: string }> = [];
      const manifest: Array<Record<string, string | number>> = [];
      for (const [index, { month, collection }] of buckets.entries()) {
        const target = { database: mongo.database, collection };
        if (!present.has(collection)) {
          log(`${collection}: not there, nothing to export.`);
          continue;
        }
        progress(index, buckets.length, `exporting ${collection}`);
        const before = await mongo.face.countDocuments(target, {}, undefined, { signal });
        const file = join(folder, `${collection}.ejson.gz`);
        const written = await mongo.face.exportCollection(target, file, { signal });
        const back = await readBack(file);
        const after = await mongo.face.countDocuments(target, {}, undefined, { signal });
        await appendFile(join(folder, 'SHA256SUMS'), `${written.sha256}  ${collection}.ejson.gz\n`);
        manifest.push({ collection, month, documents: written.documents, bytes: written.bytes, sha256: written.sha256, exportedAt: new Date().toISOString() });
        await writeFile(join(folder, 'manifest.json'), `${JSON.stringify({ workspaceId: stores.workspaceId, tenantId: params.tenantId, family: params.family, database: mongo.database, exports: manifest }, null, 2)}\n`);
        const problem =
          back.sha256 !== written.sha256
            ? `the file read back hashes to ${back.sha256}, not ${written.sha256}`
            : back.documents !== written.documents
              ? `the file holds ${back.documents} documents, ${written.documents} were written`
              : written.documents !== before || before !== after
                ? `the collection held ${before} documents before the export, ${written.documents} were exported and it holds ${after} now`
                : undefined;
        if (problem) {
          keptBack.push({ collection, reason: problem });
          log(`${collection}: kept, not dropped: ${problem}.`);
          continue;
        }
        log(`${collection}: exported ${written.documents} document(s), ${written.bytes} bytes, sha256 ${written.sha256}; read back and counted.`);
        // The last point a cancel is honoured: past it the drop is one command, done or not.
        if (signal.aborted) {
          log(`Cancelled before dropping ${collection}: it stays, with its export beside the others.`);
          throw new AppError('cancelled', `Cancelled before dropping ${collection}; ${dropped.length} bucket(s) dropped before.`);
        }
        progress(index, buckets.length, `dropping ${collection}`);
        await mongo.face.dropCollection(target, { signal });
        dropped.push(collection);
        log(`${collection}: dropped.`);
      }
      progress(buckets.length, buckets.length, 'done');
      if (keptBack.length > 0 && dropped.length === 0) {
        throw new AppError('conflict', `No bucket was dropped: ${keptBack[0]?.collection ?? ''} ${keptBack[0]?.reason ?? ''}. The exports are in ${folder}.`);
      }
      return { folder, dropped, keptBack, exported: manifest.length };
    },
  };
}
