// The tenant browser's public face: its screens and navigation, the crumbs the pages below a tenant
// show, and the shape of a record browser placed in a tenant's page.
export { type TenantsSlice, type TenantListState, type StoreColumn } from './slice';
export { tenantScreens, navigation } from './screens';
export { TenantCrumbs } from './TenantPage';
export { type TenantInspector, type TenantTab } from './inspector';
