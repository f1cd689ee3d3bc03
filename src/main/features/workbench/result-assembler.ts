import type { RecordKind } from '@shared/masking';
import type { ResultColumn, RowBatch, RunId } from '@shared/model/workbench';
import type { StoreKind } from '@shared/model/workspace';
import type { UserColumn } from '../../stores/user-query';
import { columnRule, columnVisible, maskCell, maskJson, maskRedisReply, rowJsonKind, type ColumnRule, type ResultMasking } from './result-masking';

export interface AssemblerOptions {
  runId: RunId;
  engine: StoreKind;
  masking: ResultMasking;
  /** The family documents are masked as (`mongo:clientcontacts`); rows are masked by column name. */
  documentKind?: RecordKind;
  /** A fan-out: every row starts with the tenant it came from. */
  leadingTenant?: boolean;
  /**
   * Values exactly as the server wrote them (an export to CSV, byte for byte what COPY writes),
   * rather than typed for the grid (numbers, booleans, parsed JSON).
   */
  textValues?: boolean;
}

/** Column keys: a user's column by name and occurrence (`id#0`, `id#1` for a join), the tenant apart from them. */
const TENANT_KEY = '\u0000tenant';
const keyOf = (name: string, occurrence: number): string => `${name}#${occurrence}`;

const NUMERIC_TYPES = new Set(['int2', 'int4', 'oid', 'float4', 'float8']);
const JSON_TYPES = new Set(['json', 'jsonb']);

/** One runner's view of the result: where each of its columns goes, and how each is masked. */
export interface PartReader {
  slots: number[];
  types: string[];
  rules: Array<ColumnRule | undefined>;
}

/**
 * Turns what runners yield into column batches: one array per column, `seq` from 0, the columns
 * with the first batch and again whenever they grow (documents bring new fields) or a column turns
 * out to hold masked values. Rows of several runners (a fan-out's tenants) share one column list,
 * matched by name, so a tenant whose table has an extra column adds it instead of shifting others.
 */
export class ResultAssembler {
  readonly #options: AssemblerOptions;
  readonly #columns: ResultColumn[] = [];
  readonly #keys = new Map<string, number>();
  #version = 0;
  #sentVersion = -1;
  #seq = 0;
  #rows = 0;

  constructor(options: AssemblerOptions) {
    this.#options = options;
    if (options.leadingTenant) this.#slot(TENANT_KEY, { name: 'tenant', type: 'text' });
  }

  get columns(): ResultColumn[] {
    return this.#columns.map((column) => ({ ...column }));
  }

  get rows(): number {
    return this.#rows;
  }

