// The workflows module the worker bundles: one workflow type, every journey version behind it.
export { customerJourneyWorkflow } from './customer-journey.workflow';
export { broadcastWorkflow } from './broadcast.workflow';
export { backtestWorkflow } from './backtest.workflow';
export { retrainModelWorkflow, rescoreModelWorkflow } from './models/models.workflow';
