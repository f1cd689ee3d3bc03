import type { ComponentType } from 'react';
import type { WorkspaceView } from '@shared/model/workspace';

/** The tabs of a tenant page. */
export type TenantTab = 'cases' | 'clients' | 'redis' | 'drift';

/**
 * A record browser another feature places in the tenant page (cases for Murima2025, clients for
 * Client Management). The tenant page knows the shape, not the features: they are handed in where
 * the screens are assembled.
 */
export interface TenantInspector {
  tab: TenantTab;
  label: string;
  /** Whether this browser belongs to the workspace: its preset, and the store it reads. */
  appliesTo(workspace: WorkspaceView): boolean;
  view: ComponentType<{ workspaceId: string; tenantId: string }>;
}

/**
 * Something another feature offers to do with a tenant (back it up), placed among the tenant page's
 * actions; like the inspectors, handed in where the screens are assembled.
 */
export type TenantAction = ComponentType<{ workspace: WorkspaceView; tenantId: string }>;
