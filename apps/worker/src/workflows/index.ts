export { customerJourneyWorkflow, eventSignal, journeyQuery } from './customer-journey.workflow';
