// The jobs feature's public face: the panel the shell places.
export { JobsPanel } from './JobsPanel';
