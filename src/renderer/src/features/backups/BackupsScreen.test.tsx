// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs, MethodName } from '@shared/contract';
import type { FolderSetting } from '@shared/contract/backups';
import type { Role } from '@shared/model/session';
import { AppError } from '@shared/errors';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { sampleSession } from '../../test-support/access';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { BackupsScreen } from './BackupsScreen';
import { BackupTenantButton } from './BackupTenantDialog';
import { ACME, BROKEN, CATALOG, GLOBEX, HELD, NEWER, OLDER, job } from './test-data';

let fake: FakeApi;
let folder: FolderSetting;
const BUNDLE_JOB = 'job_BACKUPBACKUPBACKUPBA';
const DUMP_JOB = 'job_DUMPDUMPDUMPDUMPDUMP';
const argsOf = <M extends MethodName>(method: M) => fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);
const rowOrder = () => [...document.querySelectorAll<HTMLElement>('[data-bundle-id]')].map((row) => row.dataset.bundleId);

function asRole(role: Role): void {
  useAppStore.setState({ access: { 'murima-dev': { session: sampleSession({ name: 'Someone', role }), loading: false, error: null } } });
}

/** The options list a Mantine Select opened, by the select's label, inside `container` (a dialog) when given. */
async function listOf(label: string, container: HTMLElement = document.body): Promise<HTMLElement> {
  const input = within(container).getByRole('combobox', { name: label });
  fireEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  return document.getElementById(input.getAttribute('aria-controls')!)!;
}

