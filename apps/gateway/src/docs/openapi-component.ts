import { z } from 'zod';

type Json = Record<string, unknown>;

/** Registers a zod schema as a component of the document and returns its `$ref`. */
export type Ref = (name: string, schema: z.ZodType, io?: 'input' | 'output') => Json;

/** zod -> JSON Schema (2020-12, as OpenAPI 3.1 uses), with local $defs hoisted into components. */
export function component(name: string, schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Json;
  delete json.$defs;
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (node && typeof node === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(node as Json)) {
        out[k] =
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? `#/components/schemas/${name}_${v.slice(8)}`
            : rename(v);
      }
      return out;
    }
    return node;
  };
  for (const [def, body] of Object.entries(defs)) components[`${name}_${def}`] = rename(body);
  components[name] = rename(json);
  return { $ref: `#/components/schemas/${name}` };
}
