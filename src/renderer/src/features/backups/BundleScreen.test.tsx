// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs, MethodName } from '@shared/contract';
import type { BundleEntry } from '@shared/contract/backups';
import type { Role } from '@shared/model/session';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { sampleSession } from '../../test-support/access';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { BundleScreen } from './BundleScreen';
import { ACME, BROKEN, CATALOG, NEWER, OLDER, job, manifest } from './test-data';

let fake: FakeApi;
let current: BundleEntry;
const VERIFY_JOB = 'job_VERIFYNOWVERIFYNOWVE';
const RESTORE_JOB = 'job_RESTORERESTORERESTOR';
const argsOf = <M extends MethodName>(method: M) => fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

function asRole(role: Role): void {
  useAppStore.setState({ access: { 'murima-dev': { session: sampleSession({ name: 'Someone', role }), loading: false, error: null } } });
}

const verifyJob = job({ id: VERIFY_JOB, kind: 'backups.verify', title: `Verify bundle ${OLDER}` });
const restoreJob = job({ id: RESTORE_JOB, kind: 'backups.restore', title: `Restore bundle ${OLDER}` });

beforeEach(() => {
  resetAppStore();
  current = structuredClone(CATALOG.find((b) => b.bundleId === NEWER)!);
  fake = createFakeApi({
    'backups.bundle': ({ bundleId }) => {
      const listed = bundleId === NEWER ? current : CATALOG.find((b) => b.bundleId === bundleId)!;
      return { entry: listed, manifest: listed.status === 'incomplete' ? null : manifest(bundleId) };
    },
    'backups.verify': () => verifyJob,
    'backups.restore': () => restoreJob,
    'backups.setLegalHold': ({ hold, reason }) => (current = { ...current, legalHold: hold ? { reason, at: '2026-12-02T12:00:00.000Z', operator: 'Dana DBA' } : null }),
    'jobs.cancel': ({ jobId }) => ({ ...(jobId === VERIFY_JOB ? verifyJob : restoreJob), state: 'running', cancelRequestedAt: '2026-12-02T11:00:05.000Z' }),
    'jobs.get': ({ jobId }) => ({ ...(jobId === VERIFY_JOB ? verifyJob : restoreJob), log: [], droppedLogLines: 0 }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
  asRole('dba');
});

afterEach(() => cleanup());

describe('a bundle', { timeout: 30_000 }, () => {
  it('shows the manifest: each store’s counts, versions and files with shortened digests, and who took it and why', async () => {
    renderWithProviders(<BundleScreen bundleId={NEWER} />);
    const postgres = await screen.findByRole('region', { name: 'PostgreSQL part' });
    expect(postgres.textContent).toContain('pg_dump custom');
    expect(postgres.textContent).toContain('server 15.8 · pg_dump 15.8');
    expect(postgres.querySelector('[data-count="cases"]')?.textContent).toBe('cases1 000');
    expect(postgres.querySelector('[data-count="users"]')?.textContent).toBe('users250');
    expect(within(postgres).getByTestId('total-postgres').textContent).toBe('1 250');
    const file = postgres.querySelector<HTMLElement>('[data-file="postgres/tenant.dump"]')!;
    expect(file.textContent).toContain('2.2 MB');
    expect(within(file).getByText('abababababab…').getAttribute('title')).toBe('ab'.repeat(32));

    const redis = screen.getByRole('region', { name: 'Redis part' });
    expect(within(redis).getByRole('columnheader', { name: 'Key family' })).toBeTruthy();
    expect(within(redis).getByTestId('total-redis').textContent).toBe('40');

    expect(screen.getByText('Dana DBA · dba')).toBeTruthy();
    expect(screen.getByText('SUP-88: before the data fix')).toBeTruthy();
    expect(screen.getByText('Murima dev · dev · murima2025')).toBeTruthy();
    // The last verify failed, and its problem names the file.
    const verification = screen.getByRole('region', { name: 'Last verification' });
    expect(within(verification).getByTestId('verification-outcome').textContent).toBe('failed');
    expect(within(verification).getByText('postgres/tenant.dump: sha256 differs')).toBeTruthy();
  });

  it('verifies as a job shown inline with its progress, then reads the bundle again for the new verification', async () => {
    renderWithProviders(<BundleScreen bundleId={NEWER} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Verify' }));
    const started = await screen.findByTestId('backup-job');
    expect(argsOf('backups.verify')).toEqual([{ workspaceId: 'murima-dev', bundleId: NEWER }]);
    expect(started.dataset.kind).toBe('backups.verify');
    fake.emit('jobs.state', { job: { ...verifyJob, state: 'running', progress: { done: 1, total: 4, phase: 'checking digests' } } });
    await waitFor(() => expect(screen.getByTestId('job-phase').textContent).toBe('1 of 4 · checking digests'));
    expect(screen.getByRole('button', { name: 'Verify' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Restore' }).hasAttribute('disabled')).toBe(true);

    current = { ...current, status: 'verified', verification: { at: '2026-12-02T12:00:00.000Z', jobId: VERIFY_JOB, ok: true, problems: [] } };
    fake.emit('jobs.state', { job: { ...verifyJob, state: 'succeeded', progress: { done: 4, total: 4, phase: 'done' } } });
    await waitFor(() => expect(screen.getByTestId('verification-outcome').textContent).toBe('passed'));
    expect(argsOf('backups.bundle')).toHaveLength(2);
    expect(screen.getByTestId('bundle-status').textContent).toBe('verified');
    expect(screen.getByRole('button', { name: 'Verify' }).hasAttribute('disabled')).toBe(false);
  });

  it('shows a failed verify as failed, with the reason and each problem naming its file, never as good', async () => {
    renderWithProviders(<BundleScreen bundleId={NEWER} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Verify' }));
    await screen.findByTestId('backup-job');
    current = { ...current, status: 'verify_failed', verification: { at: '2026-12-02T12:00:00.000Z', jobId: VERIFY_JOB, ok: false, problems: ['redis/keys.jsonl.gz: sha256 differs'] } };
    fake.emit('jobs.state', {
      job: { ...verifyJob, state: 'failed', progress: { done: 1, total: 4, phase: 'checking digests' }, failure: { code: 'conflict', message: `Bundle ${NEWER} failed verification: redis/keys.jsonl.gz: sha256 differs` } },
    });
    // The bundle is read again: the new verification's problem replaces the old one.
    await screen.findByText('redis/keys.jsonl.gz: sha256 differs');
    expect(screen.queryByText('postgres/tenant.dump: sha256 differs')).toBeNull();
    expect(screen.getByTestId('verification-outcome').textContent).toBe('failed');
    expect(screen.getByTestId('backup-job').dataset.state).toBe('failed');
    expect(screen.getByTestId('job-phase').textContent).toBe(`conflict: Bundle ${NEWER} failed verification: redis/keys.jsonl.gz: sha256 differs`);
    expect(screen.getByTestId('bundle-status').textContent).toBe('verify failed');
  });

  it('restores under a suggested new name, refuses a name PostgreSQL would not take, and shows the restored counts beside the manifest’s', async () => {
    renderWithProviders(<BundleScreen bundleId={OLDER} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Restore' }));
    const dialog = await screen.findByRole('dialog', { name: `Restore ${ACME}` });
    const name = within(dialog).getByLabelText('New name') as HTMLInputElement;
    expect(name.value).toBe('restored_3f2c1a9e_7b4d_4e21_9c55_20261201_0200');
    expect(screen.queryByTestId('prod-unlock-note')).toBeNull();

    fireEvent.change(name, { target: { value: 'pg_restored' } });
    await within(dialog).findByText('a schema name that does not start with pg_ (reserved by PostgreSQL)');
    expect(within(dialog).getByRole('button', { name: 'Restore' }).hasAttribute('disabled')).toBe(true);
    fireEvent.change(name, { target: { value: 'acme_monday' } });
    fireEvent.click(within(dialog).getByLabelText(/Redis: overwrite keys/));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('backups.restore')).toEqual([{ workspaceId: 'murima-dev', bundleId: OLDER, mode: 'rename', targetName: 'acme_monday', replaceExisting: true }]);
    fake.emit('jobs.state', {
      job: {
        ...restoreJob,
        state: 'succeeded',
        progress: { done: 2, total: 2, phase: 'done' },
        result: { bundleId: OLDER, tenantId: ACME, mode: 'rename', targets: { postgres: 'acme_monday', redis: 'acme_monday:' }, counts: { postgres: { cases: 1000, users: 250 }, redis: { session: 29, cache: 10 } } },
      },
    });
    const table = await screen.findByTestId('restored-counts');
    const pg = table.querySelector<HTMLElement>('[data-restored="postgres"]')!;
    expect(within(pg).getByTestId('restored-target').textContent).toBe('acme_monday');
    expect(within(pg).getByTestId('restored-total').textContent).toBe('1 250');
    expect(pg.textContent).toContain('match');
    // One key expired between the backup and the restore: the difference is shown, not hidden.
    const redis = table.querySelector<HTMLElement>('[data-restored="redis"]')!;
    expect(within(redis).getByTestId('restored-total').textContent).toBe('39');
    expect(redis.textContent).toContain('1 differ');
  });

  it('cancels the restore it started from where it shows it', async () => {
    renderWithProviders(<BundleScreen bundleId={OLDER} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Restore' }));
    const dialog = await screen.findByRole('dialog', { name: `Restore ${ACME}` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await screen.findByTestId('backup-job');
    fake.emit('jobs.state', { job: { ...restoreJob, state: 'running', progress: { done: 3, total: 18, phase: '1/1 postgres: restoring' } } });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(argsOf('jobs.cancel')).toEqual([{ workspaceId: 'murima-dev', jobId: RESTORE_JOB }]));
    fake.emit('jobs.state', { job: { ...restoreJob, state: 'running', cancelRequestedAt: '2026-12-02T11:00:05.000Z', progress: { done: 3, total: 18, phase: '1/1 postgres: restoring' } } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel job' }).hasAttribute('disabled')).toBe(true));
    expect(screen.getByTestId('backup-job').textContent).toContain('cancelling');
    fake.emit('jobs.state', { job: { ...restoreJob, state: 'cancelled', progress: { done: 3, total: 18, phase: 'cancelled' } } });
    await waitFor(() => expect(screen.getByTestId('backup-job').dataset.state).toBe('cancelled'));
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
    expect(screen.queryByTestId('restored-counts')).toBeNull();
  });

  it('restores over the live data only once the tenant id is typed, and says prod needs an unlock', async () => {
    useAppStore.setState({ workspaces: [sampleWorkspace({ environment: 'prod' })] });
    renderWithProviders(<BundleScreen bundleId={OLDER} />);
    const restore = await screen.findByRole('button', { name: 'Restore' });
    expect(screen.getByTestId('prod-unlock-note').textContent).toContain('each asks for an unlock first');
    fireEvent.click(restore);
    const dialog = await screen.findByRole('dialog', { name: `Restore ${ACME}` });
    expect(within(dialog).getByTestId('prod-unlock-note').textContent).toContain('asks for an unlock first');
    fireEvent.click(within(dialog).getByText('Over the live data'));
    const go = await within(dialog).findByRole('button', { name: 'Restore over live data' });
    expect(go.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Confirmation'), { target: { value: ACME.slice(0, 10) } });
    expect(go.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Confirmation'), { target: { value: ACME } });
    await waitFor(() => expect(go.hasAttribute('disabled')).toBe(false));
    fireEvent.click(go);
    await waitFor(() => expect(argsOf('backups.restore')).toEqual([{ workspaceId: 'murima-dev', bundleId: OLDER, mode: 'replace', confirm: ACME, replaceExisting: false }]));
  });

  it('puts the bundle under legal hold with a reason, and lifts it again', async () => {
    renderWithProviders(<BundleScreen bundleId={NEWER} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Legal hold' }));
    const dialog = await screen.findByRole('dialog', { name: 'Put under legal hold' });
    const hold = within(dialog).getByRole('button', { name: 'Hold' });
    expect(hold.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'LEGAL-9: preserve for the audit' } });
    fireEvent.click(hold);
    await screen.findByTestId('hold-reason');
    expect(argsOf('backups.setLegalHold')).toEqual([{ workspaceId: 'murima-dev', bundleId: NEWER, hold: true, reason: 'LEGAL-9: preserve for the audit' }]);
    expect(screen.getByTestId('legal-hold')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Lift legal hold' }));
    const lift = await screen.findByRole('dialog', { name: 'Lift the legal hold' });
    fireEvent.change(within(lift).getByLabelText('Reason'), { target: { value: 'case closed' } });
    fireEvent.click(within(lift).getByRole('button', { name: 'Lift the hold' }));
    await waitFor(() => expect(screen.queryByTestId('legal-hold')).toBeNull());
    expect(argsOf('backups.setLegalHold').map((a) => a.hold)).toEqual([true, false]);
  });

  it('never offers to verify or restore an incomplete bundle, and says why it is incomplete', async () => {
    renderWithProviders(<BundleScreen bundleId={BROKEN} />);
    await screen.findByText(/no manifest.json: the backup did not finish/);
    expect(screen.getByRole('button', { name: 'Verify' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Restore' }).hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('region', { name: 'PostgreSQL part' })).toBeNull();
  });

  it('gives support the bundle read-only', async () => {
    asRole('support');
    renderWithProviders(<BundleScreen bundleId={NEWER} />);
    await screen.findByRole('region', { name: 'PostgreSQL part' });
    expect(screen.queryByRole('button', { name: 'Verify' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Restore' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Legal hold' })).toBeNull();
  });
});

