import { AppError } from '@shared/errors';
import type { RetentionMongoFace } from './mongo-retention';
import type { RetentionRedis } from './redis-ttl-job';

const refusal = (): AppError => new AppError('read_only', 'The prod unlock this work was started under has expired or was revoked: unlock writes again to go on.');

/**
 * Redis for a job started under a prod unlock: each EXPIRE pipeline is sent only while the unlock
 * lives; once it is gone the job is stopped (`stop`) and the pipeline refused, so no key is touched
 * after the unlock ended. Reads go on as they are.
 */
export function redisWhileUnlocked(redis: RetentionRedis, mayWrite: () => Promise<boolean>, stop: (error: AppError) => void): RetentionRedis {
  return {
    dbsize: (...args) => redis.dbsize(...args),
    scanKeys: (...args) => redis.scanKeys(...args),
    expireWithoutTtl: async (...args) => {
      if (!(await mayWrite())) {
        const error = refusal();
        stop(error);
        throw error;
      }
      return redis.expireWithoutTtl(...args);
    },
  };
}

/** MongoDB for a job started under a prod unlock: each drop is sent only while the unlock lives. */
export function mongoWhileUnlocked(mongo: RetentionMongoFace, mayWrite: () => Promise<boolean>, stop: (error: AppError) => void): RetentionMongoFace {
  return {
    listCollectionNames: (...args) => mongo.listCollectionNames(...args),
    collectionStats: (...args) => mongo.collectionStats(...args),
    listIndexes: (...args) => mongo.listIndexes(...args),
    find: (...args) => mongo.find(...args),
    countDocuments: (...args) => mongo.countDocuments(...args),
    exportCollection: (...args) => mongo.exportCollection(...args),
    dropCollection: async (...args) => {
      if (!(await mayWrite())) {
        const error = refusal();
        stop(error);
        throw error;
      }
      return mongo.dropCollection(...args);
    },
  };
}
