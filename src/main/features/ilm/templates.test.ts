import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { componentTemplatesReply, indexTemplatesReply } from '../../stores/elastic/ilm-fixtures';
import type { IlmReader } from './reading';
import { lifecycleNameOf, readTemplates } from './templates';

/** A reader answering from the reference's template replies plus a few indices, aliases and a data stream. */
function reader(): IlmReader {
  const fail = (): never => {
    throw new Error('not read by templates');
  };
  return {
    policies: fail,
    explain: fail,
    indexTemplates: async () => [
      ...indexTemplatesReply.index_templates,
      { name: 'tenant_cases_template', index_template: { index_patterns: ['tenant-*-cases-*'], priority: 10, composed_of: [], template: { settings: { 'index.lifecycle.name': 'case_logs_policy' } } } },
      { name: 'logs', index_template: { index_patterns: ['logs-*-*'], priority: 100, composed_of: [], data_stream: {} } },
    ] as never,
    componentTemplates: async () => componentTemplatesReply.component_templates as never,
    indexNames: async () => ['tenant-a-cases-2026-01', 'tenant-a-cases-2026-02', 'test-1', 'other'],
    aliases: async () => [
      { index: 'test-1', alias: 'test', isWriteIndex: true },
      { index: 'tenant-a-cases-2026-01', alias: 'a-cases', isWriteIndex: null },
      { index: 'tenant-a-cases-2026-02', alias: 'a-cases', isWriteIndex: null },
    ],
    dataStreams: async () => [{ name: 'logs-app-default', indices: ['.ds-logs-app-default-2026.01.01-000001', '.ds-logs-app-default-2026.02.01-000002'], template: 'logs', policy: 'logs' }],
    lifecycleNames: async () => new Map([['test-1', 'logs'], ['tenant-a-cases-2026-01', 'case_logs_policy']]),
  };
}

describe('templates and the indices they govern', () => {
  it('matches by pattern, governs by priority, reads the policy from the template or its components', async () => {
    const view = await readTemplates(reader(), murima2025, new AbortController().signal);
    const byName = new Map(view.indexTemplates.map((t) => [t.name, t]));
    // `te*` matches tenant-… too, but the cases template has the higher priority and governs them.
    expect(byName.get('template_1')).toMatchObject({ matches: 3, governs: 1, sample: ['test-1'], policy: 'logs', composedOf: ['logs-settings'] });
    expect(byName.get('tenant_cases_template')).toMatchObject({ matches: 2, governs: 2, policy: 'case_logs_policy', prescribed: true });
    expect(byName.get('logs')).toMatchObject({ dataStream: true, governs: 2 });
    expect(view.indexTemplates[0]?.name).toBe('tenant_cases_template');
    expect(view.unmatched).toBe(1);
    expect(view.componentTemplates[0]).toMatchObject({ name: 'logs-settings', policy: 'logs', usedBy: ['template_1'], governs: 1 });
    // An alias of two indices with no write index cannot roll over; one with a write index and a data stream can.
    expect(view.rolloverTargets.map((t) => [t.name, t.kind, t.writeIndex, t.policy])).toEqual([
      ['logs-app-default', 'data_stream', '.ds-logs-app-default-2026.02.01-000002', 'logs'],
      ['test', 'alias', 'test-1', 'logs'],
    ]);
  });

  it('reads index.lifecycle.name nested or flat', () => {
    expect(lifecycleNameOf({ index: { lifecycle: { name: 'a' } } })).toBe('a');
    expect(lifecycleNameOf({ 'index.lifecycle.name': 'b' })).toBe('b');
    expect(lifecycleNameOf({ index: { 'lifecycle.name': 'c' } })).toBe('c');
    expect(lifecycleNameOf(undefined)).toBeNull();
  });
});
