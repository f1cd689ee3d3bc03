// The tenant browser's public face: its screens and navigation, the tenant list, the crumbs the pages
// below a tenant show, and the shape of a record browser placed in a tenant's page.
export { type TenantsSlice, type TenantListState, type StoreColumn } from './slice';
export { tenantScreens, navigation } from './screens';
export { TenantBrowser } from './TenantBrowser';
export { TenantCrumbs } from './TenantPage';
export { type TenantAction, type TenantInspector, type TenantTab } from './inspector';
