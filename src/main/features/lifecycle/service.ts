import { TIMELINE_MONTHS_BACK } from '@shared/contract/lifecycle';
import { AppError } from '@shared/errors';
import type { Lane, LaneGap, Month } from '@shared/model/lifecycle';
import { addMonths, monthOf, monthRange } from '@shared/model/lifecycle-months';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { SectionService } from '../../services/section';
import type { FleetHorizonSource, FleetIlmSource, LifecycleLaneSource, PartitionHorizon } from '../../services/lifecycle-lanes';
import { fleetRows } from './fleet-rows';
import { byStore, checkLanes } from './lanes';
import { DEFAULT_SOURCE_TIMEOUT_MS, partOf, readSource, type ReadSourceOptions } from './read-source';

/** What the lifecycle views read in one workspace: each store feature's source, and the stores that cannot be read here. */
export interface LifecycleSources {
  preset: TenancyPreset;
  /** One or more per store the workspace has and whose feature draws lanes. */
  lanes: readonly LifecycleLaneSource[];
  /** PostgreSQL partitions' horizon per tenant, when the workspace has PostgreSQL. */
  horizons?: FleetHorizonSource;
  /** Failed ILM steps per tenant, when the workspace has Elasticsearch. */
  ilm?: FleetIlmSource;
  /** Stores the preset uses that cannot be read now (not available here, with why): gaps without asking. */
  unavailable: readonly LaneGap[];
}

export interface LifecycleServiceDeps {
  sourcesOf(workspaceId: string, signal: AbortSignal): Promise<LifecycleSources>;
  /** The clock the current month is read from. */
  now?(): Date;
  /** How long one store's source may take before the view goes on without it. */
  sourceTimeoutMs?: number;
  onError?(line: string): void;
}

/**
 * The lifecycle section: lays the stores' lanes side by side for one tenant, and the partition
 * horizon across the fleet. Every store's source runs at once on a signal of its own; a source that
 * fails, or whose store is not available, is a gap with the reason and the view shows the rest.
 */
export function createLifecycleService(deps: LifecycleServiceDeps): SectionService<'lifecycle'> {
  const clock = deps.now ?? (() => new Date());
  const options = (signal: AbortSignal): ReadSourceOptions => ({
    signal,
    timeoutMs: deps.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS,
    ...(deps.onError && { onError: deps.onError }),
  });

  return {
    async timeline(args, { signal }) {
      const sources = await deps.sourcesOf(args.workspaceId, signal);
      const tenantId = scopeFor(sources.preset, args.tenantId).tenantId;
      const now = monthOf(clock());
      const months = viewMonths(args.from ?? addMonths(now, -TIMELINE_MONTHS_BACK), args.months);
      const unavailable = new Set(sources.unavailable.map((gap) => gap.store));
      const read = await Promise.all(
        sources.lanes
          .filter((source) => !unavailable.has(source.store))
          .map(async (source) => {
            const outcome = await readSource(source.store, partOf(source.store, 'lanes'), (own) => source.tenantLanes({ workspaceId: args.workspaceId, tenantId, months, now }, own), options(signal));
            return 'gap' in outcome ? { lanes: [] as Lane[], gap: outcome.gap } : checkLanes(source.store, outcome.value, months);
          }),
      );
      const gaps = [...sources.unavailable, ...read.flatMap((r) => (r.gap ? [r.gap] : []))];
      return { tenantId, months, now, lanes: byStore(read.flatMap((r) => r.lanes)), gaps: byStore(gaps) };
    },

    async fleet(args, { signal }) {
      const sources = await deps.sourcesOf(args.workspaceId, signal);
      const now = monthOf(clock());
      // The view ends one month past the keep-ahead window, so the edge the premake moves is in sight.
      const months = viewMonths(addMonths(now, args.keepAhead + 2 - args.months), args.months);
      const unavailable = new Map(sources.unavailable.map((gap) => [gap.store, gap]));
      const gaps: LaneGap[] = [];
      /** Notes why a part of the view is missing; the part is then unknown, never empty. */
      const without = (gap: LaneGap): undefined => {
        gaps.push(gap);
        return undefined;
      };

      const readHorizons = async (): Promise<ReadonlyMap<string, PartitionHorizon> | undefined> => {
        const down = unavailable.get('postgres');
        if (down) return without(down);
        const source = sources.horizons;
        if (!source) return without({ store: 'postgres', reason: 'Partition horizons are not read in this workspace: it has no PostgreSQL partitions to read.' });
        const outcome = await readSource('postgres', partOf('postgres', 'partition horizons'), (own) => source.partitionHorizons({ workspaceId: args.workspaceId, months, now }, own), options(signal));
        if ('gap' in outcome) return without(outcome.gap);
        const misfit = [...outcome.value].find(([, horizon]) => horizon.coverage.length !== months.length);
        if (misfit) return without({ store: 'postgres', reason: `The partition horizons do not match the view: tenant ${misfit[0]} has ${misfit[1].coverage.length} months of coverage for ${months.length}.` });
        return outcome.value;
      };
      const readIlm = async (): Promise<ReadonlyMap<string, number> | undefined> => {
        const down = unavailable.get('elastic');
        if (down) return without(down);
        const source = sources.ilm;
        if (!source) return undefined;
        const outcome = await readSource('elastic', partOf('elastic', 'ILM errors'), (own) => source.ilmErrorsByTenant({ workspaceId: args.workspaceId }, own), options(signal));
        if ('gap' in outcome) return without(outcome.gap);
        return outcome.value;
      };

      const [horizons, ilmErrors] = await Promise.all([readHorizons(), readIlm()]);
      return { months, now, keepAhead: args.keepAhead, rows: fleetRows({ months, now, keepAhead: args.keepAhead, horizons, ilmErrors }), gaps: byStore(gaps) };
    },
  };
}

/** The months of a view, refused with a clear reason when they would leave the calendar. */
function viewMonths(from: Month, count: number): Month[] {
  try {
    return monthRange(from, count);
  } catch (error) {
    throw new AppError('invalid_argument', error instanceof Error ? error.message : 'These months are outside the calendar.');
  }
}
