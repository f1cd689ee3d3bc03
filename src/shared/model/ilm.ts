import { z } from 'zod';

/**
 * An Elasticsearch index lifecycle (ILM) policy as the console edits it: the `policy` object of
 * `PUT _ilm/policy/<name>` (phases and `_meta`), checked against the ILM reference before anything
 * is sent. Each phase allows only its own actions ("Index lifecycle management phases and actions",
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-index-lifecycle.html), each
 * action only its documented options, and minimum ages must not go down from one phase to the next.
 * A refusal names the offending field's path (`phases.warm.actions.rollover`).
 */

export const ILM_PHASES = ['hot', 'warm', 'cold', 'frozen', 'delete'] as const;
export const IlmPhase = z.enum(ILM_PHASES);
export type IlmPhase = z.infer<typeof IlmPhase>;

/** The actions each phase allows, in the order ILM runs them (the reference's per-phase tables). */
export const PHASE_ACTIONS: Record<IlmPhase, readonly string[]> = {
  hot: ['set_priority', 'unfollow', 'rollover', 'readonly', 'downsample', 'shrink', 'forcemerge', 'searchable_snapshot'],
  warm: ['set_priority', 'unfollow', 'readonly', 'downsample', 'allocate', 'migrate', 'shrink', 'forcemerge'],
  cold: ['set_priority', 'unfollow', 'readonly', 'downsample', 'searchable_snapshot', 'allocate', 'migrate'],
  frozen: ['unfollow', 'searchable_snapshot'],
  delete: ['wait_for_snapshot', 'delete'],
};

/** `30d`, `12h`, `0ms`: an Elasticsearch time value. */
const TIME_VALUE = /^(\d+(?:\.\d+)?)(d|h|m|s|ms|micros|nanos)$/;
/** `50gb`, `512mb`: an Elasticsearch byte size. */
const BYTE_SIZE = /^\d+(?:\.\d+)?(b|kb|mb|gb|tb|pb)$/i;

const MS_PER_UNIT: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1, micros: 0.001, nanos: 0.000_001 };

/** A time value in milliseconds, or undefined when it is not one. */
export function timeValueMs(value: string): number | undefined {
  const match = TIME_VALUE.exec(value);
  return match ? Number(match[1]) * (MS_PER_UNIT[match[2] ?? ''] ?? Number.NaN) : undefined;
}

const TimeValue = z.string().regex(TIME_VALUE, 'a time value such as 30d, 12h or 0ms');
const ByteSize = z.string().regex(BYTE_SIZE, 'a byte size such as 50gb or 512mb');
const Count = z.number().int().min(1);
const Empty = z.object({}).strict();
const NodeAttributes = z.record(z.string(), z.string());

const Rollover = z
  .object({
    max_age: TimeValue.optional(),
    max_docs: Count.optional(),
    max_size: ByteSize.optional(),
    max_primary_shard_size: ByteSize.optional(),
    max_primary_shard_docs: Count.optional(),
    min_age: TimeValue.optional(),
    min_docs: Count.optional(),
    min_size: ByteSize.optional(),
    min_primary_shard_size: ByteSize.optional(),
    min_primary_shard_docs: Count.optional(),
  })
  .strict()
  .refine((r) => r.max_age !== undefined || r.max_docs !== undefined || r.max_size !== undefined || r.max_primary_shard_size !== undefined || r.max_primary_shard_docs !== undefined, {
    message: 'rollover needs at least one max_* condition (max_age, max_docs, max_size, max_primary_shard_size, max_primary_shard_docs)',
  });

const Shrink = z
  .object({ number_of_shards: Count.optional(), max_primary_shard_size: ByteSize.optional(), allow_write_after_shrink: z.boolean().optional() })
  .strict()
  .refine((s) => (s.number_of_shards === undefined) !== (s.max_primary_shard_size === undefined), {
    message: 'shrink takes exactly one of number_of_shards or max_primary_shard_size',
  });

/** Each action's documented options ("Index lifecycle actions" in the Elasticsearch reference). */
export const ACTION_SCHEMAS: Record<string, z.ZodType> = {
  set_priority: z.object({ priority: z.number().int().min(0).nullable() }).strict(),
  unfollow: Empty,
  rollover: Rollover,
  readonly: Empty,
  downsample: z.object({ fixed_interval: TimeValue, wait_timeout: TimeValue.optional() }).strict(),
  shrink: Shrink,
  forcemerge: z.object({ max_num_segments: Count, index_codec: z.literal('best_compression').optional() }).strict(),
  searchable_snapshot: z
    .object({ snapshot_repository: z.string().min(1), force_merge_index: z.boolean().optional(), total_shards_per_node: z.number().int().min(-1).optional() })
    .strict(),
  allocate: z
    .object({
      number_of_replicas: z.number().int().min(0).optional(),
      total_shards_per_node: z.number().int().min(-1).optional(),
      include: NodeAttributes.optional(),
      exclude: NodeAttributes.optional(),
      require: NodeAttributes.optional(),
    })
    .strict(),
  migrate: z.object({ enabled: z.boolean().optional() }).strict(),
  wait_for_snapshot: z.object({ policy: z.string().min(1) }).strict(),
  delete: z.object({ delete_searchable_snapshot: z.boolean().optional() }).strict(),
};

