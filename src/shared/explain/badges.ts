import { totalRows, walkPlan, type Plan, type PlanNode } from './model';

/**
 * Badges, graded as pev2 grades them: 1 (worth a look), 2 (bad), 3 (dominant). pev2 shows time
 * shares over 10 / 40 / 90 % and misestimates over 10 / 100 / 1000×; the other badges follow the
 * same three steps on their own measure, given with each.
 */
export type Grade = 1 | 2 | 3;

export type BadgeKind = 'time' | 'misestimate' | 'filter' | 'heap-fetches' | 'spill' | 'never-executed';

export interface Badge {
  kind: BadgeKind;
  /** 0 for a plain fact (never executed), 1–3 for a warning's strength. */
  grade: 0 | Grade;
  /** What the badge shows: "43 %", "120× under", "98 % removed". */
  label: string;
  /** One sentence for the tooltip, in plain language. */
  title: string;
  direction?: 'under' | 'over';
}

function grade(value: number, steps: readonly [number, number, number]): Grade | undefined {
  if (value > steps[2]) return 3;
  if (value > steps[1]) return 2;
  if (value > steps[0]) return 1;
  return undefined;
}

const TIME_STEPS = [0.1, 0.4, 0.9] as const;
const MISESTIMATE_STEPS = [10, 100, 1000] as const;
const REMOVED_STEPS = [0.5, 0.9, 0.99] as const;
const HEAP_FETCH_STEPS = [0.1, 0.5, 0.9] as const;

/**
 * The node's share of the plan: exclusive time over the plan's total when it ran, otherwise
 * exclusive cost over the root's total cost (plain EXPLAIN has no times).
 */
export function timeShare(plan: Plan, node: PlanNode): number | undefined {
  if (plan.analyzed && node.timeSelfMs !== undefined && plan.totalMs) return node.timeSelfMs / plan.totalMs;
  if (!plan.analyzed && node.costTotal !== undefined && plan.root.costTotal) {
    let children = 0;
    for (const child of node.children) children += child.costTotal ?? 0;
    return Math.max(0, node.costTotal - children) / plan.root.costTotal;
  }
  return undefined;
}

/**
 * How far the planner's row estimate was off, per loop, and which way. An estimate or result of 0
 * counts as 1 row so a "0 estimated, 1 actual" node is not flagged as infinitely wrong.
 */
export function misestimate(node: PlanNode): { factor: number; direction: 'under' | 'over' } | undefined {
  if (node.rowsEstimated === undefined || node.rowsActual === undefined || node.neverExecuted) return undefined;
  const estimated = Math.max(1, node.rowsEstimated);
  const actual = Math.max(1, node.rowsActual);
  return actual >= estimated ? { factor: actual / estimated, direction: 'under' } : { factor: estimated / actual, direction: 'over' };
}

const INDEX_ONLY = new Set(['Index Only Scan', 'Parallel Index Only Scan']);

export function nodeBadges(plan: Plan, node: PlanNode): Badge[] {
  const badges: Badge[] = [];
  if (node.neverExecuted) {
    badges.push({ kind: 'never-executed', grade: 0, label: 'never executed', title: 'The planner kept this node but it never ran.' });
    return badges;
  }
  const share = timeShare(plan, node);
  const timeGrade = share === undefined ? undefined : grade(share, TIME_STEPS);
  if (share !== undefined && timeGrade) {
    const what = plan.analyzed ? 'execution time' : 'estimated cost';
    badges.push({ kind: 'time', grade: timeGrade, label: `${Math.round(share * 100)} %`, title: `This node alone takes ${formatShare(share)} of the ${what}.` });
  }
  const off = misestimate(node);
  const offGrade = off ? grade(off.factor, MISESTIMATE_STEPS) : undefined;
  if (off && offGrade) {
    badges.push({
      kind: 'misestimate', grade: offGrade, direction: off.direction,
      label: `${formatFactor(off.factor)} ${off.direction}`,
      title: `The planner expected ${node.rowsEstimated} row(s) per loop and got ${node.rowsActual}: ${off.direction === 'under' ? 'under' : 'over'}estimated ${formatFactor(off.factor)}.`,
    });
  }
  const removed = (node.rowsRemoved?.byFilter ?? 0) + (node.rowsRemoved?.byIndexRecheck ?? 0);
  const kept = totalRows(node) ?? 0;
  if (removed > 0) {
    const part = removed / (removed + kept);
    const g = grade(part, REMOVED_STEPS);
    if (g) badges.push({ kind: 'filter', grade: g, label: `${formatShare(part)} removed`, title: `${removed.toLocaleString('en')} row(s) were read and thrown away by a filter; ${kept.toLocaleString('en')} kept.` });
  }
  if (INDEX_ONLY.has(node.operation) && (node.heapFetches ?? 0) > 0) {
    const part = node.heapFetches! / Math.max(1, kept);
    const g = grade(part, HEAP_FETCH_STEPS) ?? 1;
    badges.push({ kind: 'heap-fetches', grade: g, label: `${node.heapFetches!.toLocaleString('en')} heap fetches`, title: 'This index-only scan still visited the table for rows the visibility map could not vouch for; VACUUM sets it.' });
  }
  const spill = spillOf(node);
  if (spill) badges.push({ kind: 'spill', grade: 2, label: 'spilled to disk', title: spill });
  return badges;
}

/** Why a sort or hash counts as spilled, or undefined when it stayed in memory. */
export function spillOf(node: PlanNode): string | undefined {
  if (node.sort?.spaceType === 'Disk' || /external/i.test(node.sort?.method ?? '')) {
    return `The sort did not fit in memory and wrote ${node.sort?.spaceUsedKb !== undefined ? `${node.sort.spaceUsedKb.toLocaleString('en')} kB` : 'its rows'} to disk.`;
  }
  if ((node.hash?.batches ?? 1) > 1) {
    return `The hash table did not fit in memory and was split into ${node.hash!.batches} batches written to disk.`;
  }
  return undefined;
}

/** Badges for every node, keyed by node id (folded partition members included). */
export function planBadges(plan: Plan): Map<string, Badge[]> {
  const out = new Map<string, Badge[]>();
  const visit = (node: PlanNode): void => {
    const badges = nodeBadges(plan, node);
    if (badges.length > 0) out.set(node.id, badges);
  };
  walkPlan(plan.root, (node) => {
    visit(node);
    if (node.group) for (const member of node.group.members) walkPlan(member, visit);
  });
  return out;
}

export function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)} %`;
}

function formatFactor(factor: number): string {
  return `${factor >= 100 ? Math.round(factor).toLocaleString('en') : factor.toFixed(factor >= 10 ? 0 : 1)}×`;
}
