// The retention feature's public face for the composition root: the service, its jobs, its lanes and the unlock guards.
export { createRetentionService, type RetentionServiceDeps, type RetentionStores } from './service';
export { registerRetentionJobs, type RetentionJobStores } from './register';
export { mongoLanes, redisLanes } from './lanes';
export { mongoWhileUnlocked, redisWhileUnlocked } from './unlock-guard';
export type { RetentionMongo, RetentionMongoFace } from './mongo-retention';
export type { RetentionRedis } from './redis-ttl-job';
