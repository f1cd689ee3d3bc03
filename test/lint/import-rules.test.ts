import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a one-line file as if it lived at `filePath` and returns the import-rule messages. */
async function importViolations(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// ESLint's first run loads every plugin; on a busy machine that alone can take seconds.
describe('the rooms are enforced by lint', { timeout: 60_000 }, () => {
  it.each([
    ['src/shared/contract/x.ts', "import { readFile } from 'node:fs';", 'no Node built-ins'],
    ['src/shared/model/x.ts', "import pg from 'pg';", 'only under src/main/stores'],
    ['src/shared/model/x.ts', "import { ipcMain } from 'electron';", 'may import electron'],
    ['src/renderer/src/features/x.ts', "import { ipcRenderer } from 'electron';", 'may import electron'],
    ['src/renderer/src/features/x.ts', "import { createHash } from 'crypto';", 'no Node built-ins'],
    ['src/renderer/src/features/x.ts', "import { MongoClient } from 'mongodb';", 'only under src/main/stores'],
    ['src/renderer/src/features/x.ts', "import { createRouter } from '../../../main/core/router';", 'never import main-process code'],
    ['src/main/features/x/service.ts', "import Redis from 'ioredis';", 'only under src/main/stores'],
    ['src/main/features/x/service.ts', "import { app } from 'electron';", 'may import electron'],
    ['src/main/core/x.ts', "import { Client } from '@elastic/elasticsearch';", 'only under src/main/stores'],
    ['src/main/stores/postgres/x.ts', "import { BrowserWindow } from 'electron';", 'may import electron'],
    ['src/preload/x.ts', "import pg from 'pg';", 'only under src/main/stores'],
    // Main rooms: a feature imports no other feature and not core; the layers below import neither.
    ['src/main/features/clients/x.ts', "import { callMasker } from '../cases/service';", 'imports no other feature'],
    ['src/main/features/audit/x.ts', "import type { InspectorStores } from '../cases/ports';", 'imports no other feature'],
    ['src/main/features/audit/x.ts', "import type { WorkspaceRepository } from '../workspaces/repository';", 'imports no other feature'],
    ['src/main/features/tenants/x.ts', "import { createCasesService } from '../../features/cases/service';", 'imports no other feature'],
    ['src/main/features/tenants/redis/x.ts', "import { createCasesService } from '../../cases/service';", 'imports no other feature'],
    ['src/main/features/system/x.ts', "import type { SectionService } from '../../core/router';", 'never imports core'],
    ['src/main/features/workspaces/x.ts', "import { createConsole } from '../../core/console';", 'never imports core'],
    ['src/main/reading/x.ts', "import { createCasesService } from '../features/cases/service';", 'import no feature'],
    ['src/main/services/x.ts', "import { createRouter } from '../core/router';", 'never imports core'],
  ])('%s: %s is refused', async (filePath, source, expected) => {
    const messages = await importViolations(filePath, source);
    expect(messages.join('\n')).toContain(expected);
  });

  it.each([
    ['src/main/stores/postgres/x.ts', "import pg from 'pg';"],
    ['src/main/stores/redis/x.ts', "import Redis from 'ioredis';"],
    ['src/main/index.ts', "import { app } from 'electron';"],
    ['src/main/window/x.ts', "import { BrowserWindow } from 'electron';"],
    ['src/main/ipc/x.ts', "import { ipcMain } from 'electron';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['src/main/features/x/service.ts', "import { readFile } from 'node:fs/promises';"],
    ['src/renderer/src/features/x.ts', "import { z } from 'zod';"],
    ['src/main/features/cases/x.ts', "import { searchCases } from './search';"],
    ['src/main/features/cases/x.ts', "import { recordsOf } from '../../reading/stores';"],
    ['src/main/features/clients/x.ts', "import type { SectionService } from '../../services/section';"],
    ['src/main/features/tenants/x.ts', "import { scopeFor } from '@shared/tenancy';"],
    ['src/main/features/tenants/redis/x.ts', "import { createTenantsService } from '../service';"],
    ['src/main/features/tenants/redis/x.ts', "import { recordsOf } from '../../../reading/stores';"],
    ['src/main/core/x.ts', "import { createCasesService } from '../features/cases/service';"],
  ])('%s: %s is allowed', async (filePath, source) => {
    expect(await importViolations(filePath, source)).toEqual([]);
  });
});
