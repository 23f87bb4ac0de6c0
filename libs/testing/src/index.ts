// Public API of @kairos/testing: kits for tests, benches and scripts; production code never imports it.
export { findFreePort } from '@kairos/persistence';
export { FIXTURE_TRIGGERS_DIR, startTestGateway, type RunningGateway } from './gateway-harness';
export { startGatewayStack, type GatewayStack } from './gateway-stack';
export { startDashboardKit, type DashboardKit } from './dashboard-kit';
export type { TriggerFolder } from './trigger-folder';
export { http, type HttpAnswer } from './http-client';
export { JOURNEY_STUB_WORKFLOWS_PATH } from './journey-stub-path';
export { KIT_POLICY, KIT_TEMPLATES, KIT_TRIGGERS, kitDefinitions } from './journey-kit-definitions';
export { MemoryProfiles } from './memory-profiles';
export { startKitWorker, tempOutbox } from './kit-worker';
export { startDbJourneyWorker, type DbJourneyWorker, type KitTemporalEnv } from './db-journey-worker';
export { Customer } from './journey-customer';
export { loadSyntheticReportHistory } from './synthetic-report-history';
export { planNodes, PlanNodeSchema, type PlanNode } from './query-plan';
export { findChromium, type FoundChromium } from './chromium-finder';
export { launchHeadlessBrowser, type HeadlessBrowser } from './headless-browser';
export { TLS_FIXTURES } from './tls-fixtures';
export { startTlsProxy, type TlsProxy } from './tls-proxy';
