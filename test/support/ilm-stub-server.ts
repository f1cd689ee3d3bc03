import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  componentTemplatesReply,
  getLifecycleReply,
  indexTemplatesReply,
  retryRefusedBody,
  rolloverDryRunReply,
} from '../../src/main/stores/elastic/ilm-fixtures';

/**
 * An HTTP server that answers the ILM room's requests with the reply shapes of the Elasticsearch
 * reference (`ilm-fixtures.ts` names each page), over a few tenants' monthly indices, so the
 * screen can be drawn in a browser where no Elasticsearch runs. It is a picture of the
 * documentation, not a cluster: the ILM behaviour itself is tested against the transport mock and,
 * with ES_URL, a real server.
 */
export interface IlmStub {
  url: string;
  /** Requests received, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

const product = { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' };

export async function startIlmStub(tenants: readonly string[]): Promise<IlmStub> {
  const entities = ['cases', 'interactions', 'audit-logs'];
  const months = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
  const phaseOf = (month: string): string => (month >= '2026-12' ? 'hot' : month >= '2026-10' ? 'warm' : 'cold');
  const indices = tenants.flatMap((t, ti) =>
    entities.flatMap((e) =>
      months.map((m) => {
        const index = `tenant-${t}-${e}-${m}`;
        const failing = (e === 'cases' && m === '2026-10' && ti % 2 === 0) || (e === 'audit-logs' && m === '2026-12' && ti === 1);
        return { index, phase: phaseOf(m), failing, action: e === 'cases' ? 'shrink' : 'rollover' };
      }),
    ),
  );
  const explained = (i: (typeof indices)[number]) => ({
    index: i.index,
    managed: true,
    policy: 'case_logs_policy',
    lifecycle_date_millis: Date.parse(`${i.index.slice(-7)}-01T00:00:00Z`),
    age: '41.5d',
    phase: i.phase,
    action: i.failing ? i.action : 'complete',
    step: i.failing ? 'ERROR' : 'complete',
    ...(i.failing
      ? i.action === 'shrink'
        ? { failed_step: 'shrink', step_info: { type: 'illegal_argument_exception', reason: 'the number of target shards [4] must be less that the number of source shards [2]' }, is_auto_retryable_error: false }
        : { failed_step: 'check-rollover-ready', step_info: { type: 'illegal_argument_exception', reason: `index.lifecycle.rollover_alias [audit-logs] does not point to index [${i.index}]` }, is_auto_retryable_error: true }
      : {}),
  });
  const glob = (expression: string) => {
    const tests = decodeURIComponent(expression)
      .split(',')
      .map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
    return indices.filter((i) => tests.some((t) => t.test(i.index)));
  };
  const requests: string[] = [];
  const policies = {
    case_logs_policy: {
      version: 4,
      modified_date: '2026-11-20T09:12:00.000Z',
      policy: {
        phases: {
          hot: { min_age: '0ms', actions: { rollover: { max_age: '30d', max_size: '50gb' } } },
          warm: { min_age: '30d', actions: { shrink: { number_of_shards: 1 }, forcemerge: { max_num_segments: 1 } } },
          cold: { min_age: '90d', actions: { freeze: {} } },
          delete: { min_age: '365d', actions: { delete: {} } },
        },
      },
    },
    ...getLifecycleReply,
  };

  function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://stub');
    const path = url.pathname;
    requests.push(`${request.method ?? 'GET'} ${path}`);
    const send = (status: number, value: unknown): void => {
      response.writeHead(status, product);
      response.end(JSON.stringify(value));
    };
    if (path === '/') return send(200, { name: 'stub', cluster_name: 'docs', cluster_uuid: 'x', version: { number: '8.15.0', build_flavor: 'default' }, tagline: 'You Know, for Search' });
    if (path === '/_ilm/policy' || path.startsWith('/_ilm/policy/')) {
      if (request.method === 'PUT') {
        const name = decodeURIComponent(path.split('/')[3] ?? '');
        const entry = (policies as Record<string, { version: number; modified_date: string; policy: unknown }>)[name];
        (policies as Record<string, unknown>)[name] = { version: (entry?.version ?? 0) + 1, modified_date: new Date().toISOString(), policy: (JSON.parse(body) as { policy: unknown }).policy };
        return send(200, { acknowledged: true });
      }
      const name = path.split('/')[3];
      return send(200, name ? { [decodeURIComponent(name)]: (policies as Record<string, unknown>)[decodeURIComponent(name)] } : policies);
    }
    if (path.endsWith('/_settings/index.lifecycle.name')) return send(200, Object.fromEntries(indices.map((i) => [i.index, { settings: { 'index.lifecycle.name': 'case_logs_policy' } }])));
    if (path.startsWith('/_cat/indices')) return send(200, glob(path.split('/')[3] ?? '*').map((i) => ({ index: i.index })));
    if (path.endsWith('/_ilm/explain')) {
      const onlyErrors = url.searchParams.get('only_errors') === 'true';
      return send(200, { indices: Object.fromEntries(glob(path.split('/')[1] ?? '').filter((i) => !onlyErrors || i.failing).map((i) => [i.index, explained(i)])) });
    }
    if (path.endsWith('/_ilm/retry')) {
      // The reference's refusal, naming the index this request named.
      const index = decodeURIComponent(path.split('/')[1] ?? '');
      return send(400, JSON.parse(JSON.stringify(retryRefusedBody).replaceAll('my-index-000001', index)) as unknown);
    }
    if (path === '/_index_template') {
      return send(200, { index_templates: [...indexTemplatesReply.index_templates, { name: 'tenant_cases_template', index_template: { index_patterns: ['tenant-*-cases-*'], priority: 10, composed_of: ['logs-settings'], template: { settings: { index: { number_of_shards: '3' } } } } }] });
    }
    if (path === '/_component_template') return send(200, componentTemplatesReply);
    if (path.endsWith('/_alias')) return send(200, { [`tenant-${tenants[0] ?? ''}-cases-2026-12`]: { aliases: { [`tenant-${tenants[0] ?? ''}-cases`]: { is_write_index: true } } } });
    if (path === '/_data_stream') return send(200, { data_streams: [] });
    if (path.endsWith('/_rollover')) return send(200, { ...rolloverDryRunReply, old_index: `tenant-${tenants[0] ?? ''}-cases-2026-12`, new_index: `tenant-${tenants[0] ?? ''}-cases-000002` });
    return send(404, { error: { type: 'resource_not_found_exception', reason: `no stub for ${path}` }, status: 404 });
  }

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => answer(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
