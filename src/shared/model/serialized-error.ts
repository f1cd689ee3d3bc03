import { z } from 'zod';
import { ERROR_CODES } from '../errors';

/** An error as it crosses the contract inside a result (a fan-out tenant's failure, a history line). */
export const SerializedErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string().max(4_000),
  details: z.unknown().optional(),
});
