import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = process.cwd();
const CONFIG = resolve(REPO, '.dependency-cruiser.cjs');
const DEPCRUISE = resolve(REPO, 'node_modules/.bin/depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the import-graph check of `npm run lint` over `paths` in `cwd`; returns its violations. */
async function graphViolations(cwd: string, paths: string[]): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, [...paths, '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    // depcruise exits non-zero when it finds violations; its JSON report is still on stdout.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

/** A small tree shaped like src/, one wrong import per file, plus one allowed import of each kind. */
const FIXTURE: Record<string, string> = {
  'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['src/shared/*'] } } }),
  'src/shared/model/x.ts': 'export const shared = 1;\n',
  'src/main/core/router.ts': "import { casesService } from '../features/cases/service';\nexport const router = casesService;\n",
  'src/main/reading/stores.ts': 'export const reading = 1;\n',
  'src/main/reading/upwards.ts': "import { casesService } from '../features/cases/service';\nexport const upwards = casesService;\n",
  'src/main/features/cases/service.ts': "import { reading } from '../../reading/stores';\nimport { shared } from '@shared/model/x';\nexport const casesService = reading + shared;\n",
  'src/main/features/clients/service.ts': "import { casesService } from '../cases/service';\nexport const clientsService = casesService;\n",
  'src/main/features/audit/service.ts': "import { router } from '../../core/router';\nexport const auditService = router;\n",
  'src/main/features/tenants/service.ts': "import { keys } from '../redis-namespace/keys';\nexport const tenantsService = keys;\n",
  'src/main/features/redis-namespace/keys.ts': 'export const keys = 1;\n',
  'src/main/stores/a.ts': "import { b } from './b';\nexport const a = 1;\nexport const viaB = b;\n",
  'src/main/stores/b.ts': "import { a } from './a';\nexport const b = 2;\nexport const viaA = a;\n",
  'src/renderer/src/features/tenants/index.ts': "export { TenantPage } from './TenantPage';\n",
  'src/renderer/src/features/tenants/TenantPage.ts': 'export const TenantPage = 1;\n',
  'src/renderer/src/features/cases/CasePage.ts': "import { TenantPage } from '../tenants/TenantPage';\nimport { TenantPage as ThroughIndex } from '../tenants';\nexport const CasePage = TenantPage + ThroughIndex;\n",
  'src/renderer/src/shell/Shell.ts': "import { TenantPage } from '../features/tenants/TenantPage';\nexport const Shell = TenantPage;\n",
};

const pairs = (violations: Violation[]): string[] => violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

// Each run starts a TypeScript-aware resolver; on a busy machine that takes seconds.
describe('the import graph of `npm run lint`', { timeout: 120_000 }, () => {
  let fixture: string;

  beforeAll(async () => {
    fixture = await mkdtemp(join(tmpdir(), 'tenantscope-graph-'));
    for (const [path, text] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(fixture, path)), { recursive: true });
      await writeFile(join(fixture, path), text);
    }
  });

  afterAll(async () => {
    await rm(fixture, { recursive: true, force: true });
  });

  it('refuses each wrong import and every cycle, and nothing else', async () => {
    expect(pairs(await graphViolations(fixture, ['src']))).toEqual([
      'main-feature-to-core: src/main/features/audit/service.ts -> src/main/core/router.ts',
      'main-feature-to-other-feature: src/main/features/clients/service.ts -> src/main/features/cases/service.ts',
      'main-feature-to-other-feature: src/main/features/tenants/service.ts -> src/main/features/redis-namespace/keys.ts',
      'main-shared-layer-upwards: src/main/reading/upwards.ts -> src/main/features/cases/service.ts',
      'no-circular: src/main/stores/a.ts -> src/main/stores/b.ts', // one report per cycle
      'renderer-feature-internals: src/renderer/src/features/cases/CasePage.ts -> src/renderer/src/features/tenants/TenantPage.ts',
      'renderer-outside-feature-internals: src/renderer/src/shell/Shell.ts -> src/renderer/src/features/tenants/TenantPage.ts',
    ]);
  });

  it('finds no violation in the main process, the preload script and shared code', async () => {
    expect(pairs(await graphViolations(REPO, ['src/main', 'src/shared', 'src/preload']))).toEqual([]);
  });

  it('finds no violation in the renderer', async () => {
    expect(pairs(await graphViolations(REPO, ['src/renderer']))).toEqual([]);
  });
});
