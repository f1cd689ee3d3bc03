import type { TenancyPreset } from '../preset';
import { clientManagementMongo } from './mongo';

export const clientManagement: TenancyPreset = {
  name: 'client-management',
  title: 'Client Management System',
  seed: '000_0783ee92823de230.txt',
  tenantId: {
    pattern: '^[0-9a-f]{24}$',
    example: '652f1c2e9b1d4a0012ab34cd',
    description: 'a MongoDB ObjectId in hex (organizations._id)',
  },
  layout: {
    mongo: {
      mode: 'field',
      field: 'tenantId',
      fieldType: 'objectId',
      databases: { customer: '{prefix}_customer_{env}', shared: '{prefix}_shared_{env}', admin: '{prefix}_admin_{env}' },
      registry: { database: 'customer', collection: 'organizations', idField: '_id', nameField: 'name' },
    },
  },
  blueprint: { mongo: clientManagementMongo },
};
