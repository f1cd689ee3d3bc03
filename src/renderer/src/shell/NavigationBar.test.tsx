// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Activity, Database } from 'lucide-react';
import type { NavigationEntry } from '../lib/screens';
import { resetAppStore, useAppStore } from '../store';
import { renderWithProviders } from '../test-support/render';
import { sampleWorkspace } from '../test-support/workspaces';
import { NavigationBar } from './NavigationBar';

// Entries no feature has: the bar shows whatever it is handed, so a new capability needs no shell change.
const entries: NavigationEntry[] = [
  { id: 'later', label: 'Later', icon: Activity, section: 'workspace', order: 50, target: { name: 'tenants' } },
  { id: 'home', label: 'Home', icon: Database, section: 'console', order: 0, target: { name: 'workspaces' } },
  { id: 'first', label: 'First', icon: Activity, section: 'workspace', order: 5, target: { name: 'overview' } },
  { id: 'admins', label: 'Admins only', icon: Activity, section: 'workspace', order: 1, target: { name: 'audit' }, visible: ({ role }) => role === 'platform_admin' },
];

const buttonLabels = () => screen.getAllByRole('button').map((button) => button.textContent);

beforeEach(() => resetAppStore());
afterEach(() => cleanup());

describe('the navigation bar', () => {
  it('shows the console’s entries, then the workspace’s under its name, each in order, to whom may see them', () => {
    renderWithProviders(<NavigationBar entries={entries} active="later" context={{ workspace: sampleWorkspace(), role: 'dba' }} />);
    expect(buttonLabels()).toEqual(['Home', 'First', 'Later']);
    expect(screen.getByText('Murima dev')).toBeTruthy();
    expect(screen.getByText('Later').closest('button')?.hasAttribute('data-active')).toBe(true);
    expect(screen.getByText('First').closest('button')?.hasAttribute('data-active')).toBe(false);

    fireEvent.click(screen.getByText('First'));
    expect(useAppStore.getState().screen).toEqual({ name: 'overview' });
  });

  it('shows the workspace’s entries only while a workspace is active', () => {
    renderWithProviders(<NavigationBar entries={entries} active={undefined} context={{ workspace: undefined, role: 'platform_admin' }} />);
    expect(buttonLabels()).toEqual(['Home']);
  });

  it('shows an entry kept for a role to that role', () => {
    renderWithProviders(<NavigationBar entries={entries} active={undefined} context={{ workspace: sampleWorkspace(), role: 'platform_admin' }} />);
    expect(buttonLabels()).toEqual(['Home', 'Admins only', 'First', 'Later']);
  });
});
