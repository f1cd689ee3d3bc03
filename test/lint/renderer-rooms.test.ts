import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a one-line file as if it lived at `filePath` and returns the messages of both import rules. */
async function importViolations(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

const INTERNALS = "reaches another feature only through that feature's index.ts";
const SHELL = 'never imports the shell';
const ASSEMBLY = 'does not import the features’ assembly';
const LIB = 'know no feature, the shell or the store';

// ESLint's first run loads every plugin; on a busy machine that alone can take seconds.
describe('the renderer’s rooms are enforced by lint', { timeout: 60_000 }, () => {
  it.each([
    ['src/renderer/src/features/cases/CasePage.tsx', "import { useCall } from '../tenants/useCall';", INTERNALS],
    ['src/renderer/src/features/cases/CasePage.tsx', "import type { TenantTab } from '../tenants/inspector';", INTERNALS],
    ['src/renderer/src/features/audit/AuditViewer.tsx', "import { sampleSession } from '../access/test-data';", INTERNALS],
    ['src/renderer/src/features/audit/AuditViewer.tsx', "import { TenantBrowser } from '../../features/tenants/TenantBrowser';", INTERNALS],
    ['src/renderer/src/features/cases/parts/Row.tsx', "import { formatTime } from '../../tenants/format';", INTERNALS],
    ['src/renderer/src/features/tenants/TenantPage.tsx', "import type { Screen } from '../../shell/shell-slice';", SHELL],
    ['src/renderer/src/features/tenants/TenantPage.tsx', "import { Shell } from '../../shell/Shell';", SHELL],
    ['src/renderer/src/features/cases/parts/Row.tsx', "import { NavigationBar } from '../../../shell/NavigationBar';", SHELL],
    ['src/renderer/src/features/audit/screens.ts', "import { screens } from '..';", ASSEMBLY],
    ['src/renderer/src/features/audit/screens.ts', "import { createFeatureSlices } from '../slices';", ASSEMBLY],
    ['src/renderer/src/features/cases/parts/Row.tsx', "import { screens } from '../..';", ASSEMBLY],
    ['src/renderer/src/lib/format.ts', "import { useAppStore } from '../store';", LIB],
    ['src/renderer/src/lib/screens.tsx', "import { screens } from '../features';", LIB],
    ['src/renderer/src/components/DataGrid.tsx', "import { TenantCrumbs } from '../features/tenants';", LIB],
    ['src/renderer/src/components/DataGrid.tsx', "import { Shell } from '../shell/Shell';", LIB],
  ])('%s: %s is refused', async (filePath, source, expected) => {
    const messages = await importViolations(filePath, source);
    expect(messages.join('\n')).toContain(expected);
  });

  it('keeps the process rooms for the files the renderer rules cover', async () => {
    const messages = await importViolations('src/renderer/src/features/cases/CasePage.tsx', "import { readFile } from 'node:fs';");
    expect(messages.join('\n')).toContain('no Node built-ins');
  });

  it.each([
    ['src/renderer/src/features/cases/CasePage.tsx', "import { TenantCrumbs } from '../tenants';"],
    ['src/renderer/src/features/cases/CasePage.tsx', "import { TenantCrumbs } from '../tenants/index';"],
    ['src/renderer/src/features/cases/CasePage.tsx', "import { CaseTimeline } from './CaseTimeline';"],
    ['src/renderer/src/features/cases/CasePage.tsx', "import { useCall } from '../../lib/useCall';"],
    ['src/renderer/src/features/cases/CasePage.tsx', "import { DataGrid } from '../../components/DataGrid';"],
    ['src/renderer/src/features/cases/CasePage.tsx', "import { useAppStore } from '../../store';"],
    ['src/renderer/src/features/cases/parts/Row.tsx', "import { CaseTimeline } from '../CaseTimeline';"],
    ['src/renderer/src/features/cases/parts/Row.tsx', "import { TenantCrumbs } from '../../tenants';"],
    ['src/renderer/src/features/index.ts', "import * as tenants from './tenants';"],
    ['src/renderer/src/features/slices.ts', "import { createTenantsSlice } from './tenants/slice';"],
    ['src/renderer/src/shell/Shell.tsx', "import { screens } from '../features';"],
    ['src/renderer/src/lib/screens.tsx', "import type { Role } from '@shared/model/session';"],
  ])('%s: %s is allowed', async (filePath, source) => {
    expect(await importViolations(filePath, source)).toEqual([]);
  });
});
