// The backups feature's public face: its screens, and the button a tenant's page places among its actions.
export { navigation, screens } from './screens';
export { BackupTenantButton } from './BackupTenantDialog';
