import { z } from 'zod';
import { AppError } from '@shared/errors';

/**
 * The keyset position after the last case of a page: its rank (when the search ranked by text),
 * its creation time to the microsecond as PostgreSQL printed it, and its id. Opaque to callers
 * (base64url JSON); a cursor from a ranked search cannot continue an unranked one and vice versa.
 */
export const CasePosition = z
  .object({
    rank: z.number().finite().nullable(),
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
    id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  })
  .strict();
export type CasePosition = z.infer<typeof CasePosition>;

export function encodeCursor(position: CasePosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, ranked: boolean): CasePosition {
  let parsed: z.ZodSafeParseResult<CasePosition>;
  try {
    parsed = CasePosition.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('invalid_argument', 'The cursor is not one a previous page returned; start the search again without it.');
  }
  if (!parsed.success) {
    throw new AppError('invalid_argument', 'The cursor is not one a previous page returned; start the search again without it.');
  }
  if ((parsed.data.rank !== null) !== ranked) {
    throw new AppError(
      'invalid_argument',
      ranked
        ? 'This cursor comes from a search without text; search again from the first page.'
        : 'This cursor comes from a text search; keep the same text or search again from the first page.',
    );
  }
  return parsed.data;
}
