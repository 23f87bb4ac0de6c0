/** The broadcast workflow alone, for a worker that runs only broadcasts (the broadcast bench). */
export const BROADCAST_WORKFLOW_PATH = require.resolve('../workflows/broadcast.workflow');
