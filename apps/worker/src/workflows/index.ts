// The workflows module the worker bundles: one workflow type, every journey version behind it.
export { customerJourneyWorkflow } from './customer-journey.workflow';
