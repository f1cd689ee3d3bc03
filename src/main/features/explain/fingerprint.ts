import type { PlanEngine } from '@shared/explain';

/**
 * A query's fingerprint: its text with the literals taken out, so that the plans of
 * `... where id = 7` and `... WHERE id = 42` are found together. Fingerprinting a fingerprint gives
 * it back unchanged, so a caller may hand `explain.history` either a statement or a fingerprint.
 *
 * PostgreSQL: a tokenizer that knows the lexer's literal forms — '…' with '' doubling, E'…' with
 * backslash escapes, B'…', X'…', U&'…', $tag$…$tag$, numbers (with exponents, 0x/0o/0b and
 * underscores), $n parameters — and drops comments (nested /* *\/ too). Unquoted words are folded
 * to lower case, as the server folds them; "quoted" identifiers keep their case. A parenthesised
 * list of literals only (`in (1, 2, 3)`) becomes `(?)`, so lists of any length match.
 * MongoDB and Elasticsearch: the JSON document with every scalar value replaced, keys kept.
 */
export function fingerprintOf(engine: PlanEngine, statement: string, target?: string): string {
  if (engine === 'postgres') return fingerprintSql(statement);
  const body = fingerprintJson(statement);
  return target ? `${target} ${body}` : body;
}

type Token = { kind: 'word' | 'quoted' | 'literal' | 'symbol'; text: string };

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

/** The end of a '…' literal starting at `start` (the opening quote), with '' doubling and, when `escapes`, \x. */
function endOfQuoted(text: string, start: number, escapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (escapes && ch === '\\') i += 2;
    else if (ch === "'") {
      if (text[i + 1] === "'") i += 2;
      else return i + 1;
    } else i += 1;
  }
  return text.length;
}

function endOfBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return text.length;
}

const NUMBER = /^(?:0[xX][0-9A-Fa-f_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function sqlTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const rest = (): string => text.slice(i, i + 200);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (text.startsWith('--', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline + 1;
    } else if (text.startsWith('/*', i)) {
      i = endOfBlockComment(text, i);
    } else if (ch === "'") {
      i = endOfQuoted(text, i, false);
      tokens.push({ kind: 'literal', text: '?' });
    } else if (/[eEbBxXnN]/.test(ch) && text[i + 1] === "'") {
      i = endOfQuoted(text, i + 1, ch === 'e' || ch === 'E');
      tokens.push({ kind: 'literal', text: '?' });
    } else if ((ch === 'u' || ch === 'U') && text[i + 1] === '&' && text[i + 2] === "'") {
      i = endOfQuoted(text, i + 2, false);
      tokens.push({ kind: 'literal', text: '?' });
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      tokens.push({ kind: 'quoted', text: text.slice(i, j + 1) });
      i = j + 1;
    } else if (ch === '$' && /\d/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (/\d/.test(text[j] ?? '')) j += 1;
      tokens.push({ kind: 'literal', text: '?' });
      i = j;
    } else if (ch === '$' && DOLLAR_TAG.test(rest())) {
      const tag = (DOLLAR_TAG.exec(rest()) as RegExpExecArray)[0];
      const close = text.indexOf(tag, i + tag.length);
      i = close < 0 ? text.length : close + tag.length;
      tokens.push({ kind: 'literal', text: '?' });
    } else if (/\d/.test(ch) || (ch === '.' && /\d/.test(text[i + 1] ?? ''))) {
      const match = NUMBER.exec(rest());
      i += match ? match[0].length : 1;
      // A number glued to letters (`1abc`) is still one literal and a word, as the lexer reads it.
      tokens.push({ kind: 'literal', text: '?' });
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j] as string)) j += 1;
      tokens.push({ kind: 'word', text: text.slice(i, j).toLowerCase() });
      i = j;
    } else if (OPERATOR_CHARS.includes(ch)) {
      let j = i + 1;
      while (j < text.length && OPERATOR_CHARS.includes(text[j] as string) && !text.startsWith('--', j) && !text.startsWith('/*', j)) j += 1;
      // The server's rule: a multi-character operator ends in + or - only if it holds one of ~!@#%^&|`?
      // (so `=-5` is `=` and `-5`).
      while (j - i > 1 && /[+-]/.test(text[j - 1] as string) && !/[~!@#%^&|`?]/.test(text.slice(i, j))) j -= 1;
      const operator = text.slice(i, j);
      const before = tokens.at(-1);
      // A sign in front of a number belongs to the literal: `= -5` and `= 5` are the same query.
      if ((operator === '-' || operator === '+') && /^[\d.]/.test(text.slice(j).trimStart()) && (!before || (before.kind === 'symbol' && before.text !== ')' && before.text !== ']'))) {
        i = j;
        continue;
      }
      tokens.push({ kind: 'symbol', text: operator });
      i = j;
    } else if (ch === ':' && text[i + 1] === ':') {
      tokens.push({ kind: 'symbol', text: '::' });
      i += 2;
    } else {
      tokens.push({ kind: 'symbol', text: ch });
      i += 1;
    }
  }
  return tokens;
}

/** `( ? , ? , ? )` → `( ? )`: a list of literals only, whatever its length. */
function squashLiteralLists(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.text === '(') {
      let j = i + 1;
      let literals = 0;
      while (tokens[j]?.kind === 'literal') {
        literals += 1;
        j += 1;
        if (tokens[j]?.text === ',') j += 1;
        else break;
      }
      if (literals > 1 && tokens[j]?.text === ')' && tokens[j - 1]?.kind === 'literal') {
        out.push(token, { kind: 'literal', text: '?' }, tokens[j] as Token);
        i = j;
        continue;
      }
    }
    out.push(token);
  }
  return out;
}

const NO_SPACE_BEFORE = new Set([')', ',', '.', '::', ';', ']', '[']);
const NO_SPACE_AFTER = new Set(['(', '.', '::', '[']);

export function fingerprintSql(statement: string): string {
  const tokens = squashLiteralLists(sqlTokens(statement));
  while (tokens.at(-1)?.text === ';') tokens.pop();
  let text = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    if (previous && !NO_SPACE_AFTER.has(previous.text) && !NO_SPACE_BEFORE.has(token.text)) text += ' ';
    text += token.text;
    previous = token;
  }
  return text;
}

function stripValues(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(stripValues);
    // An array of values only (`$in: [1, 2, 3]`) matches an array of any length, as in SQL.
    return items.every((item) => item === '?') && items.length > 0 ? ['?'] : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, stripValues(item)]));
  }
  return '?';
}

export function fingerprintJson(text: string): string {
  try {
    return JSON.stringify(stripValues(JSON.parse(text) as unknown));
  } catch {
    // Not strict JSON (shell syntax): the text with its whitespace folded, which still matches itself.
    return text.trim().replace(/\s+/g, ' ');
  }
}
