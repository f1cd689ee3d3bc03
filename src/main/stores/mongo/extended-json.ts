import { BSON, type Document } from 'mongodb';
import { AppError } from '@shared/errors';

/**
 * Canonical Extended JSON (`{ $oid }`, `{ $date }`, `{ $numberLong }`…) into driver values, for code
 * outside this room, which never imports the driver. Relaxed mode: plain JSON numbers stay numbers,
 * stored as the driver stores any number (int32 or double), not as the Int32/Long/Double wrappers
 * canonical mode makes of them.
 */
export function fromExtendedJson(value: Record<string, unknown>): Document {
  try {
    return BSON.EJSON.deserialize(value, { relaxed: true }) as Document;
  } catch (error) {
    throw new AppError('invalid_argument', `Not valid Extended JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
