// Public API of @kairos/worker, for code outside this app (the testing workspace, benches).
export { createKairosWorker, loadDefinitionsFromDir } from './worker';
export type { KairosWorkerOptions } from './worker';
export type { LoadedDefinitions, ProfileSource, RawTrigger, RawPolicy } from './activities';
export { createBroadcastActivities } from './activities/broadcast.activities';
export { createJourneySignaller } from './broadcasts/journey-signaller';
export { BROADCAST_WORKFLOW_PATH } from './broadcasts/broadcast-workflow-path';
