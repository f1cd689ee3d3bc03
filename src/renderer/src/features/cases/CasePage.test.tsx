// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '@shared/model/case';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { CasePage } from './CasePage';

const CASE_ID = '11111111-2222-4333-8444-555555555555';

const detail: CaseDetail = {
  case: {
    id: CASE_ID,
    caseNumber: 'CASE-2026-000015',
    title: 'Refund request for order #33650',
    description: 'Customer asks for a refund.',
    status: 'open',
    priority: 'high',
    createdAt: '2026-10-22T02:08:00.000Z',
    updatedAt: '2026-11-10T02:34:00.000Z',
    dueDate: null,
    tags: ['refund'],
    customFields: { order_reference: 'ORD-56379' },
    metadata: null,
    version: 1,
  },
  caseType: { id: 'ct', name: 'Delivery', description: null },
  workflow: { id: 'wf', name: 'Standard', stages: [{ id: 's1', name: 'New', order: 1 }, { id: 's2', name: 'Triage', order: 2 }] },
  currentStage: { id: 's2', name: 'Triage', order: 2 },
  assignee: { id: 'u1', username: 'hugo', name: 'Hugo Hickle', email: 'h***@b***.com', role: 'agent' },
  createdBy: null,
  timeline: [
    { key: 'postgres:case_created:1', at: '2026-10-22T02:08:00.000Z', source: 'postgres', kind: 'case_created', title: 'Case opened', detail: {} },
    { key: 'mongo:note:2', at: '2026-10-23T09:00:00.000Z', source: 'mongo', kind: 'note', title: 'Called the customer back', detail: { author: 'a***' } },
    { key: 'elastic:search_document:3', at: '2026-10-24T09:00:00.000Z', source: 'elastic', kind: 'search_document', title: 'Indexed case document', detail: {} },
  ],
  sources: [
    { part: 'case', store: 'postgres', state: 'ok', items: 1, truncated: false },
    { part: 'case_notes', store: 'mongo', state: 'ok', items: 1, truncated: false },
    { part: 'search_documents', store: 'elastic', state: 'timeout', items: 0, truncated: false, reason: 'no answer within 5 s' },
  ],
};

let fake: FakeApi;

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({ 'cases.get': () => detail });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the case page', { timeout: 30_000 }, () => {
  it('shows the merged timeline with each item’s store, the sources with why a part is missing, and masked values as they came', async () => {
    renderWithProviders(<CasePage tenantId="t1" caseId={CASE_ID} />);
    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    const items = [...timeline.querySelectorAll<HTMLElement>('[data-timeline-item]')];
    expect(items.map((item) => [item.dataset.timelineItem, item.dataset.source])).toEqual([
      ['case_created', 'postgres'],
      ['note', 'mongo'],
      ['search_document', 'elastic'],
    ]);
    expect(items[1]!.textContent).toContain('MongoDB');
    const elastic = document.querySelector<HTMLElement>('[data-part="search_documents"]');
    expect(elastic?.dataset.state).toBe('timeout');
    expect(elastic?.textContent).toContain('no answer within 5 s');
    expect(screen.getByLabelText('Details').textContent).toContain('Hugo Hickle (agent) · h***@b***.com');
    expect(screen.getByText(/stage Triage/)).toBeTruthy();
    await waitFor(() => expect(fake.calls).toEqual([{ method: 'cases.get', args: { workspaceId: 'murima-dev', tenantId: 't1', caseId: CASE_ID } }]));
  });
});
