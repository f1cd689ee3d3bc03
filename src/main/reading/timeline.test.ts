import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { TimelineItem } from '@shared/model/case';
import { maskerFor, maskTimeline, mergeTimeline, readPart, type RawTimelineItem } from './timeline';

const item = (key: string, at: string, source: TimelineItem['source'] = 'postgres'): TimelineItem => ({
  key,
  at,
  source,
  kind: 'audit',
  title: key,
  detail: {},
});

const raw = (key: string, at: string, detail: Record<string, unknown>, recordKind: RawTimelineItem['recordKind']): RawTimelineItem => ({
  ...item(key, at),
  detail,
  recordKind,
});

describe('mergeTimeline', () => {
  it('orders items from every store by time, oldest first', () => {
    const merged = mergeTimeline([
      [item('p2', '2026-03-02T10:00:00.000Z'), item('p1', '2026-03-01T10:00:00.000Z')],
      [item('m1', '2026-03-01T12:00:00.000Z', 'mongo')],
      [item('e1', '2026-02-28T23:59:59.999Z', 'elastic')],
    ]);
    expect(merged.map((i) => i.key)).toEqual(['e1', 'p1', 'm1', 'p2']);
  });

  it('breaks ties by store (PostgreSQL, MongoDB, Elasticsearch), then by key, and puts unreadable times last', () => {
    const at = '2026-03-01T10:00:00.000Z';
    const merged = mergeTimeline([
      [item('e', at, 'elastic'), item('x', 'not a time', 'mongo')],
      [item('m', at, 'mongo'), item('p-b', at), item('p-a', at)],
    ]);
    expect(merged.map((i) => i.key)).toEqual(['p-a', 'p-b', 'm', 'e', 'x']);
  });

  it('compares instants, not strings, across time zone offsets', () => {
    const merged = mergeTimeline([[item('late', '2026-03-01T10:30:00+00:00'), item('early', '2026-03-01T11:00:00+02:00')]]);
    expect(merged.map((i) => i.key)).toEqual(['early', 'late']);
  });
});

describe('maskTimeline', () => {
  it('masks each detail as its record family and drops the family from the result', () => {
    // Recorded shapes: a MongoDB audit entry (seed 003 §2.2.2) and a case note.
    const audit = raw(
      'mongo:audit:1',
      '2026-03-01T10:00:00.000Z',
      {
        entity_type: 'user',
        changes: [{ field: 'password_hash', old_value: '$2b$12$abcdefghijklmnopqrstuv', new_value: '$2b$12$zyxwvutsrqponmlkjihgfe' }, { field: 'status', old_value: 'open', new_value: 'closed' }],
        context: { session_id: '5d1f0c8e-1111-4222-8333-944455556666', request_id: 'r-1' },
      },
      'mongo:audit_logs',
    );
    const note = raw('mongo:note:2', '2026-03-01T11:00:00.000Z', { content: 'Called back', metadata: { apiKey: 'sk-live-abc' } }, 'mongo:case_notes');
    const [maskedAudit, maskedNote] = maskTimeline([audit, note], maskerFor('platform_admin'));
    expect(maskedAudit).not.toHaveProperty('recordKind');
    const changes = maskedAudit!.detail.changes as Array<Record<string, unknown>>;
    expect(changes[0]!.old_value).not.toContain('abcdefghijklmnopqrstuv');
    expect(changes[1]).toEqual({ field: 'status', old_value: 'open', new_value: 'closed' });
    expect((maskedAudit!.detail.context as Record<string, unknown>).session_id).not.toBe('5d1f0c8e-1111-4222-8333-944455556666');
    expect((maskedAudit!.detail.context as Record<string, unknown>).request_id).toBe('r-1');
    expect(maskedNote!.detail.content).toBe('Called back');
    expect(JSON.stringify(maskedNote)).not.toContain('sk-live-abc');
  });

  it('shows a field in clear only to a role that may unmask it, on a path that was unmasked', () => {
    const entry = raw('mongo:audit:1', '2026-03-01T10:00:00.000Z', { context: { session_id: 'sess-1' } }, 'mongo:audit_logs');
    const opened = (kind: string) => (kind === 'mongo:audit_logs' ? ['context.session_id'] : []);
    expect(maskTimeline([entry], maskerFor('platform_admin', opened))[0]!.detail).toEqual({ context: { session_id: 'sess-1' } });
    expect(maskTimeline([entry], maskerFor('support', opened))[0]!.detail.context).not.toEqual({ session_id: 'sess-1' });
  });
});

describe('readPart', () => {
  const signal = new AbortController().signal;
  const items = (n: number): RawTimelineItem[] =>
    Array.from({ length: n }, (_, i) => raw(`postgres:interaction:${i}`, `2026-03-0${1 + (i % 9)}T00:00:00.000Z`, {}, 'postgres:interactions'));

  it('keeps the first cap records and says the part was cut when more came back', async () => {
    const outcome = await readPart('interactions', 'postgres', 1_000, signal, 3, async () => ({ records: 4, items: items(4) }));
    expect(outcome.source).toEqual({ part: 'interactions', store: 'postgres', state: 'ok', items: 3, truncated: true });
    expect(outcome.items).toHaveLength(3);
  });

  it('keeps both items of a record (a task and its completion) when cutting', async () => {
    const task = (id: string, kind: RawTimelineItem['kind']): RawTimelineItem => ({ ...raw(`postgres:${kind}:${id}`, '2026-03-01T00:00:00.000Z', {}, 'postgres:tasks'), kind });
    const outcome = await readPart('tasks', 'postgres', 1_000, signal, 1, async () => ({
      records: 2,
      items: [task('a', 'task'), task('a', 'task_completed'), task('b', 'task')],
    }));
    expect(outcome.items.map((i) => i.key)).toEqual(['postgres:task:a', 'postgres:task_completed:a']);
  });

  it('turns a failure into a down part with the store’s message', async () => {
    const outcome = await readPart('case_notes', 'mongo', 1_000, signal, 10, async () => {
      throw new AppError('unreachable', 'MongoDB at mongo.internal:27017 is not answering.');
    });
    expect(outcome.source).toEqual({ part: 'case_notes', store: 'mongo', state: 'down', items: 0, truncated: false, reason: 'MongoDB at mongo.internal:27017 is not answering.' });
  });

  it('gives up on a part at its deadline and stops its work', async () => {
    let stopped = false;
    const outcome = await readPart('search_documents', 'elastic', 50, signal, 10, (exec) =>
      new Promise((_resolve, reject) => exec.signal?.addEventListener('abort', () => {
        stopped = true;
        reject(new Error('aborted'));
      })),
    );
    expect(outcome.source.state).toBe('timeout');
    expect(outcome.source.reason).toBe('Elasticsearch did not answer within 50 ms.');
    expect(stopped).toBe(true);
  });

  it('reports the caller’s cancel as cancelled rather than as a store failure', async () => {
    const controller = new AbortController();
    const running = readPart('audit_logs', 'mongo', 10_000, controller.signal, 10, () => new Promise(() => undefined));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  });
});
