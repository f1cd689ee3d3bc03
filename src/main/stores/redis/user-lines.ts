import { AppError } from '@shared/errors';

/**
 * The workbench's Redis text: one command per line, words split the way redis-cli splits them —
 * spaces separate, "double quotes" take escapes (\" \\ \n \r \t \b \a \xHH), 'single quotes' take
 * only \', a closing quote must end the word. Blank lines and lines starting with # are skipped.
 */

export interface CommandLineText {
  /** 1-based line number in the text, for messages and the result's `line` column. */
  line: number;
  words: string[];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07', '"': '"', '\\': '\\' };

/** The words of one line; throws `invalid_argument` for an unbalanced quote. */
export function splitWords(text: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  const fail = (why: string): AppError => new AppError('invalid_argument', `Line ${line}: ${why}.`, { line, position: String(i + 1) });
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let word = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || /\s/.test(c)) break;
      if (c === '"' || c === "'") {
        if (word !== '') throw fail('a quote in the middle of a word');
        const close = c;
        i++;
        for (;;) {
          const d = text[i];
          if (d === undefined) throw fail('a quote is not closed');
          if (d === '\\' && close === '"') {
            const next = text[i + 1] ?? '';
            const hex = /^x[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 4)) ? text.slice(i + 2, i + 4) : undefined;
            if (hex) {
              word += String.fromCharCode(parseInt(hex, 16));
              i += 4;
            } else {
              word += ESCAPES[next] ?? next;
              i += 2;
            }
            continue;
          }
          if (d === '\\' && close === "'" && text[i + 1] === "'") {
            word += "'";
            i += 2;
            continue;
          }
          if (d === close) {
            i++;
            break;
          }
          word += d;
          i++;
        }
        const after = text[i];
        if (after !== undefined && !/\s/.test(after)) throw fail('a closing quote must be followed by a space');
        break;
      }
      word += c;
      i++;
    }
    words.push(word);
  }
  return words;
}

/** The commands of a text, one per non-blank, non-comment line. */
export function splitCommandLines(text: string): CommandLineText[] {
  const out: CommandLineText[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    out.push({ line: index + 1, words: splitWords(raw, index + 1) });
  });
  return out;
}
