import { parse } from 'libpg-query';
import { AppError } from '@shared/errors';

/**
 * The gate in front of SQL a person typed into the workbench. It reads the statement with
 * PostgreSQL's own parser (libpg-query, the server's grammar compiled to WebAssembly), so what it
 * judges is what the server will run: one statement, of a kind the workbench runs, naming only
 * the tenant's relations and no function that reaches outside the transaction or the database.
 *
 * Unqualified names cannot be judged from the text alone (they resolve by search_path), so the
 * check hands them back; the store resolves them inside the scoped transaction and calls
 * `checkResolvedNames` before the statement is sent.
 */

/** What a scoped run may reach besides the tenant's own schema. */
export interface StatementPolicy {
  /** The tenant's schema. */
  schema: string;
  /** Tables of `public` every tenant may read (the preset's shared registry). */
  sharedTables: readonly string[];
}

/** A relation the statement names without a schema: resolved later by search_path. */
export interface UnqualifiedName {
  name: string;
  /** The statement writes to it (DML target, DDL subject). */
  target: boolean;
  /** Where it starts in the text, 1-based as the server counts. */
  position: number;
}

export interface CheckedStatement {
  /** The parser's node name: SelectStmt, InsertStmt… */
  kind: string;
  /** Whether it changes data or schema (a read-only run refuses it before the server does). */
  writes: boolean;
  /**
   * `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY`: PostgreSQL refuses them inside a
   * transaction block, so they run on a session of their own instead of the scoped transaction.
   */
  outsideTransaction: boolean;
  unqualified: UnqualifiedName[];
}

/** Schemas whose relations anybody may read: the system catalogs. */
const CATALOG_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/** Reads: run in a READ ONLY transaction. */
const READ_KINDS = new Set(['SelectStmt', 'ExplainStmt', 'VariableShowStmt']);
/** Writes the workbench runs when writing is allowed: data changes and DDL on the tenant's own relations. */
const WRITE_KINDS = new Set([
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'CreateStmt',
  'CreateTableAsStmt',
  'ViewStmt',
  'IndexStmt',
  'AlterTableStmt',
  'DropStmt',
  'TruncateStmt',
  'RenameStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'RefreshMatViewStmt',
  'LockStmt',
]);

/** Why a kind is refused, for the ones a person is likely to try. */
const REFUSED_KINDS: Record<string, string> = {
  VariableSetStmt: 'SET and RESET change the session (search_path, role, settings) the tenant scope depends on',
  DiscardStmt: 'DISCARD resets the session the tenant scope lives in',
  TransactionStmt: 'the workbench owns the transaction (BEGIN, COMMIT, ROLLBACK, SAVEPOINT would step out of the tenant scope)',
  ListenStmt: 'LISTEN subscribes the pooled session to notifications',
  UnlistenStmt: 'UNLISTEN changes the pooled session',
  NotifyStmt: 'NOTIFY signals every session of the database',
  CopyStmt: 'COPY reads or writes server files and programs; use Export for results',
  DoStmt: 'DO runs a procedural block the workbench cannot check',
  CallStmt: 'CALL runs a procedure the workbench cannot check',
  CreateFunctionStmt: 'functions run code the workbench cannot check',
  PrepareStmt: 'prepared statements outlive the run in the pooled session',
  ExecuteStmt: 'prepared statements outlive the run in the pooled session',
  DeallocateStmt: 'prepared statements outlive the run in the pooled session',
  DeclareCursorStmt: 'the workbench reads results through its own cursor',
  FetchStmt: 'the workbench reads results through its own cursor',
  ClosePortalStmt: 'the workbench reads results through its own cursor',
  LoadStmt: 'LOAD puts a shared library into the server process',
  CreateRoleStmt: 'roles are not the tenant’s',
  AlterRoleStmt: 'roles are not the tenant’s',
  DropRoleStmt: 'roles are not the tenant’s',
  GrantStmt: 'privileges are not the tenant’s to grant',
  GrantRoleStmt: 'roles are not the tenant’s',
  AlterSystemStmt: 'server settings are not the tenant’s',
  CreateSchemaStmt: 'schemas are the platform’s, not the tenant’s',
  AlterObjectSchemaStmt: 'moving a relation to another schema takes it out of the tenant scope',
  AlterOwnerStmt: 'ownership is not the tenant’s',
};

/**
 * Functions that reach outside the tenant's transaction or the database: settings the scope rests
 * on, other databases, server files, large objects, other sessions, session-level locks, and the
 * *_to_xml family, which runs a query given as a string.
 */
