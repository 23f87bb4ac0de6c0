// Loaded once per worker thread before any journey (bundlerOptions.preloadModules): the trigger
// library (zod included) and the definitions registry are then shared by every journey of the
// thread instead of evaluated anew for each one, and each registered version is compiled into a
// matcher once. The SDK freezes shared modules after this runs, so nothing here keeps
// per-journey state, and what the journeys call later must not make zod build anything lazily:
// the default matcher configuration and each version's are resolved (cached) now.
import { createEngine } from '@kairos/triggers';
import { registeredDefinitionSets } from './definitions-registry';

createEngine([]);
for (const set of registeredDefinitionSets()) createEngine(set.triggers, set.engineConfig);
