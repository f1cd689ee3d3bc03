/**
 * MongoDB and Elasticsearch cannot run on every machine: their tests run against MONGO_URL /
 * ES_URL when set and are reported as skipped, with this reason, when not.
 */
export const mongoUrl = process.env.MONGO_URL;
export const elasticUrl = process.env.ES_URL;

export const mongoSkipReason = mongoUrl ? undefined : 'MONGO_URL is not set: no MongoDB server on this machine';
export const elasticSkipReason = elasticUrl ? undefined : 'ES_URL is not set: no Elasticsearch server on this machine';

/** Prints the reason a suite is skipped, so a skip is never silent. */
export function announceSkip(suite: string, reason: string | undefined): void {
  if (reason) console.warn(`[skipped] ${suite}: ${reason}`);
}
