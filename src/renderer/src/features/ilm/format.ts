import { ILM_PHASES } from '@shared/model/ilm';

/** One colour per phase, from hot to delete, so the grids and the time view read alike. */
export const PHASE_COLORS: Record<string, string> = { new: 'gray', hot: 'red', warm: 'orange', cold: 'blue', frozen: 'cyan', delete: 'dark' };

export const phaseOrder = (phase: string | null): number => {
  const at = (ILM_PHASES as readonly string[]).indexOf(phase ?? '');
  return at < 0 ? -1 : at;
};

const UNITS: Array<[number, string]> = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/** `41 d`, `5 h`: an age for a grid cell. */
export function ageText(ms: number | null, server: string | null): string {
  if (ms === null) return server ?? '';
  for (const [unit, label] of UNITS) if (ms >= unit) return `${Math.floor(ms / unit)} ${label}`;
  return `${Math.round(ms / 1000)} s`;
}

export const errorText = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));