/** Actions the reference once had and no longer takes, with what to say instead of "unknown". */
const REMOVED_ACTIONS: Record<string, string> = {
  freeze: 'the freeze action was removed in Elasticsearch 8.0 (frozen indices are no longer useful); drop it, or use searchable_snapshot in the cold or frozen phase',
};

/** Where an issue points; an unknown key is reported at its parent, so each key gets its own path. */
function issuePaths(issue: z.core.$ZodIssue): Array<Array<string | number>> {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  return issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? issue.keys.map((key) => [...path, key]) : [path];
}

function phaseSchema(phase: IlmPhase) {
  const allowed = PHASE_ACTIONS[phase];
  return z
    .object({ min_age: TimeValue.optional(), actions: z.record(z.string(), z.unknown()).default({}) })
    .strict()
    .superRefine((value, ctx) => {
      for (const [action, options] of Object.entries(value.actions)) {
        const schema = ACTION_SCHEMAS[action];
        const removed = REMOVED_ACTIONS[action];
        if (removed || !schema || !allowed.includes(action)) {
          const where = Object.entries(PHASE_ACTIONS).filter(([, actions]) => actions.includes(action)).map(([p]) => p);
          const message = removed ?? (schema ? `${action} is not allowed in the ${phase} phase (only in ${where.join(', ')})` : `${action} is not an ILM action`);
          ctx.addIssue({ code: 'custom', path: ['actions', action], message: `${message}; the ${phase} phase allows ${allowed.join(', ')}` });
          continue;
        }
        const parsed = schema.safeParse(options);
        if (parsed.success) continue;
        for (const issue of parsed.error.issues) {
          for (const path of issuePaths(issue)) ctx.addIssue({ code: 'custom', path: ['actions', action, ...path], message: issue.message });
        }
      }
    });
}

/** The `policy` object of `PUT _ilm/policy/<name>`: phases and an optional `_meta`. */
export const IlmPolicyBody = z
  .object({
    phases: z
      .object({
        hot: phaseSchema('hot').optional(),
        warm: phaseSchema('warm').optional(),
        cold: phaseSchema('cold').optional(),
        frozen: phaseSchema('frozen').optional(),
        delete: phaseSchema('delete').optional(),
      })
      .strict(),
    _meta: z.record(z.string(), z.json()).optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    // "Configured minimum ages must increase between subsequent phases" (ILM phase transitions).
    let previous: { phase: IlmPhase; ms: number; text: string } | undefined;
    for (const phase of ILM_PHASES) {
      const text = policy.phases[phase]?.min_age;
      if (text === undefined) continue;
      const ms = timeValueMs(text) ?? 0;
      if (previous && ms < previous.ms) {
        ctx.addIssue({ code: 'custom', path: ['phases', phase, 'min_age'], message: `min_age ${text} is less than the ${previous.phase} phase's ${previous.text}; minimum ages must not decrease from one phase to the next` });
      }
      previous = { phase, ms, text };
    }
  });
export type IlmPolicyBody = z.infer<typeof IlmPolicyBody>;

/** A policy name as `PUT _ilm/policy/<name>` takes it: no path, quote or whitespace characters. */
export const IlmPolicyName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s\\/*?"<>|,#:]+$/, 'a policy name without spaces or any of \\ / * ? " < > | , # :')
  .refine((name) => !name.startsWith('_') && name !== '.' && name !== '..', 'a policy name cannot start with _ or be . or ..');

/** One reason a policy is refused: where (`phases.warm.actions.shrink`) and why; line and column when read from text. */
export const PolicyProblem = z.object({
  path: z.string(),
  message: z.string(),
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
});
export type PolicyProblem = z.infer<typeof PolicyProblem>;

const pathText = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** The problems of a policy object; empty when it may be sent. */
export function policyProblems(value: unknown): PolicyProblem[] {
  const parsed = IlmPolicyBody.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => issuePaths(issue).map((path) => ({ path: pathText(path), message: issue.message })));
}
