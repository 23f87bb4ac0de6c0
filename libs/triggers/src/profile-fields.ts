// What a trigger may read on `profile.*`: derived from the profile schema of libs/events, so a
// field added there is readable here without a second list to keep in step.
import { CustomerProfileSchema } from '@kairos/events';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** The JSON type a profile field holds; `open` is `attributes`, whose content the schema leaves free. */
export type ProfileFieldType = 'string' | 'boolean' | 'number' | 'array' | 'object' | 'open';

function typeOf(schema: z.ZodType): ProfileFieldType {
  const t = schema.def.type;
  if (t === 'string' || t === 'boolean' || t === 'number' || t === 'array' || t === 'object') return t;
  return 'open';
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema.def.type === 'optional' ? ((schema as z.ZodOptional).unwrap() as z.ZodType) : schema;
}

function collect(shape: Record<string, z.ZodType>, prefix: string, out: Map<string, ProfileFieldType>): void {
  for (const [key, value] of Object.entries(shape)) {
    const inner = unwrap(value);
    const path = `${prefix}.${key}`;
    out.set(path, typeOf(inner));
    if (inner.def.type === 'object') collect((inner as z.ZodObject).shape, path, out);
  }
}

function buildFields(): Map<string, ProfileFieldType> {
  // The stored profile a journey reads (customers-read.repository.ts) carries the body of
  // PUT /v1/customers plus the row's id and its ISO-8601 time stamps.
  const out = new Map<string, ProfileFieldType>([['profile.customerId', 'string']]);
  collect(CustomerProfileSchema.shape, 'profile', out);
  out.set('profile.createdAt', 'string');
  out.set('profile.updatedAt', 'string');
  return out;
}

/** Every readable `profile.*` path (nested objects included) with its type. */
export const PROFILE_FIELDS: ReadonlyMap<string, ProfileFieldType> = buildFields();

/** The type of a `profile.*` path; `open` under `profile.attributes`; undefined when the profile has no such field. */
export function profileFieldType(path: string): ProfileFieldType | undefined {
  if (path.startsWith('profile.attributes.')) return 'open';
  return PROFILE_FIELDS.get(path);
}

/** The sentence refusing an unknown `profile.*` path: the fields that exist and the nearest one. */
export function unknownProfileFieldMessage(path: string): string {
  const known = [...PROFILE_FIELDS.keys()];
  const rest = path.slice('profile.'.length);
  const near = closest(path, known);
  const guesses = [`profile.attributes.${rest}`];
  // A near miss (a typo of a real field) is the likelier intent; two edits still reads as a typo.
  if (distance(path, near) <= 2) guesses.unshift(near);
  return `"${path}" is not a field of the customer profile; did you mean ${guesses.map((g) => `"${g}"`).join(' or ')}? The profile has ${known.join(', ')}, and custom data is read under "profile.attributes.<name>"`;
}
