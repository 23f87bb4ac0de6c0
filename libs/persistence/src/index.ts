export { createPool } from './pool';
export { runMigrations, MIGRATIONS_DIR } from './migrate';
export { findFreePort, isPortOpen } from './free-port';
export { JourneyEventsRepository } from './journey-events.repository';
export type { JourneyEventRow } from './journey-events.repository';
export { ApiKeysRepository, API_KEY_SCOPES } from './api-keys.repository';
export type { ApiKeyRecord, ApiKeyScope } from './api-keys.repository';
export { OutboxRepository } from './outbox.repository';
export { DefinitionVersionsRepository } from './definition-versions.repository';
export type { DefinitionVersionRow } from './definition-versions.repository';
export type { OutboxRow, OutboxState } from './outbox.repository';
export { EscalationsRepository } from './escalations.repository';
export type { EscalationRow } from './escalations.repository';
export { AttributionRepository } from './attribution.repository';
export type { AttributionRow, AttributionKind } from './attribution.repository';
export { CustomersReadRepository } from './customers-read.repository';
export type { CustomerProfileRecord } from './customers-read.repository';
export { CustomersRepository } from './customers.repository';
export type { StoredCustomer } from './customers.repository';
export { EventVolumeRepository } from './event-volume.repository';
export type { EventVolumeRow, EventVolumeStatus } from './event-volume.repository';
export { ResponsesRepository, RESPONSE_TYPES } from './responses.repository';
export type { ResponseRow, ResponseType } from './responses.repository';
export { ReportsRepository } from './reports.repository';
export type {
  AttributionCell,
  AttributionModel,
  CohortCell,
  ConversionGoal,
  ReportRange,
  ResponseCell,
  VolumeCell,
} from './reports.repository';
export { ErasureRepository, customerHash } from './erasure.repository';
export type { ErasedBy, ErasureRecord, ErasureSummary } from './erasure.repository';
export { WorkerHeartbeatsRepository } from './worker-heartbeats.repository';
export type { LiveDefinitions, WorkerHeartbeat } from './worker-heartbeats.repository';
export { JourneyPresenceRepository } from './journey-presence.repository';
export { IdentityLinksRepository } from './identity-links.repository';
export type { LinkOutcome, MergedEventRow } from './identity-links.repository';
export { BroadcastsRepository } from './broadcasts.repository';
export type { BroadcastRow, BroadcastStep, NewBroadcast } from './broadcasts.repository';
export { BroadcastAudienceRepository } from './broadcasts-audience.repository';
export type { AudienceCondition, AudienceMember, AudiencePage } from './broadcasts-audience.repository';
export { BacktestsRepository } from './backtests.repository';
export type { BacktestRow, BacktestRowState, BacktestProgressRow } from './backtests.repository';
export { BacktestEventsRepository } from './backtests-events.repository';
export type { StoredEvent, StoredCustomerEvents, StoredEventsQuery } from './backtests-events.repository';
export { ModelVersionsRepository } from './models.repository';
export type { ModelVersionRow, ModelVersionStatus } from './models.repository';
export { ModelScoresRepository } from './model-scores.repository';
export type { StoredScore } from './model-scores.repository';
export { ModelEventsRepository } from './model-events.repository';
export type { ModelEventRow } from './model-events.repository';