beforeEach(() => {
  resetAppStore();
  folder = { workspaceId: 'murima-dev', folder: '/data/tenantscope/backups', chosen: false, writable: true, freeBytes: 52 * 1024 ** 3 };
  fake = createFakeApi({
    'backups.catalog': () => ({ folder: `${folder.folder}/murima-dev`, bundles: structuredClone(CATALOG) }),
    'backups.backupFolder': () => folder,
    'backups.setBackupFolder': ({ folder: wanted }) => {
      if (wanted === '/readonly') throw new AppError('invalid_argument', '/readonly cannot be written: permission denied (EACCES).');
      folder = { ...folder, folder: wanted, chosen: true };
      return folder;
    },
    'backups.retention': ({ dryRun }) => ({
      dryRun,
      kept: [
        { bundleId: NEWER, tenantId: ACME, startedAt: '2026-12-02T09:00:00.000Z', reason: 'daily' },
        { bundleId: HELD, tenantId: GLOBEX, startedAt: '2026-11-20T08:00:00.000Z', reason: 'held' },
        { bundleId: BROKEN, tenantId: GLOBEX, startedAt: '2026-12-02T10:00:00.000Z', reason: 'incomplete' },
      ],
      deleted: [{ bundleId: OLDER, tenantId: ACME, startedAt: '2026-12-01T02:00:00.000Z', reason: 'expired' }],
      freedBytes: 2_400_000,
    }),
    'tenants.list': () => ({
      tenants: [
        { id: ACME, name: 'Acme', registered: true, status: 'active', lastActivity: null, footprint: {}, inconsistencies: [] },
        { id: GLOBEX, name: 'Globex', registered: true, status: 'active', lastActivity: null, footprint: {}, inconsistencies: [] },
      ],
      stores: [],
    }),
    'backups.dumpDatabase': () => job({ id: DUMP_JOB, kind: 'backups.database-dump', title: 'Dump the whole database', tenantIds: ['*'] }),
    'backups.backupTenant': () => job({ id: BUNDLE_JOB, kind: 'backups.tenant-bundle', title: `Back up tenant ${GLOBEX}` }),
    'jobs.get': ({ jobId }) => ({ ...job({ id: jobId, kind: 'backups.tenant-bundle', title: `Back up tenant ${GLOBEX}` }), log: [], droppedLogLines: 0 }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
  asRole('dba');
});

afterEach(() => cleanup());

describe('the backups catalog', { timeout: 30_000 }, () => {
  it('lists bundles newest first with tenant, stores, size, status and legal hold, and filters them by tenant and status', async () => {
    renderWithProviders(<BackupsScreen />);
    await waitFor(() => expect(rowOrder()).toEqual([BROKEN, NEWER, OLDER, HELD]));
    const row = (id: string) => document.querySelector<HTMLElement>(`[data-bundle-id="${id}"]`)!;
    expect(within(row(NEWER)).getByTestId('bundle-status').textContent).toBe('verify failed');
    expect(within(row(OLDER)).getByTestId('bundle-status').textContent).toBe('verified');
    expect(within(row(BROKEN)).getByTestId('bundle-status').textContent).toBe('incomplete');
    expect(within(row(HELD)).getByTestId('bundle-status').textContent).toBe('complete');
    // Only the held bundle carries the lock.
    expect(document.querySelectorAll('[data-testid="legal-hold"]')).toHaveLength(1);
    expect(within(row(HELD)).getByLabelText('Under legal hold')).toBeTruthy();
    expect(row(OLDER).textContent).toContain('PostgreSQL');
    expect(row(OLDER).textContent).toContain('Redis');
    expect(row(OLDER).textContent).toContain('2.3 MB');
    expect(screen.getByTestId('bundle-count').textContent).toBe('4 of 4 bundles in /data/tenantscope/backups/murima-dev');

    fireEvent.click(within(await listOf('Tenant')).getByRole('option', { name: GLOBEX, hidden: true }));
    await waitFor(() => expect(rowOrder()).toEqual([BROKEN, HELD]));
    fireEvent.click(within(await listOf('Status')).getByRole('option', { name: 'complete', hidden: true }));
    await waitFor(() => expect(rowOrder()).toEqual([HELD]));
    expect(screen.getByTestId('bundle-count').textContent).toMatch(/^1 of 4 bundles/);
  });

  it('opens a bundle from its row, by click or by Enter', async () => {
    renderWithProviders(<BackupsScreen />);
    await waitFor(() => expect(rowOrder()).toHaveLength(4));
    fireEvent.click(document.querySelector(`[data-bundle-id="${OLDER}"]`)!);
    expect(useAppStore.getState().screen).toEqual({ name: 'backupBundle', bundleId: OLDER });
    fireEvent.keyDown(screen.getByRole('row', { name: `Open bundle ${HELD}` }), { key: 'Enter' });
    expect(useAppStore.getState().screen).toEqual({ name: 'backupBundle', bundleId: HELD });
  });

  it('shows the backup folder and changes it, with a path the contract refuses and main’s refusal shown inline', async () => {
    renderWithProviders(<BackupsScreen />);
    await waitFor(() => expect(screen.getByTestId('backup-folder').textContent).toBe('/data/tenantscope/backups'));
    const panel = screen.getByRole('region', { name: 'Backup folder' });
    expect(panel.textContent).toContain('default');
    expect(panel.textContent).toContain('writable');
    expect(panel.textContent).toContain('52.0 GB free');

    fireEvent.click(within(panel).getByRole('button', { name: 'Change' }));
    const input = within(panel).getByLabelText('Backup folder path');
    fireEvent.change(input, { target: { value: 'backups/../etc' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Use this folder' }));
    await within(panel).findByText('Enter an absolute folder path.');
    expect(argsOf('backups.setBackupFolder')).toEqual([]);

    fireEvent.change(input, { target: { value: '/readonly' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Use this folder' }));
    await within(panel).findByText('/readonly cannot be written: permission denied (EACCES).');

    fireEvent.change(input, { target: { value: '/srv/backups' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Use this folder' }));
    await waitFor(() => expect(screen.getByTestId('backup-folder').textContent).toBe('/srv/backups'));
    expect(argsOf('backups.setBackupFolder').map((a) => a.folder)).toEqual(['/readonly', '/srv/backups']);
    expect(panel.textContent).not.toContain('default');
    // The catalog is read again from the new folder.
    await waitFor(() => expect(argsOf('backups.catalog')).toHaveLength(2));
  });

  it('runs retention as a dry run first, showing held bundles kept as held, and deletes only when asked', async () => {
    renderWithProviders(<BackupsScreen />);
    const panel = screen.getByRole('region', { name: 'Retention' });
    fireEvent.change(within(panel).getByLabelText('Keep daily'), { target: { value: '3' } });
    fireEvent.change(within(panel).getByLabelText('Keep weekly'), { target: { value: '2' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Dry run' }));
    await within(panel).findByTestId('retention-summary');
    expect(argsOf('backups.retention')).toEqual([{ workspaceId: 'murima-dev', keepDaily: 3, keepWeekly: 2, dryRun: true }]);
    expect(within(panel).getByTestId('retention-summary').textContent).toBe('Dry run: 1 bundle(s) would go (2.3 MB), 3 stay; nothing deleted.');
    const decision = (id: string) => [...panel.querySelectorAll<HTMLElement>('[data-decision]')].find((row) => row.textContent?.includes(id))!;
    expect(decision(HELD).dataset.decision).toBe('held');
    expect(decision(HELD).textContent).toContain('kept · held');
    expect(decision(OLDER).dataset.decision).toBe('goes');
    expect(decision(OLDER).textContent).toContain('would go');

    fireEvent.click(within(panel).getByRole('button', { name: 'Delete 1 bundle' }));
    await waitFor(() => expect(within(panel).getByTestId('retention-summary').textContent).toBe('Deleted 1 bundle(s), 2.3 MB freed; 3 kept.'));
    expect(argsOf('backups.retention').map((a) => a.dryRun)).toEqual([true, false]);
    expect(decision(OLDER).textContent).toContain('deleted');
  });

  it('backs up a tenant chosen in the catalog, with the stores and format asked for, and follows the job to its bundle', async () => {
    renderWithProviders(<BackupsScreen />);
    fireEvent.click(screen.getByRole('button', { name: 'Back up a tenant' }));
    const dialog = await screen.findByRole('dialog', { name: 'Back up a tenant' });
    const start = within(dialog).getByRole('button', { name: 'Start backup' });
    expect(start.hasAttribute('disabled')).toBe(true);
    expect(within(dialog).getByText('Choose a tenant')).toBeTruthy();

    fireEvent.click(within(await listOf('Tenant', dialog)).getByRole('option', { name: `Globex · ${GLOBEX}`, hidden: true }));
    fireEvent.click(within(dialog).getByLabelText('Redis'));
    fireEvent.click(within(dialog).getByText('directory (parallel)'));
    fireEvent.change(within(dialog).getByLabelText('Workers'), { target: { value: '4' } });
    fireEvent.change(within(dialog).getByLabelText('Justification'), { target: { value: 'SUP-91 before migration' } });
    await waitFor(() => expect(start.hasAttribute('disabled')).toBe(false));
    fireEvent.click(start);

    await within(dialog).findByTestId('backup-job');
    expect(argsOf('backups.backupTenant')).toEqual([
      { workspaceId: 'murima-dev', tenantId: GLOBEX, stores: ['postgres'], pgFormat: 'directory', jobs: 4, justification: 'SUP-91 before migration' },
    ]);
    fake.emit('jobs.state', { job: job({ id: BUNDLE_JOB, kind: 'backups.tenant-bundle', title: `Back up tenant ${GLOBEX}`, state: 'running', progress: { done: 0, total: 12, phase: 'postgres' } }) });
    fake.emit('jobs.progress', { workspaceId: 'murima-dev', jobId: BUNDLE_JOB, progress: { done: 6, total: 12, phase: 'postgres: 6 of 12 objects' } });
    await waitFor(() => expect(within(dialog).getByTestId('job-phase').textContent).toBe('6 of 12 · postgres: 6 of 12 objects'));
    expect(within(dialog).getByRole('progressbar', { name: 'Backup progress' }).getAttribute('aria-valuenow')).toBe('50');

    const bundleId = `20261202T110000Z-${GLOBEX}-beef`;
    fake.emit('jobs.state', { job: job({ id: BUNDLE_JOB, kind: 'backups.tenant-bundle', title: `Back up tenant ${GLOBEX}`, state: 'succeeded', progress: { done: 12, total: 12, phase: 'done' }, result: { bundleId } }) });
    const open = await within(dialog).findByRole('button', { name: 'Open the bundle' });
    // The catalog is read again once a backups job has ended, so the new bundle is listed.
    await waitFor(() => expect(argsOf('backups.catalog')).toHaveLength(2));
    fireEvent.click(open);
    expect(useAppStore.getState().screen).toEqual({ name: 'backupBundle', bundleId });
  });

  it('reads itself again when a backups job of this workspace ends, and not for other jobs', async () => {
    renderWithProviders(<BackupsScreen />);
    await waitFor(() => expect(argsOf('backups.catalog')).toHaveLength(1));
    const ended = (kind: string, workspaceId = 'murima-dev') =>
      fake.emit('jobs.state', { job: job({ id: 'job_OTHERWINDOWOTHERWIND', kind, title: kind, workspaceId, state: 'succeeded', progress: { done: 1, total: 1, phase: 'done' } }) });
    ended('indexes.build');
    ended('backups.verify', 'murima-prod');
    // Let the events and any render they caused run their course.
    for (let turn = 0; turn < 5; turn++) await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(argsOf('backups.catalog')).toHaveLength(1);
    ended('backups.restore');
    await waitFor(() => expect(argsOf('backups.catalog')).toHaveLength(2));
  });

  it('dumps the whole database as a job and says what it wrote', async () => {
    renderWithProviders(<BackupsScreen />);
    const panel = screen.getByRole('region', { name: 'Whole database' });
    fireEvent.click(within(panel).getByText('directory (parallel)'));
    fireEvent.change(within(panel).getByLabelText('Workers'), { target: { value: '3' } });
    fireEvent.change(within(panel).getByLabelText('Justification'), { target: { value: 'DR drill' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Dump the whole database' }));
    await within(panel).findByTestId('backup-job');
    expect(argsOf('backups.dumpDatabase')).toEqual([{ workspaceId: 'murima-dev', format: 'directory', jobs: 3, justification: 'DR drill' }]);
    fake.emit('jobs.state', {
      job: job({ id: DUMP_JOB, kind: 'backups.database-dump', title: 'Dump the whole database', state: 'succeeded', progress: { done: 1, total: 1, phase: 'done' }, result: { folder: '/srv/backups/murima-dev/database/20261203T030000Z', files: 40, bytes: 3 * 1024 ** 3, tables: 27500 } }),
    });
    await waitFor(() => expect(within(panel).getByTestId('dump-outcome').textContent).toBe('40 file(s), 3.0 GB, 27 500 tables, in /srv/backups/murima-dev/database/20261203T030000Z'));
  });

  it('links the job it started to the jobs screen', async () => {
    renderWithProviders(<BackupTenantButton workspace={sampleWorkspace()} tenantId={ACME} />);
    fireEvent.click(screen.getByRole('button', { name: 'Back up this tenant' }));
    const dialog = await screen.findByRole('dialog', { name: `Back up ${ACME}` });
    // The tenant is the page's: no picker.
    expect(within(dialog).queryByRole('combobox', { name: 'Tenant' })).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start backup' }));
    await within(dialog).findByTestId('backup-job');
    // Every store ticked: left to the service, which backs up every store it can here.
    expect(argsOf('backups.backupTenant')).toEqual([{ workspaceId: 'murima-dev', tenantId: ACME, pgFormat: 'custom', jobs: 2 }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open in Jobs' }));
    expect(useAppStore.getState().screen).toEqual({ name: 'jobs' });
  });

  it('gives support the catalog read-only: no backup, folder change, retention or tenant-page button', async () => {
    asRole('support');
    renderWithProviders(
      <>
        <BackupsScreen />
        <BackupTenantButton workspace={sampleWorkspace()} tenantId={ACME} />
      </>,
    );
    await waitFor(() => expect(rowOrder()).toHaveLength(4));
    await waitFor(() => expect(screen.getByTestId('backup-folder').textContent).toBe('/data/tenantscope/backups'));
    expect(screen.queryByRole('button', { name: 'Back up a tenant' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Back up this tenant' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Change' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Retention' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Whole database' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeTruthy();
  });
});

