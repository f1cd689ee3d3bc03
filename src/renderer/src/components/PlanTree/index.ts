export { PlanTree, type PlanTreeProps } from './PlanTree';
