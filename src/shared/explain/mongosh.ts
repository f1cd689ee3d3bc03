/**
 * mongosh prints explain output as JavaScript, not JSON: bare keys, single-quoted strings and
 * wrapped values such as `Long('12')`, `ISODate('…')` or `ObjectId('…')`. This rewrites that text
 * to JSON: keys and strings double-quoted, numbers unwrapped, dates and ids as strings, and the
 * `[Object]` / `[Array]` that mongosh prints past its depth limit as null. Returns undefined when
 * the text does not read as mongosh output, so the caller reports the original JSON error.
 */
const NUMBER_WRAPPERS = new Set(['Long', 'NumberLong', 'Int32', 'NumberInt', 'Double', 'Decimal128', 'NumberDecimal']);
const STRING_WRAPPERS = new Set(['ISODate', 'ObjectId', 'UUID', 'BinData', 'Binary']);

export function mongoshToJson(text: string): string | undefined {
  if (!/(^|[{,\s])[A-Za-z_$][\w$]*\s*:/.test(text)) return undefined;
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const { value, end } = readString(text, i);
      if (end < 0) return undefined;
      out += JSON.stringify(value);
      i = end;
      continue;
    }
    if (c === '[' && /^\[(Object|Array)\]/.test(text.slice(i, i + 8))) {
      out += 'null';
      i = text.indexOf(']', i) + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 200))![0];
      const after = text.slice(i + word.length).match(/^\s*/)![0].length + i + word.length;
      if (text[after] === ':') {
        out += JSON.stringify(word);
        i = after;
        continue;
      }
      if (text[after] === '(' && (NUMBER_WRAPPERS.has(word) || STRING_WRAPPERS.has(word) || word === 'Timestamp')) {
        const close = matchingParen(text, after);
        if (close < 0) return undefined;
        const inner = text.slice(after + 1, close).trim();
        if (word === 'Timestamp') {
          const converted = mongoshToJson(inner);
          if (converted === undefined) return undefined;
          out += converted;
        } else {
          const unquoted = /^["']/.test(inner) ? readString(inner, 0).value : inner;
          out += NUMBER_WRAPPERS.has(word) ? String(Number(unquoted)) : JSON.stringify(unquoted);
        }
        i = close + 1;
        continue;
      }
      if (word === 'true' || word === 'false' || word === 'null') out += word;
      else if (word === 'undefined' || word === 'NaN' || word === 'Infinity') out += 'null';
      else return undefined;
      i += word.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const e = text[i + 1]!;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"', '/': '/' };
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        value += simple[e] ?? e;
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  return { value, end: -1 };
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const { end } = readString(text, i);
      if (end < 0) return -1;
      i = end - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
