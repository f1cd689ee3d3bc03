// The tenant browser's public face: the slice for the bound store and the views the shell places.
export { createTenantsSlice, type TenantsSlice, type TenantListState, type StoreColumn } from './slice';
export { TenantBrowser } from './TenantBrowser';
export { TenantPage, TenantCrumbs } from './TenantPage';
export { useCall, type CallState } from './useCall';
export { formatBytes, formatCount, formatShortTime, formatTime, formatAge, formatTtl } from './format';
