import { createContext } from 'react';

/**
 * What a tree inside a PlanViewport may ask of it: keep a node where it is on screen while the
 * layout changes under it (opening a partition group re-centres its parent over 200 children).
 */
export interface PlanViewportAnchor {
  /** Notes where the node with this id is on screen now. */
  remember(nodeId: string): void;
  /** After the new layout is in the page: moves the drawing so the remembered node is back there. */
  restore(): void;
}

export const PlanViewportContext = createContext<PlanViewportAnchor | null>(null);
