import type { IlmTemplates, IndexTemplateView, RolloverTarget } from '@shared/model/ilm-views';
import type { TenancyPreset } from '@shared/tenancy';
import type { IlmReader } from './reading';

/**
 * Index and component templates with the indices each matches. Elasticsearch applies to a new
 * index the matching composable template of highest priority, its component templates first in
 * `composed_of` order, the template's own settings last ("Index templates" in the reference); so a
 * template matches every index its patterns cover and governs those where it wins.
 */

const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** An index pattern (`tenant-*-cases-*`) as a whole-name test. */
export function patternTest(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
}

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** `index.lifecycle.name` from settings written nested (`index.lifecycle.name`) or flat. */
export function lifecycleNameOf(settings: unknown): string | null {
  const s = asRecord(settings);
  const flat = s['index.lifecycle.name'];
  if (typeof flat === 'string') return flat;
  const index = asRecord(s.index);
  const nested = asRecord(index.lifecycle).name ?? index['lifecycle.name'];
  return typeof nested === 'string' ? nested : null;
}

interface TemplateSpec {
  name: string;
  patterns: string[];
  priority: number;
  composedOf: string[];
  dataStream: boolean;
  policy: string | null;
}

/** The template each name would get: the matching one of highest priority (ties by name, as no cluster allows them). */
function winner(templates: readonly TemplateSpec[], name: string): TemplateSpec | undefined {
  let best: TemplateSpec | undefined;
  for (const template of templates) {
    if (!template.patterns.some((p) => patternTest(p).test(name))) continue;
    if (!best || template.priority > best.priority || (template.priority === best.priority && template.name < best.name)) best = template;
  }
  return best;
}

export async function readTemplates(ilm: IlmReader, preset: TenancyPreset, signal: AbortSignal): Promise<IlmTemplates> {
  const options = { signal };
  const [indexTemplates, componentTemplates, names, aliases, streams, policies] = await Promise.all([
    ilm.indexTemplates(options),
    ilm.componentTemplates(options),
    ilm.indexNames('*', options),
    ilm.aliases('*', options),
    ilm.dataStreams(options),
    ilm.lifecycleNames('*', options),
  ]);
  const componentPolicy = new Map(componentTemplates.map((c) => [c.name, lifecycleNameOf(c.component_template.template?.settings)]));
  const specs: TemplateSpec[] = indexTemplates.map((item) => {
    const composedOf = (item.index_template.composed_of ?? []).map(String);
    // The template's own settings win over its components', and later components over earlier ones.
    const own = lifecycleNameOf(item.index_template.template?.settings);
    const fromComponents = composedOf.map((c) => componentPolicy.get(c) ?? null).filter((p): p is string => p !== null).at(-1) ?? null;
    return {
      name: item.name,
      patterns: [item.index_template.index_patterns ?? []].flat().map(String),
      priority: Number(item.index_template.priority ?? 0),
      composedOf,
      dataStream: item.index_template.data_stream !== undefined,
      policy: own ?? fromComponents,
    };
  });
  const streamNames = new Map(streams.map((s) => [s.name, s]));
  // Data-stream templates match stream names; the backing indices count as what they govern.
  const matched = new Map(specs.map((s) => [s.name, { matches: 0, governs: 0, sample: [] as string[] }]));
  let unmatched = 0;
  for (const name of names) {
    const candidates = specs.filter((s) => !s.dataStream);
    let any = false;
    for (const spec of candidates) {
      if (!spec.patterns.some((p) => patternTest(p).test(name))) continue;
      any = true;
      const entry = matched.get(spec.name);
      if (entry) entry.matches += 1;
    }
    const won = winner(candidates, name);
    const entry = won && matched.get(won.name);
    if (entry) {
      entry.governs += 1;
      if (entry.sample.length < 5) entry.sample.push(name);
    }
    if (!any) unmatched += 1;
  }
  for (const stream of streamNames.values()) {
    const won = winner(specs.filter((s) => s.dataStream), stream.name);
    const entry = won && matched.get(won.name);
    if (!entry) continue;
    entry.matches += stream.indices.length;
    entry.governs += stream.indices.length;
    if (entry.sample.length < 5) entry.sample.push(stream.name);
  }
  const prescribed = new Set((preset.blueprint.elastic?.templates ?? []).map((t) => t.name));
  const views: IndexTemplateView[] = specs
    .map((spec) => ({
      name: spec.name,
      patterns: spec.patterns,
      priority: spec.priority,
      composedOf: spec.composedOf,
      dataStream: spec.dataStream,
      policy: spec.policy,
      matches: matched.get(spec.name)?.matches ?? 0,
      governs: matched.get(spec.name)?.governs ?? 0,
      sample: matched.get(spec.name)?.sample ?? [],
      prescribed: prescribed.has(spec.name),
    }))
    .sort((a, b) => Number(b.prescribed) - Number(a.prescribed) || b.governs - a.governs || a.name.localeCompare(b.name));
  const governsByTemplate = new Map(views.map((v) => [v.name, v.governs]));
  const components = componentTemplates
    .map((c) => {
      const usedBy = specs.filter((s) => s.composedOf.includes(c.name)).map((s) => s.name);
      return { name: c.name, policy: componentPolicy.get(c.name) ?? null, usedBy, governs: usedBy.reduce((sum, t) => sum + (governsByTemplate.get(t) ?? 0), 0) };
    })
    .sort((a, b) => b.governs - a.governs || a.name.localeCompare(b.name));
  const byAlias = new Map<string, { indices: string[]; write: string | null }>();
  for (const entry of aliases) {
    const alias = byAlias.get(entry.alias) ?? { indices: [], write: null };
    alias.indices.push(entry.index);
    if (entry.isWriteIndex === true) alias.write = entry.index;
    byAlias.set(entry.alias, alias);
  }
  const rolloverTargets: RolloverTarget[] = [
    ...[...byAlias.entries()]
      // An alias rolls over through its write index, or its only index.
      .map(([name, alias]) => ({ name, alias, write: alias.write ?? (alias.indices.length === 1 ? (alias.indices[0] ?? null) : null) }))
      .filter(({ write }) => write !== null)
      .map(({ name, alias, write }) => ({ name, kind: 'alias' as const, writeIndex: write, indices: alias.indices.length, policy: write ? (policies.get(write) ?? null) : null })),
    ...[...streamNames.values()].map((s) => ({ name: s.name, kind: 'data_stream' as const, writeIndex: s.indices.at(-1) ?? null, indices: s.indices.length, policy: s.policy })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  return { indexTemplates: views, componentTemplates: components, rolloverTargets, indicesRead: names.length, unmatched };
}
