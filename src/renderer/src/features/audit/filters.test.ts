import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterOf } from './filters';

describe('filterOf', () => {
  it('leaves empty fields out and names the active workspace', () => {
    expect(filterOf(EMPTY_FILTER, 'murima-dev')).toEqual({ filter: { workspaceId: 'murima-dev' }, problems: {} });
    expect(filterOf({ ...EMPTY_FILTER, allWorkspaces: true }, 'murima-dev').filter).toEqual({});
  });

  it('trims what was typed and keeps every condition given', () => {
    const { filter, problems } = filterOf(
      { ...EMPTY_FILTER, operator: '  sam ', tenantId: ' acme-01 ', action: 'access. ', outcome: 'refused' },
      'murima-dev',
    );
    expect(problems).toEqual({});
    expect(filter).toEqual({ workspaceId: 'murima-dev', operator: 'sam', tenantId: 'acme-01', action: 'access.', outcome: 'refused' });
  });

  it('reads local times and takes a bound to the minute as the whole minute', () => {
    const { filter } = filterOf({ ...EMPTY_FILTER, from: '2026-11-22T09:15', to: '2026-11-22T09:15' }, null);
    expect(filter.from).toBe(new Date(2026, 10, 22, 9, 15, 0, 0).toISOString());
    expect(filter.to).toBe(new Date(2026, 10, 22, 9, 15, 59, 999).toISOString());
  });

  it('names a tenant id the server would refuse, an unreadable time and an end before the start', () => {
    expect(filterOf({ ...EMPTY_FILTER, tenantId: "acme'; drop" }, null).problems.tenantId).toMatch(/letters, digits/);
    expect(filterOf({ ...EMPTY_FILTER, from: 'yesterday' }, null).problems.from).toMatch(/date and time/);
    const reversed = filterOf({ ...EMPTY_FILTER, from: '2026-11-22T10:00', to: '2026-11-22T09:00' }, null);
    expect(reversed.problems.to).toMatch(/before the start/);
  });
});
