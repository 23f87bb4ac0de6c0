// Node-only entry point (`@kairos/triggers/node`): file loading for the gateway, the worker's
// activities side and the command line. Not sandbox-safe; never import it from a workflow.
export { loadTriggerDir, loadTriggerFile, loadTriggers, parseTriggerFiles } from './load-dir';
export type { LoadError, TriggerDir } from './load-dir';
export { parseEventsJsonl, parseTime, runReplay, runCheck } from './cli-commands';
export type { ReplayLine } from './cli-commands';
export { replayCustomer } from './replay';
export type { EmittedOutput } from './replay';
export { computeArmings } from './calendar/arming';
export { nextInstant, zoneOf, readDateValue, wallToInstant } from './calendar/instants';
export type { NextInstant } from './calendar/instants';
