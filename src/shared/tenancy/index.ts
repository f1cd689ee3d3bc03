import { AppError } from '../errors';
import { clientManagement } from './client-management';
import { murima2025 } from './murima2025';
import type { TenancyPreset } from './preset';

export type * from './blueprint';
export * from './preset';
export { scopeFor, type TenantScope } from './scope';
export * from './tenant-names';
export { murima2025, clientManagement };

/** Every preset by name; a third platform is a new entry here, not a new code path. */
export const presets: Readonly<Record<string, TenancyPreset>> = {
  [murima2025.name]: murima2025,
  [clientManagement.name]: clientManagement,
};

export const PRESET_NAMES = Object.keys(presets);

export function presetByName(name: string): TenancyPreset {
  const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (!preset) throw new AppError('not_found', `Unknown tenancy preset "${name}"; known: ${PRESET_NAMES.join(', ')}.`);
  return preset;
}
