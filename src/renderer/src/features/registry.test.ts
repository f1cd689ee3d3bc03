import { describe, expect, it } from 'vitest';
import type { Role } from '@shared/model/session';
import { activeEntryOf, entriesOf, type NavigationContext, type Screen } from '../lib/screens';
import { sampleWorkspace } from '../test-support/workspaces';
import { navigation, screens } from '.';

const workspace = sampleWorkspace();
const as = (role: Role | undefined): NavigationContext => ({ workspace, role });
const lit = (screen: Screen, context: NavigationContext = as('dba')) => activeEntryOf(screens, screen.name, screen, context);
const labels = (section: 'console' | 'workspace', context: NavigationContext) => entriesOf(navigation, section, context).map((e) => e.label);

describe('the screens and navigation the features register', () => {
  it('gives every entry its own id and a target some feature renders', () => {
    const ids = navigation.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of navigation) expect(Object.keys(screens)).toContain(entry.target.name);
  });

  it('lights only entries that exist', () => {
    const ids = new Set(navigation.map((entry) => entry.id));
    for (const [name, definition] of Object.entries(screens)) {
      if (typeof definition.entry === 'string') expect(ids, `screen ${name}`).toContain(definition.entry);
    }
  });

  it('lists the console’s entries, then the workspace’s in order, the audit to platform admins only', () => {
    expect(labels('console', as('support'))).toEqual(['Workspaces']);
    expect(labels('workspace', as('support'))).toEqual(['Overview', 'Tenants', 'Workbench', 'Explain', 'Jobs', 'Indexes', 'Lifecycle', 'Partitions', 'Lifecycle (ILM)', 'Retention', 'Backups']);
    expect(labels('workspace', as('dba'))).toEqual(['Overview', 'Tenants', 'Workbench', 'Explain', 'Jobs', 'Indexes', 'Lifecycle', 'Partitions', 'Lifecycle (ILM)', 'Retention', 'Backups']);
    expect(labels('workspace', as(undefined))).toEqual(['Overview', 'Tenants', 'Workbench', 'Explain', 'Jobs', 'Indexes', 'Lifecycle', 'Partitions', 'Lifecycle (ILM)', 'Retention', 'Backups']);
    expect(labels('workspace', as('platform_admin'))).toEqual(['Overview', 'Tenants', 'Workbench', 'Explain', 'Jobs', 'Indexes', 'Lifecycle', 'Partitions', 'Lifecycle (ILM)', 'Retention', 'Backups', 'Audit']);
  });

  it('keeps Tenants lit below a tenant, in a case and in a client', () => {
    expect(lit({ name: 'tenants' })).toBe('tenants');
    expect(lit({ name: 'tenant', tenantId: 'acme', tab: 'redis' })).toBe('tenants');
    expect(lit({ name: 'case', tenantId: 'acme', caseId: 'c-1' })).toBe('tenants');
    expect(lit({ name: 'client', tenantId: 'acme', clientId: 'k-1' })).toBe('tenants');
    expect(lit({ name: 'audit' }, as('platform_admin'))).toBe('audit');
    expect(lit({ name: 'jobs' })).toBe('jobs');
    expect(lit({ name: 'explain', planId: 'plan_AAAAAAAA' })).toBe('explain');
    expect(lit({ name: 'workbench' })).toBe('workbench');
  });

  it('types each screen’s parameters (checked by the compiler: an error expected below that is not one fails npm run typecheck)', () => {
    const screensNamed: Screen[] = [
      { name: 'case', tenantId: 'acme', caseId: 'c-1' },
      // @ts-expect-error a case is opened with its id
      { name: 'case', tenantId: 'acme' },
      // @ts-expect-error a tenant page has no such tab
      { name: 'tenant', tenantId: 'acme', tab: 'nowhere' },
      // @ts-expect-error no feature declares this screen
      { name: 'nowhere' },
    ];
    expect(screensNamed.map((s) => s.name)).toEqual(['case', 'case', 'tenant', 'nowhere']);
  });

  it('files the editor under the overview for the active workspace and under the list otherwise', () => {
    expect(lit({ name: 'workspace-editor', workspaceId: workspace.id })).toBe('overview');
    expect(lit({ name: 'workspace-editor', workspaceId: 'murima-prod' })).toBe('workspaces');
    expect(lit({ name: 'workspace-editor', workspaceId: null })).toBe('workspaces');
    expect(lit({ name: 'workspace-editor', workspaceId: workspace.id }, { workspace: undefined, role: undefined })).toBe('workspaces');
    expect(lit({ name: 'workspaces' })).toBe('workspaces');
    expect(lit({ name: 'overview' })).toBe('overview');
  });
});
