import { AppError } from '@shared/errors';
import { locateJsonError } from '@shared/explain';

/** Where a text broke: the offset (0-based) and the line and column a person counts (1-based). */
export interface TextPosition {
  position: number;
  line: number;
  column: number;
}

/** Line and column of an offset in `text`. */
export function positionIn(text: string, offset: number): TextPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const before = text.slice(0, clamped);
  return { position: clamped, line: before.split('\n').length, column: clamped - before.lastIndexOf('\n') };
}

/**
 * JSON a person typed into the workbench (a filter, a pipeline, a search body), parsed once. A text
 * that does not parse is refused as `invalid_argument` naming the line and column where it broke,
 * in `details`, so the editor can put its marker there. V8's own message names an offset for some
 * mistakes only, so the place comes from the grammar walk pasted plans use too.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/, ".*" is not valid JSON$/s, '');
    const where = positionIn(text, locateJsonError(text));
    throw new AppError('invalid_argument', `${what} is not valid JSON at line ${where.line}, column ${where.column}: ${message}.`, where);
  }
}
