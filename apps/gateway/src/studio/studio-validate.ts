/**
 * /studio/validate.js: validation as you type. The trigger JSON Schema is checked in the browser
 * on every edit (@cfworker/json-schema, draft 2020-12); the full rules of docs/triggers.md §2.7
 * come from POST /v1/triggers/validate a moment after typing stops.
 */
export const STUDIO_VALIDATE_JS = `import { Validator } from '/studio/vendor/json-schema/index.js';

// Keywords that only say "something below failed": the errors below them say what.
var CONTAINERS = ['properties', 'items', 'prefixItems', 'oneOf', 'anyOf', 'allOf', '$ref', 'false'];

/** Loads the trigger schema once and returns a validator over it. */
export function loadSchemaValidator() {
  return fetch('/studio/trigger.schema.json').then(function (res) { return res.json(); }).then(function (schema) {
    return new Validator(schema, '2020-12', false);
  });
}

function pointerToPath(location) {
  return location.replace(/^#\\/?/, '').split('/').filter(Boolean).map(function (p) { return /^\\d+$/.test(p) ? '[' + p + ']' : p; })
    .join('.').replace(/\\.\\[/g, '[');
}

/**
 * The schema errors a person can act on. A union of pattern kinds fails in every branch; the
 * branches whose discriminator ("kind", "op", "type") does not match are noise and are dropped,
 * then one message per place is kept.
 */
export function schemaProblems(validator, value) {
  var result = validator.validate(value);
  if (result.valid) return [];
  var wrongBranches = result.errors
    .filter(function (e) { return (e.keyword === 'const' || e.keyword === 'enum') && /\\/(kind|op|type)$/.test(e.instanceLocation); })
    .map(function (e) { return e.keywordLocation.replace(/\\/properties\\/(kind|op|type)\\/(const|enum)$/, '/'); });
  var own = result.errors.filter(function (e) {
    return !wrongBranches.some(function (p) { return e.keywordLocation.indexOf(p) === 0; }) && CONTAINERS.indexOf(e.keyword) < 0;
  });
  if (own.length === 0) {
    // Every branch was the wrong one: the discriminator itself is what to fix.
    own = result.errors.filter(function (e) { return /\\/(kind|op|type)$/.test(e.instanceLocation); }).slice(0, 1);
    if (own.length === 0) own = result.errors.slice(-1);
  }
  var seen = {};
  return own.filter(function (e) { if (seen[e.instanceLocation]) return false; seen[e.instanceLocation] = true; return true; })
    .slice(0, 8)
    .map(function (e) { return { path: pointerToPath(e.instanceLocation), message: e.error }; });
}
`;
