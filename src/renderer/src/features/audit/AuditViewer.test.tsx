// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodArgs, MethodResult } from '@shared/contract';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { AuditViewer } from './AuditViewer';
import { sampleEntry } from './test-data';

let fake: FakeApi;
let verification: MethodResult<'audit.verify'>;

const entries = [
  sampleEntry(3, { action: 'access.justify.unmask', operator: { name: 'Ada Admin' }, role: 'platform_admin', justification: { id: 'j-2', reason: 'Check the hash algorithm' } }),
  sampleEntry(2),
  sampleEntry(1, { action: 'tenants.get', outcome: 'refused', justification: null, details: { code: 'forbidden', message: 'Open tenant acme with a reason first' } }),
];

beforeAll(() => installLayoutShims());

beforeEach(() => {
  resetAppStore();
  verification = { journal: 'murima-dev', intact: true, entries: 3, lastSeq: 3, lastHash: 'f'.repeat(64) };
  fake = createFakeApi({
    'audit.query': (args) => ({ entries: entries.filter((e) => !args.outcome || e.outcome === args.outcome), unreadable: [], more: false }),
    'audit.verify': () => verification,
    'audit.export': (args) => ({ fileName: `audit-murima-dev.${args.format}`, content: 'seq,at\n3,2026', entries: 3 }),
    'audit.platformLogs': () => ({
      entries: [{ store: 'postgres', at: '2026-11-20T10:00:00.000Z', action: 'UPDATE', actor: 'user 7f1', target: 'users 7f1', record: { changes: { password_hash: { old: '••••', new: '••••' } } } }],
      sources: {
        postgres: { state: 'ok', where: 'tenant_acme.audit_logs', truncated: false },
        mongo: { state: 'not_configured', message: 'no MongoDB in this workspace' },
        elastic: { state: 'not_configured', message: 'no Elasticsearch in this workspace' },
      },
    }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const queries = () => fake.calls.filter((c) => c.method === 'audit.query').map((c) => c.args as MethodArgs<'audit.query'>);
const rows = () => gridRowKeys('Audit entries');
const button = (text: string) => {
  const found = screen.getByText(text, { selector: 'button *, button' }).closest('button');
  if (!found) throw new Error(`no ${text} button`);
  return found;
};

describe('the audit viewer', { timeout: 30_000 }, () => {
  it('lists the active workspace’s journal, newest first, with who, what, why and how it ended', async () => {
    renderWithProviders(<AuditViewer />);
    await waitFor(() => expect(rows()).toEqual(['murima-dev:3', 'murima-dev:2', 'murima-dev:1']));
    expect(queries()).toEqual([{ workspaceId: 'murima-dev', limit: 1000 }]);
    const newest = document.querySelector<HTMLElement>('[data-row-key="murima-dev:3"]')!;
    expect(newest.textContent).toContain('Ada Admin');
    expect(newest.textContent).toContain('admin');
    expect(newest.textContent).toContain('access.justify.unmask');
    expect(newest.textContent).toContain('Check the hash algorithm');
    const refused = document.querySelector<HTMLElement>('[data-row-key="murima-dev:1"]')!;
    expect(refused.textContent).toContain('refused');

    fireEvent.click(refused);
    const detail = await screen.findByLabelText('Entry 1');
    expect(detail.textContent).toContain('Open tenant acme with a reason first');
  });

  it('sends the filters as typed, and shows the platform’s own audit logs for a tenant', async () => {
    renderWithProviders(<AuditViewer />);
    await waitFor(() => expect(queries()).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Operator', { selector: 'input' }), { target: { value: 'sam' } });
    fireEvent.change(screen.getByLabelText('Tenant', { selector: 'input' }), { target: { value: 'acme' } });
    fireEvent.change(screen.getByLabelText('Action', { selector: 'input' }), { target: { value: 'access.' } });
    fireEvent.click(button('Filter'));
    await waitFor(() => expect(queries()).toHaveLength(2));
    expect(queries()[1]).toEqual({ workspaceId: 'murima-dev', operator: 'sam', tenantId: 'acme', action: 'access.', limit: 1000 });

    const platform = await screen.findByLabelText('Platform audit logs', { selector: 'section' });
    await waitFor(() => expect(gridRowKeys('Platform audit logs')).toEqual(['postgres:0']));
    expect(within(platform).getByText('PostgreSQL · ok')).toBeTruthy();
    expect(within(platform).getByText('MongoDB · not configured')).toBeTruthy();
    expect(platform.textContent).toContain('"password_hash":{"old":"••••","new":"••••"}');
    expect(fake.calls.find((c) => c.method === 'audit.platformLogs')?.args).toEqual({ workspaceId: 'murima-dev', tenantId: 'acme', limit: 200 });
  });

  it('refuses a tenant id the server would refuse, without asking it', async () => {
    renderWithProviders(<AuditViewer />);
    await waitFor(() => expect(queries()).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Tenant', { selector: 'input' }), { target: { value: 'acme; drop' } });
    fireEvent.click(button('Filter'));
    expect(screen.getByText(/a tenant id is letters, digits/)).toBeTruthy();
    expect(queries()).toHaveLength(1);
  });

  it('checks the chain: intact, or the first tampered entry named', async () => {
    renderWithProviders(<AuditViewer />);
    fireEvent.click(button('Verify chain'));
    await waitFor(() => expect(screen.getByTestId('chain-check').dataset.intact).toBe('true'));
    expect(screen.getByText(/3 entries of journal murima-dev/)).toBeTruthy();

    verification = {
      journal: 'murima-dev',
      intact: false,
      entries: 2,
      lastSeq: 2,
      lastHash: 'a'.repeat(64),
      problem: { kind: 'tampered', line: 3, seq: 3, message: 'Entry 3 does not hash to its recorded hash: it was changed after it was written.' },
    };
    fireEvent.click(button('Verify chain'));
    await waitFor(() => expect(screen.getByTestId('chain-check').dataset.intact).toBe('false'));
    expect(screen.getByText('An entry was changed at entry #3, line 3')).toBeTruthy();
    expect(screen.getByText(/it was changed after it was written/)).toBeTruthy();
  });

  it('exports what the filter shows as a file the browser downloads', async () => {
    const blobs: Blob[] = [];
    const clicks: string[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:audit-1';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.href}`);
    });
    renderWithProviders(<AuditViewer />);
    await waitFor(() => expect(queries()).toHaveLength(1));
    fireEvent.click(button('Export'));
    fireEvent.click(await screen.findByText('CSV'));
    await waitFor(() => expect(clicks).toEqual(['audit-murima-dev.csv blob:audit-1']));
    expect(await blobs[0]!.text()).toBe('seq,at\n3,2026');
    expect(blobs[0]!.type).toBe('text/csv;charset=utf-8');
    expect(fake.calls.find((c) => c.method === 'audit.export')?.args).toEqual({ workspaceId: 'murima-dev', format: 'csv', limit: 10000 });
    click.mockRestore();
  });
});