const FORBIDDEN_FUNCTIONS =
  /^(set_config|dblink.*|pg_read_(binary_)?file|pg_ls_.*|pg_stat_file|lo_.*|loread|lowrite|pg_file_.*|pg_(terminate|cancel)_backend|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_(try_)?advisory_(un)?lock(_shared|_all)?|(query|cursor|table|schema|database)_to_xml.*|pg_notify|pg_(create|drop)_.*replication_slot|pg_replication_.*|pg_logical_.*|pg_switch_wal|pg_(start|stop)_backup|pg_backup_(start|stop)|pg_import_system_collations)$/;

/** Functions whose first argument names a sequence as text: the name is checked like a relation. */
const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval']);

/** DML nodes: their `relation` is a target. */
const DML_KINDS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of a wrapped node (`{ SelectStmt: {…} }`). */
function nodeKind(node: Json): string {
  return Object.keys(node)[0] ?? '';
}

function stringsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => (isObject(item) && isObject(item.String) && typeof item.String.sval === 'string' ? [item.String.sval] : []));
}

function forbidden(message: string, reason: string, position?: number): AppError {
  return new AppError('forbidden', message, { reason, ...(position !== undefined && { position: String(position) }) });
}

interface Walk {
  policy: StatementPolicy;
  writes: boolean;
  unqualified: UnqualifiedName[];
  /** The key whose value is being visited: a `relation` under a DML node is a target. */
  parentKind: string;
}

/** A relation named in the statement: qualified ones are judged now, unqualified ones collected. */
function visitRelation(walk: Walk, range: Json, target: boolean): void {
  const name = String(range.relname);
  const position = typeof range.location === 'number' ? range.location + 1 : undefined;
  if (range.relpersistence === 't') {
    throw forbidden(`Temporary table ${name}: a temporary table outlives the run in the pooled session.`, 'temporary-table', position);
  }
  if (typeof range.catalogname === 'string') {
    throw forbidden(`${range.catalogname}.${String(range.schemaname)}.${name} names another database.`, 'other-database', position);
  }
  const schema = typeof range.schemaname === 'string' ? range.schemaname : undefined;
  if (schema === undefined) {
    walk.unqualified.push({ name, target, position: position ?? 0 });
    return;
  }
  judgeRelation(walk.policy, schema, name, target, position);
}

/** Whether a relation (schema known) is within the tenant's reach; throws `forbidden` when it is not. */
export function judgeRelation(policy: StatementPolicy, schema: string, name: string, target: boolean, position?: number): void {
  if (schema === policy.schema) return;
  const label = `${schema}.${name}`;
  if (target) throw forbidden(`${label} is outside the tenant's schema ${policy.schema}; the workbench changes only the tenant's relations.`, 'outside-schema', position);
  if (CATALOG_SCHEMAS.has(schema)) return;
  if (schema === 'public' && policy.sharedTables.includes(name)) return;
  throw forbidden(`${label} is outside the tenant's schema ${policy.schema}.`, 'outside-schema', position);
}

function visitFunction(walk: Walk, call: Json): void {
  const parts = stringsOf(call.funcname);
  const name = (parts[parts.length - 1] ?? '').toLowerCase();
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const position = typeof call.location === 'number' ? call.location + 1 : undefined;
  if (FORBIDDEN_FUNCTIONS.test(name)) {
    throw forbidden(`${name}() reaches outside the tenant's run (settings, files, other sessions or databases).`, 'forbidden-function', position);
  }
  if (schema !== undefined && schema !== walk.policy.schema && schema !== 'pg_catalog' && schema !== 'public') {
    throw forbidden(`${schema}.${name}() is a function of another schema.`, 'outside-schema', position);
  }
  if (SEQUENCE_FUNCTIONS.has(name)) {
    const first = Array.isArray(call.args) ? call.args[0] : undefined;
    const literal = isObject(first) && isObject(first.A_Const) && isObject(first.A_Const.sval) ? first.A_Const.sval.sval : undefined;
    if (typeof literal !== 'string') return;
    const [sequenceSchema, sequenceName] = literal.includes('.') ? literal.split('.', 2).map((s) => s.replace(/^"|"$/g, '')) : [undefined, literal];
    if (sequenceSchema === undefined) walk.unqualified.push({ name: sequenceName ?? literal, target: name !== 'currval', position: position ?? 0 });
    else judgeRelation(walk.policy, sequenceSchema, sequenceName ?? '', name !== 'currval', position);
  }
}

