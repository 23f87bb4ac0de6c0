export { createPool } from './pool';
export { runMigrations, MIGRATIONS_DIR } from './migrate';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedDatabase, EmbeddedOptions } from './embedded-postgres';
export { findFreePort, isPortOpen } from './free-port';
export { JourneyEventsRepository } from './journey-events.repository';
export type { JourneyEventRow } from './journey-events.repository';
export { ApiKeysRepository, API_KEY_SCOPES } from './api-keys.repository';
export type { ApiKeyRecord, ApiKeyScope } from './api-keys.repository';
