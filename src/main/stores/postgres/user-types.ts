import type pg from 'pg';

/**
 * Type names for result columns, by OID: `int8`, `numeric`, `timestamptz`, `text[]`. The base types,
 * enums, domains and ranges of the database are read once per store (a few hundred rows; table row
 * types are left out, a database with a thousand tenant schemas has tens of thousands of them) and
 * kept. A column of a type not seen then (a row type, an enum created since) is looked up on its own.
 */
const NAMES_SQL = `
  select t.oid::int as oid, case when e.oid is not null then e.typname || '[]' else t.typname end as name
  from pg_type t
  left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
  where t.typrelid = 0 and (e.oid is null or e.typrelid = 0)`;

const LOOKUP_SQL = `
  select t.oid::int as oid, case when e.oid is not null then e.typname || '[]' else t.typname end as name
  from pg_type t
  left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
  where t.oid = any($1::oid[])`;

export class TypeNames {
  readonly #names = new Map<number, string>();
  #loaded = false;

  /** Reads the common type names on `client` the first time (inside the run's transaction: cheap). */
  async load(client: pg.ClientBase): Promise<void> {
    if (this.#loaded) return;
    const result = await client.query<{ oid: number; name: string }>(NAMES_SQL);
    for (const row of result.rows) this.#names.set(row.oid, row.name);
    this.#loaded = true;
  }

  /** The OIDs not known yet. */
  missing(oids: readonly number[]): number[] {
    return [...new Set(oids.filter((oid) => !this.#names.has(oid)))];
  }

  /** Looks up OIDs the first load did not have, with a client the caller provides (the run's is busy with its cursor). */
  async lookUp(oids: readonly number[], query: (sql: string, values: unknown[]) => Promise<{ oid: number; name: string }[]>): Promise<void> {
    if (oids.length === 0) return;
    for (const row of await query(LOOKUP_SQL, [oids])) this.#names.set(row.oid, row.name);
  }

  /** The name of a type; `oid 1234` for one the server did not know either (dropped meanwhile). */
  name(oid: number): string {
    return this.#names.get(oid) ?? `oid ${oid}`;
  }
}