/** DROP TABLE/VIEW/INDEX/SEQUENCE names its objects as name lists, not RangeVars. */
function visitDrop(walk: Walk, drop: Json): void {
  const removable = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_MATVIEW']);
  if (!removable.has(String(drop.removeType))) {
    throw forbidden(`DROP of ${String(drop.removeType).replace('OBJECT_', '').toLowerCase()} objects is not run in the workbench; it drops tables, views, indexes and sequences of the tenant.`, 'refused-statement');
  }
  for (const object of Array.isArray(drop.objects) ? drop.objects : []) {
    const names = isObject(object) && isObject(object.List) ? stringsOf(object.List.items) : [];
    if (names.length === 1) walk.unqualified.push({ name: names[0] ?? '', target: true, position: 0 });
    else if (names.length === 2) judgeRelation(walk.policy, names[0] ?? '', names[1] ?? '', true);
    else throw forbidden(`DROP ${names.join('.')} names another database.`, 'other-database');
  }
}

/** Every node of the tree, depth first; RangeVars are recognised by `relname` wherever they sit. */
function visit(walk: Walk, value: unknown, target: boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(walk, item, false);
    return;
  }
  if (!isObject(value)) return;
  if (typeof value.relname === 'string') {
    visitRelation(walk, value, target);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (!isObject(child) && !Array.isArray(child)) continue;
    if (key === 'FuncCall' && isObject(child)) visitFunction(walk, child);
    if (DML_KINDS.has(key)) walk.writes = true;
    if (key === 'DropStmt' && isObject(child)) visitDrop(walk, child);
    if (REFUSED_KINDS[key] && isObject(child)) throw forbidden(`Refused: ${REFUSED_KINDS[key]}.`, 'refused-statement');
    // The relation of a DML node is what it changes.
    const isTarget = key === 'relation' && DML_KINDS.has(walk.parentKind);
    const previous = walk.parentKind;
    walk.parentKind = key;
    visit(walk, child, isTarget);
    walk.parentKind = previous;
  }
}

/** The server-equivalent AppError for text that does not parse (position 1-based, as the server gives it). */
function parseError(error: unknown): AppError {
  const details = isObject(error) && isObject(error.sqlDetails) ? error.sqlDetails : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const cursor = typeof details?.cursorPosition === 'number' ? details.cursorPosition : undefined;
  return new AppError('invalid_argument', message, { sqlState: '42601', ...(cursor !== undefined && { position: String(cursor + 1) }) });
}

/**
 * Parse trees of recent texts: a fan-out runs one text for every tenant, and parsing (about 0.7 ms
 * for a join with a CTE) is the same each time; only the judging depends on the tenant. The walk
 * never changes a tree, so one can be shared.
 */
const TREES = new Map<string, unknown>();
const MAX_TREES = 32;

async function parsed(sql: string): Promise<unknown> {
  const known = TREES.get(sql);
  if (known !== undefined) return known;
  let tree: unknown;
  try {
    tree = await parse(sql);
  } catch (error) {
    throw parseError(error);
  }
  if (TREES.size >= MAX_TREES) TREES.delete(TREES.keys().next().value ?? '');
  TREES.set(sql, tree);
  return tree;
}

/**
 * Parses `sql` and judges it against the tenant's policy. Throws `invalid_argument` for text that
 * does not parse or holds other than one statement, and `forbidden` for a statement that reaches
 * outside the tenant's schema or the run's transaction.
 */
