import type { JobKind } from '../../jobs';
import { bundleKind } from './bundle-job';
import { databaseDumpKind } from './database-dump';
import { restoreKind, verifyKind } from './restore-jobs';
import type { OpenBackupStores } from './stores';

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

/** The kinds that only read the stores (a bundle, a whole-database dump): they run on the read-only set of prod. */
export function registerBackupJobs(jobs: KindTable, openStores: OpenBackupStores): void {
  jobs.register(bundleKind(openStores));
  jobs.register(databaseDumpKind(openStores));
}

/** The kinds that write into the stores (restore, and verify's scratch copies): on prod only under an unlock. */
export function registerRestoreJobs(jobs: KindTable, openStores: OpenBackupStores): void {
  jobs.register(restoreKind(openStores));
  jobs.register(verifyKind(openStores));
}
