/**
 * What a method does, as far as access is concerned. Every contract method declares exactly one
 * class next to its schema (`method({ access: 'tenant-read', … })`); the main process's policy
 * decides from the class who may call it, where, with which reason, and whether it is audited.
 */
export const METHOD_CLASS_NAMES = [
  /** The console itself: version, transport round trip, the local vault. */
  'app',
  /** Workspace settings as the status bar and lists show them. */
  'workspace.read',
  /** Creating, changing, removing workspaces and trying their endpoints. */
  'workspace.manage',
  /** Store-wide metadata that holds no tenant's data: tenant directory, index lists, plans. */
  'read',
  /** One tenant's data. */
  'tenant-read',
  /** Data of several or all tenants at once. */
  'cross-tenant-read',
  /** Changing data. */
  'write',
  /** Index, partition and ILM changes. */
  'schema-change',
  /**
   * Copying a tenant's (or a whole store's) data out into backup files, and managing those files:
   * it reads every row, so support never runs it; it changes no store, so prod needs no unlock.
   */
  'backup',
  /** Showing one masked field in clear. */
  'unmask',
  /** Lifting prod's read-only state for a while. */
  'unlock',
  /** Reading the console's audit journal. */
  'audit-read',
  /**
   * Starting a job of a kind the jobs room offers itself (the demo kinds) and cancelling jobs. Jobs
   * that change a store are started by their feature's own method, under that method's class.
   */
  'job-control',
] as const;

export type MethodClass = (typeof METHOD_CLASS_NAMES)[number];

export function isMethodClass(value: unknown): value is MethodClass {
  return typeof value === 'string' && (METHOD_CLASS_NAMES as readonly string[]).includes(value);
}
