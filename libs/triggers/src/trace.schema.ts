// The trace entry shapes are defined with the journey's trace query in @kairos/contracts.
export {
  TraceEntrySchema,
  TraceKindSchema,
  KillCauseSchema,
  SuppressionReasonSchema,
} from '@kairos/contracts';
export type { TraceEntry, TraceKind, KillCause, SuppressionReason } from '@kairos/contracts';
