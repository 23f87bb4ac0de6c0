// Temporal bundles workflow code from a file path (workflowsPath), so the stub is handed over by
// its resolved path and never imported: it must stay alone in its own module file.
export const JOURNEY_STUB_WORKFLOWS_PATH = require.resolve('./journey-stub.workflow');
