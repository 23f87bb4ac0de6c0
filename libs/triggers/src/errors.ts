/** Machine-readable codes of every error the trigger library raises. */
export type TriggerErrorCode =
  | 'INVALID_DURATION'
  | 'INVALID_TRIGGER_SET'
  | 'INVALID_ENGINE_CONFIG'
  | 'STATE_BUDGET_EXCEEDED'
  | 'INVALID_STATE';

/**
 * An error with a stable `code` and a message a user can act on. `details` lists every
 * offending field when several were found at once (JSON path + sentence).
 */
export class TriggerError extends Error {
  constructor(
    readonly code: TriggerErrorCode,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'TriggerError';
  }
}
