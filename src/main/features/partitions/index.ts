export { createPartitionsService, type PartitionsServiceDeps, type PartitionsStores } from './service';
export { registerPartitionJobs } from './register';
export { fleetHorizons, partitionLanes, type OpenPartitionStores } from './lanes';