  /** A runner's columns (PostgreSQL, Redis): where each goes, and whether the caller sees it masked. */
  reader(columns: readonly UserColumn[]): PartReader {
    const seen = new Map<string, number>();
    const reader: PartReader = { slots: [], types: [], rules: [] };
    for (const column of columns) {
      const occurrence = seen.get(column.name) ?? 0;
      seen.set(column.name, occurrence + 1);
      const rule = columnRule(this.#options.engine, column.name);
      const masked = rule !== undefined && !columnVisible(rule, column.name, this.#options.masking);
      const slot = this.#slot(keyOf(column.name, occurrence), { name: column.name, type: column.type, ...(masked && { masked: true }) });
      if (masked) this.#markMasked(slot);
      reader.slots.push(slot);
      reader.types.push(column.type);
      reader.rules.push(masked ? rule : undefined);
    }
    return reader;
  }

  /**
   * Whether rows of this reader leave exactly as the store gave them: server text (an export),
   * nothing to mask, no JSON to look into, no tenant to add. An export then writes them as they
   * are, without building columns it would turn back into rows.
   */
  passesThrough(reader: PartReader): boolean {
    return (
      this.#options.textValues === true &&
      this.#options.engine === 'postgres' &&
      !this.#options.leadingTenant &&
      reader.rules.every((rule) => rule === undefined) &&
      reader.types.every((type) => !JSON_TYPES.has(type))
    );
  }

  /** Counts rows that passed through, so the total stays right. */
  countPassedThrough(rows: number): void {
    this.#rows += rows;
  }

  /** Rows in the order of the reader's columns, as one batch. */
  rowsBatch(reader: PartReader, rows: readonly unknown[][], tenantId?: string): RowBatch {
    const count = rows.length;
    const values = this.#emptyValues(count, tenantId);
    const jsonKind = rowJsonKind(this.#options.engine);
    for (let c = 0; c < reader.slots.length; c += 1) {
      const slot = reader.slots[c] as number;
      const target = values[slot] as unknown[];
      const rule = reader.rules[c];
      const type = reader.types[c] as string;
      const isJson = JSON_TYPES.has(type);
      for (let r = 0; r < count; r += 1) {
        const raw = (rows[r] as unknown[])[c] ?? null;
        if (raw === null) continue;
        if (rule) target[r] = maskCell(rule, raw);
        else if (isJson) target[r] = this.#maskedJson(slot, raw, jsonKind);
        else target[r] = this.#options.textValues ? raw : typed(type, raw);
      }
    }
    if (this.#options.engine === 'redis') this.#maskRedisReplies(reader, rows, values);
    return this.#batch(values, count);
  }

  /** Redis rows name the hash field (`item`) a reply belongs to: a sensitive one masks the reply. */
  #maskRedisReplies(reader: PartReader, rows: readonly unknown[][], values: unknown[][]): void {
    const names = reader.slots.map((slot) => this.#columns[slot]?.name);
    const item = names.indexOf('item');
    const reply = names.indexOf('reply');
    if (reply < 0) return;
    const replySlot = reader.slots[reply] as number;
    const target = values[replySlot] as unknown[];
    for (let r = 0; r < rows.length; r += 1) {
      const row = rows[r] as unknown[];
      const { value, masked } = maskRedisReply(item < 0 ? undefined : row[item], target[r], this.#options.masking);
      if (!masked) continue;
      target[r] = value;
      this.#markMasked(replySlot);
    }
  }

  /** Documents as one batch: their top-level fields are the columns, in order of first appearance. */
  documentsBatch(documents: readonly Record<string, unknown>[], tenantId?: string): RowBatch {
    const kind = this.#options.documentKind ?? `${this.#options.engine}:workbench`;
    const masked = documents.map((document) => maskJson(kind, document, this.#options.masking));
    const slotsOf = masked.map(({ value, maskedFields }) =>
      Object.entries(value).map(([name, cell]) => {
        const slot = this.#slot(keyOf(name, 0), { name, type: typeOfValue(cell) });
        if (maskedFields.has(name)) this.#markMasked(slot);
        return slot;
      }),
    );
    const values = this.#emptyValues(documents.length, tenantId);
    masked.forEach(({ value }, r) => {
      const slots = slotsOf[r] as number[];
      Object.values(value).forEach((cell, i) => {
        (values[slots[i] as number] as unknown[])[r] = cell === undefined ? null : cell;
      });
    });
    return this.#batch(values, documents.length);
  }

  #maskedJson(slot: number, raw: unknown, kind: RecordKind): unknown {
    let parsed: unknown;
    try {
      parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      return raw;
    }
    const { value, maskedFields } = maskJson(kind, parsed, this.#options.masking);
    if (maskedFields.size === 0) return this.#options.textValues ? raw : parsed;
    this.#markMasked(slot);
    return this.#options.textValues ? JSON.stringify(value) : value;
  }

  #emptyValues(count: number, tenantId: string | undefined): unknown[][] {
    const values = this.#columns.map(() => new Array<unknown>(count).fill(null));
    if (this.#options.leadingTenant) (values[0] as unknown[]).fill(tenantId ?? null);
    return values;
  }

  #slot(key: string, column: ResultColumn): number {
    const known = this.#keys.get(key);
    if (known !== undefined) return known;
    this.#columns.push(column);
    this.#keys.set(key, this.#columns.length - 1);
    this.#version += 1;
    return this.#columns.length - 1;
  }

  #markMasked(slot: number): void {
    const column = this.#columns[slot];
    if (!column || column.masked) return;
    column.masked = true;
    this.#version += 1;
  }

  #batch(values: unknown[][], rows: number): RowBatch {
    this.#rows += rows;
    const batch: RowBatch = { runId: this.#options.runId, seq: this.#seq, rows, values };
    this.#seq += 1;
    if (this.#version !== this.#sentVersion) {
      batch.columns = this.columns;
      this.#sentVersion = this.#version;
    }
    return batch;
  }
}

/** The grid's value for PostgreSQL text: small numbers and booleans typed, the rest (int8, numeric, dates) as the server wrote them. */
function typed(type: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (type === 'bool') return raw === 't' ? true : raw === 'f' ? false : raw;
  if (NUMERIC_TYPES.has(type)) {
    const value = Number(raw);
    return Number.isFinite(value) ? value : raw;
  }
  return raw;
}

function typeOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
