/** The tenancy presets a workspace can name; the preset decides how tenants are found in each store. */
export const TENANCY_PRESETS = [
  { value: 'murima2025', label: 'Murima2025', description: 'PostgreSQL schema per tenant, MongoDB, Redis and Elasticsearch' },
  { value: 'client-management', label: 'Client Management System', description: 'MongoDB customer, shared and admin databases' },
] as const;

export function presetLabel(value: string): string {
  return TENANCY_PRESETS.find((preset) => preset.value === value)?.label ?? value;
}
