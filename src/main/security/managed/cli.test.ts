import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './cli';
import { MANAGED_FORMAT } from './signed-workspace';

let dir: string;
let lines: string[];
const run = (argv: string[]) => main(argv, (line) => lines.push(line), (line) => lines.push(line));

const EXAMPLE_PAYLOAD = {
  format: MANAGED_FORMAT,
  version: 1,
  id: 'murima-prod',
  workspace: {
    name: 'Murima prod',
    environment: 'prod',
    preset: 'murima2025',
    endpoints: { postgres: { host: 'db.example.com', port: 5432, database: 'murima', username: 'support_ro' } },
  },
  operator: { role: 'support' },
  issuedBy: 'Ada Admin <ada@example.com>',
  issuedAt: '2026-11-01T09:00:00Z',
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-workspace-cli-'));
  lines = [];
  await writeFile(join(dir, 'ws.json'), JSON.stringify(EXAMPLE_PAYLOAD));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('npm run workspace', () => {
  it('makes a key pair, signs a workspace file and verifies it; a changed role no longer verifies', async () => {
    const [priv, pub, input, signed] = ['private.pem', 'public.pem', 'ws.json', 'ws.signed.json'].map((name) => join(dir, name)) as [string, string, string, string];
    expect(await run(['keygen', '--private', priv, '--public', pub])).toBe(0);
    expect(await run(['sign', '--key', priv, '--in', input, '--out', signed])).toBe(0);
    expect(await run(['verify', '--pub', pub, '--in', signed])).toBe(0);
    expect(lines.at(-1)).toContain('role support');

    const file = JSON.parse(await readFile(signed, 'utf8')) as { payload: { operator: { role: string } } };
    file.payload.operator.role = 'platform_admin';
    await writeFile(signed, JSON.stringify(file));
    expect(await run(['verify', '--pub', pub, '--in', signed])).toBe(1);
    expect(lines.at(-1)).toMatch(/NOT VALID: .*changed after it was signed/);
  });

  it('refuses to verify with another admin’s key, and to sign a file holding a password', async () => {
    const p = (name: string) => join(dir, name);
    await run(['keygen', '--private', p('a.pem'), '--public', p('a.pub.pem')]);
    await run(['keygen', '--private', p('b.pem'), '--public', p('b.pub.pem')]);
    expect(await run(['sign', '--key', p('a.pem'), '--in', p('ws.json'), '--out', p('s.json')])).toBe(0);
    expect(await run(['verify', '--pub', p('b.pub.pem'), '--in', p('s.json')])).toBe(1);
    expect(lines.at(-1)).toContain('not among the trusted keys');

    const withPassword = structuredClone(EXAMPLE_PAYLOAD);
    Object.assign(withPassword.workspace.endpoints.postgres, { password: 'hunter2' });
    await writeFile(p('pw.json'), JSON.stringify(withPassword));
    expect(await run(['sign', '--key', p('a.pem'), '--in', p('pw.json'), '--out', p('pw.signed.json')])).toBe(2);
    expect(lines.at(-1)).toContain('never holds a password');
  });

  it('prints the usage for an unknown command', async () => {
    expect(await run(['publish'])).toBe(2);
    expect(lines.at(-1)).toContain('usage: npm run workspace');
  });
});
