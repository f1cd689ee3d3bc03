import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import { csvField, entriesToCsv, entriesToJson } from './export';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  seq: 1,
  id: 'e1',
  at: '2026-11-22T09:00:00.000Z',
  workspaceId: 'murima-prod',
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  operator: { name: 'Sam', email: 'sam@example.com' },
  role: 'support',
  tenantIds: ['t1'],
  action: 'access.justify.tenant',
  target: 'access.justify.tenant · workspace murima-prod · tenant t1',
  justification: { id: 'j1', reason: 'SUP-7, "urgent": customer\nmisses a case', ticket: 'SUP-7' },
  outcome: 'allowed',
  details: {},
  ...over,
});

describe('audit export', () => {
  it('quotes commas, quotes and line breaks so a reason stays one field', () => {
    const csv = entriesToCsv([entry({})]);
    const [header, row] = csv.split('\r\n');
    expect(header?.split(',')).toContain('reason');
    expect(row).toContain('"SUP-7, ""urgent"": customer\nmisses a case"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('keeps a spreadsheet from running a typed reason as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('plain')).toBe('plain');
  });

  it('exports JSON entries exactly as journaled, hashes included', () => {
    const one = entry({ seq: 7 });
    expect(JSON.parse(entriesToJson([one]))).toEqual([one]);
  });
});
