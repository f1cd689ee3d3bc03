import type { WorkbenchEngine } from '@shared/model/workbench';

/** A tab another screen asks the workbench to open: explain's suggested index, for one tenant, to be run there. */
export interface WorkbenchOpenRequest {
  engine: WorkbenchEngine;
  text: string;
  /** The tab's tenant; without one the tab asks for it. */
  tenantId?: string;
}

/** The workbench alone shows its tabs; with `open` it adds that tab to them, once, and shows it. */
export interface WorkbenchParams {
  open?: WorkbenchOpenRequest;
}
