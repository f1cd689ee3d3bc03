import { Badge, Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { Lane, LaneCell, TenantTimeline } from '@shared/model/lifecycle';
import type { StoreKind } from '@shared/model/workspace';
import { CELL_STATES, STATE_ORDER, cellLines, laneKindLabel, monthHeading, phaseMark } from './cell-states';

const LABEL_WIDTH = 280;
const CELL_HEIGHT = 24;

const STORE_COLORS: Record<StoreKind, string> = { postgres: 'blue', elastic: 'yellow', mongo: 'green', redis: 'red' };
/** The store's name as a lane's badge has room for. */
const STORE_BADGES: Record<StoreKind, string> = { postgres: 'Postgres', elastic: 'Elastic', mongo: 'MongoDB', redis: 'Redis' };

/** Lines of text in a tooltip, one per line, as dense as the grid. */
function TooltipLines({ lines }: { lines: string[] }) {
  return (
    <Stack gap={0}>
      {lines.map((line, i) => (
        <Text key={`${i}-${line}`} size="xs" fw={i === 0 ? 600 : 400} ff={i === 1 ? 'monospace' : undefined} style={{ wordBreak: 'break-word' }}>
          {line}
        </Text>
      ))}
    </Stack>
  );
}

function laneLines(lane: Lane): string[] {
  return [
    `${lane.name} — ${laneKindLabel(lane.store, lane.kind)}`,
    lane.rule ? `rule: ${lane.rule}` : 'no rule from the blueprint',
    lane.horizon ? `ready through ${lane.horizon}` : 'no horizon: nothing made ahead',
    ...(lane.note ? [lane.note] : []),
  ];
}

function Cell({ cell, now }: { cell: LaneCell; now: boolean }) {
  const look = CELL_STATES[cell.state];
  return (
    <Tooltip label={<TooltipLines lines={cellLines(cell)} />} multiline maw={360} withArrow openDelay={120} transitionProps={{ duration: 0 }}>
      <Box
        role="cell"
        aria-label={cellLines(cell)[0]}
        data-month={cell.month}
        data-state={cell.state}
        data-now={now || undefined}
        style={{
          height: CELL_HEIGHT,
          background: look.background,
          border: `1px solid ${look.border}`,
          borderRadius: 2,
          outline: now ? '2px solid var(--mantine-color-slate-3)' : undefined,
          outlineOffset: -1,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontSize: 11,
          fontWeight: 700,
          color: 'var(--mantine-color-white)',
          cursor: 'default',
        }}
      >
        {phaseMark(cell.phase)}
      </Box>
    </Tooltip>
  );
}

/**
 * A tenant's lifecycle: months across, stores down, one row of coloured cells per lane. The current
 * month is outlined (the main process says which it is); elastic cells carry their ILM phase's
 * initial; every cell's tooltip says what the store reported for it, and each lane's label its rule
 * and horizon.
 */
export function TimelineGrid({ timeline }: { timeline: TenantTimeline }) {
  const columns = `${LABEL_WIDTH}px repeat(${timeline.months.length}, minmax(22px, 1fr))`;
  return (
    <Stack gap={6}>
      <Box role="table" aria-label="Time view" aria-rowcount={timeline.lanes.length + 1} style={{ display: 'grid', gridTemplateColumns: columns, columnGap: 3, rowGap: 3, alignItems: 'center' }}>
        <Box role="row" style={{ display: 'contents' }}>
          <Text role="columnheader" size="xs" c="dimmed" fw={700} tt="uppercase">
            Lane
          </Text>
          {timeline.months.map((month, i) => {
            const heading = monthHeading(month, i === 0);
            const isNow = month === timeline.now;
            return (
              <Box key={month} role="columnheader" aria-label={month} data-now={isNow || undefined} style={{ textAlign: 'center', lineHeight: 1.1 }}>
                <Text size="10px" c="dimmed" h={12}>
                  {heading.year ?? ''}
                </Text>
                <Text size="xs" fw={isNow ? 700 : 400} c={isNow ? 'slate.2' : undefined}>
                  {isNow ? 'now' : heading.name}
                </Text>
              </Box>
            );
          })}
        </Box>
        {timeline.lanes.map((lane) => {
          const nowIndex = timeline.months.indexOf(timeline.now);
          return (
            <Box key={`${lane.store}/${lane.name}`} role="row" data-lane={`${lane.store}/${lane.name}`} style={{ display: 'contents' }}>
              <Tooltip label={<TooltipLines lines={laneLines(lane)} />} multiline maw={360} withArrow position="right" openDelay={120} transitionProps={{ duration: 0 }}>
                <Group role="rowheader" gap={6} wrap="nowrap" style={{ minWidth: 0, overflow: 'hidden' }}>
                  <Badge size="xs" variant="light" color={STORE_COLORS[lane.store]} w={74} style={{ flexShrink: 0 }}>
                    {STORE_BADGES[lane.store]}
                  </Badge>
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="xs" ff="monospace" truncate="end">
                      {lane.name}
                    </Text>
                    <Text size="10px" c="dimmed" truncate="end" data-testid="lane-rule">
                      {[lane.rule, lane.horizon ? `ready through ${lane.horizon}` : 'no horizon'].filter(Boolean).join(' · ')}
                    </Text>
                  </Stack>
                </Group>
              </Tooltip>
              {lane.cells.map((cell, i) => (
                <Cell key={cell.month} cell={cell} now={i === nowIndex} />
              ))}
            </Box>
          );
        })}
      </Box>
      <Group gap="md" data-testid="timeline-legend">
        {STATE_ORDER.map((state) => (
          <Tooltip key={state} label={CELL_STATES[state].meaning} withArrow transitionProps={{ duration: 0 }}>
            <Group gap={4} wrap="nowrap">
              <Box w={12} h={12} style={{ background: CELL_STATES[state].background, border: `1px solid ${CELL_STATES[state].border}`, borderRadius: 2 }} />
              <Text size="xs" c="dimmed">
                {CELL_STATES[state].label}
              </Text>
            </Group>
          </Tooltip>
        ))}
        <Text size="xs" c="dimmed">
          H W C F D: ILM phase (hot, warm, cold, frozen, delete)
        </Text>
      </Group>
    </Stack>
  );
}
