// Public API of @kairos/worker, for code outside this app (the testing workspace, benches).
export { createKairosWorker, loadDefinitionsFromDir } from './worker';
export type { KairosWorkerOptions } from './worker';
export type { LoadedDefinitions, ProfileSource, RawTrigger, RawPolicy } from './activities';
