import { quoteIdent } from '@shared/sql/identifiers';

/**
 * Renames one schema in the SQL script `pg_restore -f -` writes for a one-schema archive.
 *
 * pg_restore cannot restore a schema under another name, and the usual detour (restore into a
 * scratch database, `ALTER SCHEMA … RENAME`, dump and restore again) costs two more full passes
 * over the data and the right to create databases. pg_dump writes every name schema-qualified
 * (its script runs with an empty search_path), so a rename is a rewrite of the schema's name where
 * the script names it — and nowhere else:
 *
 * - identifiers: `<schema>.` before a name, and the name after the keyword SCHEMA (CREATE SCHEMA,
 *   COMMENT ON SCHEMA, GRANT … ON SCHEMA), bare or double-quoted;
 * - string literals that start with `<schema>.`: the `'tenant_a.cases_id_seq'::regclass` of a
 *   column default and the `setval('tenant_a.cases_id_seq', …)` that restores a sequence;
 * - `<schema>.` inside dollar-quoted function bodies, which name the schema's tables that way;
 * - never the rows of a COPY block (data stays byte for byte), never comments, never other strings
 *   (a tenant id in a check constraint or an RLS policy is the tenant's, not the schema's).
 *
 * The script is read line by line with a small lexer that knows strings, quoted identifiers,
 * dollar quotes, comments and COPY blocks, so the rewrite costs one pass at streaming speed.
 */
export class SchemaRenamer {
  readonly #from: string;
  readonly #to: string;
  #state: 'sql' | 'string' | 'escape-string' | 'dollar' | 'comment' | 'copy' = 'sql';
  #dollarTag = '';
  #commentDepth = 0;
  #lastWord = '';
  /** COPY headers passed so far: one per table whose rows follow. */
  copies = 0;

  constructor(from: string, to: string) {
    this.#from = from;
    this.#to = quoteIdent(to);
  }

  /** One line of the script (without its newline) as it should be run. */
  line(text: string): string {
    if (this.#state === 'copy') {
      if (text === '\\.') this.#state = 'sql';
      return text;
    }
    const out = this.#rewrite(text);
    if (this.#state === 'sql' && /^COPY .* FROM stdin;$/.test(out)) {
      this.#state = 'copy';
      this.copies += 1;
    }
    return out;
  }

  #matchesSchema(word: string, quoted: boolean): boolean {
    return quoted ? word === this.#from : word.toLowerCase() === this.#from;
  }

  /** `<schema>.` (bare or quoted) at `i` in `text`: its length, or 0. */
  #qualifierAt(text: string, i: number): number {
    const bare = this.#from;
    const quoted = quoteIdent(this.#from);
    if (text.startsWith(quoted, i) && text[i + quoted.length] === '.') return quoted.length;
    if (/^[a-z_][a-z0-9_$]*$/.test(bare) && text.startsWith(bare, i) && text[i + bare.length] === '.' && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) return bare.length;
    return 0;
  }

  #rewrite(text: string): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const c = text[i] as string;
      switch (this.#state) {
        case 'comment': {
          const end = text.indexOf('*/', i);
          const open = text.indexOf('/*', i);
          if (open !== -1 && (end === -1 || open < end)) {
            this.#commentDepth += 1;
            out += text.slice(i, open + 2);
            i = open + 2;
          } else if (end !== -1) {
            this.#commentDepth -= 1;
            if (this.#commentDepth === 0) this.#state = 'sql';
            out += text.slice(i, end + 2);
            i = end + 2;
          } else {
            out += text.slice(i);
            i = text.length;
          }
          continue;
        }
        case 'dollar': {
          const close = `$${this.#dollarTag}$`;
          if (text.startsWith(close, i)) {
            this.#state = 'sql';
            out += close;
            i += close.length;
            continue;
          }
          const length = this.#qualifierAt(text, i);
          if (length > 0) {
            out += this.#to;
            i += length;
            continue;
          }
          out += c;
          i += 1;
          continue;
        }
        case 'string':
        case 'escape-string': {
          if (this.#state === 'escape-string' && c === '\\') {
            out += text.slice(i, i + 2);
            i += 2;
            continue;
          }
          if (c === "'") {
            if (text[i + 1] === "'") {
              out += "''";
              i += 2;
              continue;
            }
            this.#state = 'sql';
          }
          out += c;
          i += 1;
          continue;
        }
        default:
          break;
      }
      // Plain SQL.
      if (c === '-' && text[i + 1] === '-') {
        out += text.slice(i);
        break;
      }
      if (c === '/' && text[i + 1] === '*') {
        this.#state = 'comment';
        this.#commentDepth = 1;
        out += '/*';
        i += 2;
        continue;
      }
      if (c === "'") {
        const escape = /[Ee]$/.test(out) && !/[A-Za-z0-9_$][Ee]$/.test(out);
        this.#state = escape ? 'escape-string' : 'string';
        out += c;
        i += 1;
        // A literal that starts with the qualified name: a regclass or a sequence name.
        const length = this.#qualifierAt(text, i);
        if (length > 0) {
          out += this.#to;
          i += length;
        }
        continue;
      }
      if (c === '$') {
        const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
        if (tag && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
          this.#state = 'dollar';
          this.#dollarTag = tag[1] ?? '';
          out += tag[0];
          i += tag[0].length;
          continue;
        }
      }
      if (c === '"') {
        let j = i + 1;
        let name = '';
        while (j < text.length) {
          if (text[j] === '"') {
            if (text[j + 1] === '"') {
              name += '"';
              j += 2;
              continue;
            }
            break;
          }
          name += text[j];
          j += 1;
        }
        out += this.#identifier(name, true, text[j + 1] === '.') ?? text.slice(i, j + 1);
        i = j + 1;
        this.#lastWord = '';
        continue;
      }
      if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
        let j = i + 1;
        while (j < text.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[j] as string)) j += 1;
        const word = text.slice(i, j);
        out += this.#identifier(word, false, text[j] === '.') ?? word;
        this.#lastWord = word.toUpperCase();
        i = j;
        continue;
      }
      if (!/\s/.test(c)) this.#lastWord = '';
      out += c;
      i += 1;
    }
    return out;
  }

  /** The replacement for an identifier token that names the schema, or undefined to keep it. */
  #identifier(word: string, quoted: boolean, qualifies: boolean): string | undefined {
    if (!this.#matchesSchema(word, quoted)) return undefined;
    if (qualifies || this.#lastWord === 'SCHEMA') return this.#to;
    return undefined;
  }
}
