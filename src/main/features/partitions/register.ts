import type { JobKind } from '../../jobs';
import { moveDefaultKind, premakeKind, retireKind, type Clock, type OpenPartitionJobStores } from './jobs';

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

/** Registers the partition job kinds (premake, retire, move-default) over a workspace's stores. */
export function registerPartitionJobs(jobs: KindTable, openStores: OpenPartitionJobStores, clock?: Clock): void {
  jobs.register(premakeKind(openStores, clock));
  jobs.register(retireKind(openStores, clock));
  jobs.register(moveDefaultKind(openStores));
}