export async function checkUserStatement(sql: string, policy: StatementPolicy): Promise<CheckedStatement> {
  if (sql.trim() === '') throw new AppError('invalid_argument', 'There is no statement to run.', { statements: 0 });
  const tree = await parsed(sql);
  const statements = isObject(tree) && Array.isArray(tree.stmts) ? tree.stmts : [];
  if (statements.length !== 1) {
    throw new AppError(
      'invalid_argument',
      statements.length === 0 ? 'There is no statement to run.' : `The workbench runs one statement at a time; this text holds ${statements.length}. Run them one by one.`,
      { statements: statements.length },
    );
  }
  const first: unknown = statements[0];
  const node = isObject(first) && isObject(first.stmt) ? first.stmt : {};
  const kind = nodeKind(node);
  if (REFUSED_KINDS[kind]) throw forbidden(`Refused: ${REFUSED_KINDS[kind]}.`, 'refused-statement');
  if (!READ_KINDS.has(kind) && !WRITE_KINDS.has(kind)) {
    throw forbidden(`${kind.replace(/Stmt$/, '')} statements are not run in the workbench: it runs queries, data changes and DDL on the tenant's relations.`, 'refused-statement');
  }
  const walk: Walk = { policy, writes: WRITE_KINDS.has(kind), unqualified: [], parentKind: kind };
  const body = node[kind];
  if (isObject(body)) refuseSubcommands(kind, body);
  if (kind === 'DropStmt' && isObject(body)) visitDrop(walk, body);
  // DDL subjects (CREATE TABLE x, CREATE INDEX … ON x, ALTER TABLE x, TRUNCATE x, SELECT … INTO x) are targets.
  if (isObject(body)) {
    if (kind === 'SelectStmt' && isObject(body.intoClause)) walk.writes = true;
    for (const [key, child] of Object.entries(body)) {
      const subject = walk.writes && ['relation', 'relations', 'view', 'sequence', 'into', 'intoClause'].includes(key);
      walk.parentKind = kind;
      visitSubject(walk, child, subject);
    }
  }
  // EXPLAIN runs its statement only with ANALYZE.
  if (kind === 'ExplainStmt' && isObject(body) && !optionNames(body.options).includes('analyze')) walk.writes = false;
  const outsideTransaction = (kind === 'IndexStmt' || kind === 'DropStmt') && isObject(body) && body.concurrent === true;
  return { kind, writes: walk.writes, outsideTransaction, unqualified: walk.unqualified };
}

function optionNames(options: unknown): string[] {
  if (!Array.isArray(options)) return [];
  return options.flatMap((option) => (isObject(option) && isObject(option.DefElem) && typeof option.DefElem.defname === 'string' ? [option.DefElem.defname] : []));
}

/** Relation kinds RENAME may touch; renaming a schema, role or database is not the tenant's. */
const RENAMABLE = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_MATVIEW', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT']);
/** ALTER TABLE subcommands that hand the table or its protection to someone else. */
const REFUSED_ALTERS = new Set(['AT_ChangeOwner', 'AT_DisableRowSecurity', 'AT_NoForceRowSecurity', 'AT_EnableRowSecurity', 'AT_ForceRowSecurity', 'AT_SetTableSpace']);

function refuseSubcommands(kind: string, body: Json): void {
  if ((kind === 'DropStmt' || kind === 'TruncateStmt') && body.behavior === 'DROP_CASCADE') {
    throw forbidden('CASCADE reaches whatever depends on the relation, in any schema; drop or truncate the dependents by name.', 'refused-statement');
  }
  if (kind === 'RenameStmt' && !RENAMABLE.has(String(body.renameType))) {
    throw forbidden(`Renaming ${String(body.renameType).replace('OBJECT_', '').toLowerCase()} objects is not run in the workbench; it renames the tenant's relations and columns.`, 'refused-statement');
  }
  if (kind === 'AlterTableStmt' && Array.isArray(body.cmds)) {
    for (const command of body.cmds) {
      const subtype = isObject(command) && isObject(command.AlterTableCmd) ? String(command.AlterTableCmd.subtype) : '';
      if (REFUSED_ALTERS.has(subtype)) throw forbidden('Ownership, row-level security and tablespaces are the platform’s, not the tenant’s: the workbench does not change them.', 'refused-statement');
    }
  }
}

/** Visits one field of the top statement; `subject` marks RangeVars found directly in it as targets. */
function visitSubject(walk: Walk, value: unknown, subject: boolean): void {
  if (!subject) {
    visit(walk, value, false);
    return;
  }
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (!isObject(item)) continue;
    const range = isObject(item.RangeVar) ? item.RangeVar : typeof item.relname === 'string' ? item : isObject(item.rel) ? item.rel : undefined;
    if (range) visitRelation(walk, range, true);
    else visit(walk, item, false);
  }
}

/**
 * Judges the unqualified names once the server said where they resolve (`schema` null when the
 * name resolves to nothing: a CTE, or a relation the statement creates).
 */
export function checkResolvedNames(names: readonly UnqualifiedName[], resolved: ReadonlyMap<string, string | null>, policy: StatementPolicy): void {
  for (const { name, target, position } of names) {
    const schema = resolved.get(name);
    if (schema === null || schema === undefined) continue;
    judgeRelation(policy, schema, name, target, position || undefined);
  }
}
