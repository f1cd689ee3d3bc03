/**
 * What opens the explain screen: the workbench's Explain button passes the statement and where it
 * runs; a kept plan opens by its id. Everything is optional: the screen alone offers run and paste.
 */
export interface ExplainParams {
  workspaceId?: string;
  tenantId?: string;
  engine?: 'postgres' | 'mongo' | 'elastic';
  statement?: string;
  collection?: string;
  operation?: 'find' | 'aggregate';
  index?: string;
  planId?: string;
}
