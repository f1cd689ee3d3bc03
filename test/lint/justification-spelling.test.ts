import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JUSTIFICATION_KINDS } from '@shared/access';
import { JustificationStore, namedScope, type JustificationScope } from '../../src/main/security/policy';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx)$/;

/** Every TypeScript file of the app and its tests, as `path → text`. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of ['src', 'test', 'scripts']) {
    const entries = readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      files.set(relative(ROOT, path), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

const files = sources();
const THIS_FILE = relative(ROOT, import.meta.filename);
/** The files whose text matches, this one (which spells the patterns out) left aside. */
const where = (pattern: RegExp, include: (path: string) => boolean = () => true): string[] =>
  [...files].filter(([path, text]) => path !== THIS_FILE && include(path) && pattern.test(text)).map(([path]) => path);
const isTest = (path: string): boolean => /\.test\.tsx?$/.test(path);

describe('justification kinds have one spelling on both sides of the process boundary', () => {
  it('reads the sources of both sides', () => {
    expect(files.has('src/shared/access/justification-kinds.ts')).toBe(true);
    expect(files.has('src/main/security/policy/justifications.ts')).toBe(true);
    expect(files.has('src/renderer/src/features/access/needs.ts')).toBe(true);
  });

  it('has no snake_case spelling left anywhere', () => {
    expect(where(/\b(?:cross_tenant|prod_unlock)\b/)).toEqual([]);
  });

  it('lists the kinds once, in src/shared/access, and nowhere else (tests may pin what they expect)', () => {
    expect(where(/\[\s*'tenant',\s*'cross-tenant'/, (path) => !isTest(path))).toEqual(['src/shared/access/justification-kinds.ts']);
  });

  it('names only known kinds in audit actions (access.justify.<kind>), so a filter on one finds what main records', () => {
    const named = new Set([...files.values()].flatMap((text) => [...text.matchAll(/access\.justify\.([A-Za-z_-]+)/g)].map((m) => m[1])));
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((kind) => !(JUSTIFICATION_KINDS as readonly (string | undefined)[]).includes(kind))).toEqual([]);
  });

  it('grants every kind in main and names it the same way in the refusal and the status bar', () => {
    const store = new JustificationStore();
    const admin = { operator: { name: 'Ada Admin' }, role: 'platform_admin' as const };
    const scopes: JustificationScope[] = [
      { kind: 'tenant', workspaceId: 'w', tenantId: 'acme' },
      { kind: 'cross-tenant', workspaceId: 'w' },
      { kind: 'unmask', workspaceId: 'w', tenantId: 'acme', field: 'postgres:users#email' },
      { kind: 'prod-unlock', workspaceId: 'w' },
    ];
    expect(scopes.map((scope) => scope.kind)).toEqual([...JUSTIFICATION_KINDS]);
    for (const scope of scopes) {
      expect(store.grant(admin, scope, { reason: 'checking a support ticket' }).scope.kind).toBe(scope.kind);
      expect(namedScope(scope).scope).toBe(scope.kind);
    }
  });
});
