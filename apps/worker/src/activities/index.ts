export { createJourneyActivities } from './journey.activities';
export type { JourneyActivities, JourneyActivityDeps, RecordEventInput } from './journey.activities';
