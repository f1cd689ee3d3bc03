// The ILM feature's public face: the section service, its job kinds, and its sources for the lifecycle view.
export { createIlmService, type IlmServiceDeps, type IlmStores } from './service';
export { registerIlmJobs } from './register';
export { fleetIlmSource, ilmLaneSource, type IlmLaneStores, type OpenIlmLaneStores } from './lanes';
