export { PlanTree, type PlanTreeProps } from './PlanTree';
export { PlanViewport, type PlanViewportProps } from './PlanViewport';
