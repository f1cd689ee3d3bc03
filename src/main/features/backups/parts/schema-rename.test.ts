import { describe, expect, it } from 'vitest';
import { SchemaRenamer } from './schema-rename';

const rename = (from: string, to: string, script: string): { out: string; copies: number } => {
  const renamer = new SchemaRenamer(from, to);
  const out = script.split('\n').map((line) => renamer.line(line)).join('\n');
  return { out, copies: renamer.copies };
};

describe('SchemaRenamer', () => {
  it('renames the schema where pg_dump names it, and nowhere else', () => {
    const script = [
      'CREATE SCHEMA tenant_a;',
      'ALTER SCHEMA tenant_a OWNER TO postgres;',
      'CREATE FUNCTION tenant_a.touch() RETURNS trigger',
      '    LANGUAGE plpgsql',
      '    AS $_$',
      'BEGIN',
      "  UPDATE tenant_a.stats SET note = 'it''s tenant_a.stats' WHERE $1 IS NULL;",
      '  RETURN NEW;',
      'END $_$;',
      'CREATE TABLE tenant_a.cases (',
      '    id integer NOT NULL,',
      "    tenant_id text DEFAULT 'tenant_a'::text CHECK (tenant_id = 'tenant_a'),",
      "    note text DEFAULT 'see tenant_a.cases'::text",
      ');',
      "ALTER TABLE ONLY tenant_a.cases ALTER COLUMN id SET DEFAULT nextval('tenant_a.cases_id_seq'::regclass);",
      'COPY tenant_a.cases (id, tenant_id, note) FROM stdin;',
      "1\ttenant_a\ttenant_a.cases is data; CREATE SCHEMA tenant_a; it's",
      '\\.',
      "SELECT pg_catalog.setval('tenant_a.cases_id_seq', 1, true);",
      "CREATE POLICY tenant_a ON tenant_a.cases USING ((tenant_id = current_setting('app.current_tenant_id'::text)));",
      '-- Name: cases; Type: TABLE; Schema: tenant_a; Owner: postgres',
      '/* tenant_a.cases in a comment */',
      "COMMENT ON SCHEMA tenant_a IS 'the tenant_a.x schema';",
      'GRANT USAGE ON SCHEMA tenant_a TO app;',
      'CREATE INDEX i ON tenant_ab.other USING btree (tenant_a);',
      "SELECT E'tenant_a.\\' still a string', tenant_a.f();",
    ].join('\n');
    const { out, copies } = rename('tenant_a', 'restored_a', script);
    expect(copies).toBe(1);
    expect(out.split('\n')).toEqual([
      'CREATE SCHEMA "restored_a";',
      'ALTER SCHEMA "restored_a" OWNER TO postgres;',
      'CREATE FUNCTION "restored_a".touch() RETURNS trigger',
      '    LANGUAGE plpgsql',
      '    AS $_$',
      'BEGIN',
      // Inside a body the text is the function's own code: qualified names follow the schema.
      "  UPDATE \"restored_a\".stats SET note = 'it''s \"restored_a\".stats' WHERE $1 IS NULL;",
      '  RETURN NEW;',
      'END $_$;',
      'CREATE TABLE "restored_a".cases (',
      '    id integer NOT NULL,',
      "    tenant_id text DEFAULT 'tenant_a'::text CHECK (tenant_id = 'tenant_a'),",
      "    note text DEFAULT 'see tenant_a.cases'::text",
      ');',
      'ALTER TABLE ONLY "restored_a".cases ALTER COLUMN id SET DEFAULT nextval(\'"restored_a".cases_id_seq\'::regclass);',
      'COPY "restored_a".cases (id, tenant_id, note) FROM stdin;',
      "1\ttenant_a\ttenant_a.cases is data; CREATE SCHEMA tenant_a; it's",
      '\\.',
      "SELECT pg_catalog.setval('\"restored_a\".cases_id_seq', 1, true);",
      "CREATE POLICY tenant_a ON \"restored_a\".cases USING ((tenant_id = current_setting('app.current_tenant_id'::text)));",
      '-- Name: cases; Type: TABLE; Schema: tenant_a; Owner: postgres',
      '/* tenant_a.cases in a comment */',
      "COMMENT ON SCHEMA \"restored_a\" IS 'the tenant_a.x schema';",
      'GRANT USAGE ON SCHEMA "restored_a" TO app;',
      'CREATE INDEX i ON tenant_ab.other USING btree (tenant_a);',
      "SELECT E'\"restored_a\".\\' still a string', \"restored_a\".f();",
    ]);
  });

  it('renames a schema pg_dump had to quote, and quotes a target that is a keyword', () => {
    const { out } = rename('Tenant_A', 'select', 'CREATE TABLE "Tenant_A".cases (id int);\nCREATE TABLE tenant_a.cases (id int);\nCOMMENT ON SCHEMA "Tenant_A" IS \'x\';');
    expect(out).toBe('CREATE TABLE "select".cases (id int);\nCREATE TABLE tenant_a.cases (id int);\nCOMMENT ON SCHEMA "select" IS \'x\';');
  });

  it('keeps multi-line strings and nested comments apart from SQL', () => {
    const { out } = rename('s', 't', "COMMENT ON TABLE s.x IS 'first line\ns.y on the second';\n/* a /* nested\n s.z */ still comment */ SELECT s.w;");
    expect(out).toBe("COMMENT ON TABLE \"t\".x IS 'first line\ns.y on the second';\n/* a /* nested\n s.z */ still comment */ SELECT \"t\".w;");
  });
});
