import type { z } from 'zod';
import { AppError } from '@shared/errors';
import type { ElasticMappings, MappingNote } from '@shared/model/indexes';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { ElasticFace } from '../../stores/elastic/face';

export interface IndexesElastic {
  face: Pick<ElasticFace, 'getIndexTemplates' | 'getMappings'>;
}

interface ElasticDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<{ preset: TenancyPreset; elastic?: IndexesElastic }>;
}

type Json = z.core.util.JSONType;
type JsonRecord = Record<string, Json>;

const asRecord = (value: unknown): JsonRecord => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (JSON.parse(JSON.stringify(value)) as JsonRecord) : {});

/** `a.b.c` → `type` (with the analyzer, where one is set), from a mapping's nested `properties`. */
export function flattenMapping(mappings: JsonRecord, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const properties = asRecord(mappings.properties);
  for (const [field, raw] of Object.entries(properties)) {
    const spec = asRecord(raw);
    const path = `${prefix}${field}`;
    const type = typeof spec.type === 'string' ? spec.type : spec.properties ? 'object' : 'object';
    const analyzer = typeof spec.analyzer === 'string' ? ` (analyzer ${spec.analyzer})` : '';
    out.set(path, `${type}${analyzer}`);
    if (spec.properties) for (const [inner, value] of flattenMapping(spec, `${path}.`)) out.set(inner, value);
  }
  return out;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An index pattern (`tenant-*-cases-*`) as a whole-name test. */
const patternTest = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);

/** `tenant-{id}-{entity}-{YYYY-MM}` for one tenant and entity, any month. */
const familyTest = (format: string, tenantId: string, entity: string): RegExp =>
  new RegExp(`^${escape(format).replace(escape('{id}'), escape(tenantId)).replace(escape('{entity}'), escape(entity)).replace(escape('{YYYY-MM}'), '\\d{4}-\\d{2}')}$`);

/**
 * Where a live index's mapping and its template's differ, and what applying the template would
 * take (Elasticsearch reference, "Update mapping API" and "Changing mappings"): a field the index
 * lacks can be added in place; a field whose type or analyzer differs cannot be changed in place —
 * it needs a reindex, or waits for the next index the template creates (monthly indices roll over).
 */
export function mappingNotes(index: string, template: Map<string, string>, live: Map<string, string>): MappingNote[] {
  const notes: MappingNote[] = [];
  for (const [field, want] of template) {
    const have = live.get(field) ?? null;
    if (have === want) continue;
    if (have === null) {
      notes.push({ index, field, template: want, live: null, needsReindex: false, why: 'The template adds this field; PUT _mapping adds it to the existing index without a reindex (documents already indexed stay without it).' });
    } else {
      notes.push({ index, field, template: want, live: have, needsReindex: true, why: 'A field’s type or analyzer cannot change in place: reindex into a new index, or let the next monthly index pick the template up.' });
    }
  }
  for (const [field, have] of live) {
    if (!template.has(field)) notes.push({ index, field, template: null, live: have, needsReindex: false, why: 'Mapped dynamically: the template does not name it, so new indices map it again from the first document.' });
  }
  return notes;
}

export function createElasticMappings(deps: ElasticDeps) {
  return {
    async mappings(args: { workspaceId: string; tenantId: string }, { signal }: { signal: AbortSignal }): Promise<ElasticMappings> {
      const stores = await deps.openStores(args.workspaceId, signal);
      if (!stores.elastic) throw new AppError('unreachable', 'This workspace has no Elasticsearch endpoint; add one in the workspace editor.');
      const names = new Set((stores.preset.blueprint.elastic?.templates ?? []).map((t) => t.name));
      const templates = (await stores.elastic.face.getIndexTemplates(undefined, { signal }))
        .filter((item) => names.size === 0 || names.has(item.name))
        .map((item) => ({
          name: item.name,
          indexPatterns: [item.index_template.index_patterns ?? []].flat().map(String),
          template: asRecord(item.index_template.template),
        }));
      const live = await stores.elastic.face.getMappings(undefined, scopeFor(stores.preset, args.tenantId), { signal });
      const indices = Object.entries(live)
        .map(([index, mappings]) => ({ index, mappings: asRecord(mappings) }))
        .sort((a, b) => a.index.localeCompare(b.index));
      const families = stores.preset.blueprint.elastic?.indices ?? [];
      const layout = stores.preset.layout.elastic;
      const notes = indices.flatMap(({ index, mappings }) => {
        const template = templates.find((t) => t.indexPatterns.some((p) => patternTest(p).test(index)));
        const family = layout && families.find((f) => familyTest(layout.indexFormat, args.tenantId, f.entity).test(index));
        if (!template && !family) return [];
        // What the index should map: the template's mappings, with the preset's own for its entity on top.
        const expected = new Map([...flattenMapping(asRecord(template?.template.mappings)), ...flattenMapping(asRecord(family?.mappings))]);
        return mappingNotes(index, expected, flattenMapping(mappings));
      });
      return { templates, indices, notes };
    },
  };
}
