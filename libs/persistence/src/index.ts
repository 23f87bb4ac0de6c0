export { createPool } from './pool';
export { runMigrations, MIGRATIONS_DIR } from './migrate';
export { findFreePort, isPortOpen } from './free-port';
export { JourneyEventsRepository } from './journey-events.repository';
export type { JourneyEventRow } from './journey-events.repository';
export { ApiKeysRepository, API_KEY_SCOPES } from './api-keys.repository';
export type { ApiKeyRecord, ApiKeyScope } from './api-keys.repository';
