import { z } from 'zod';
import { openApiOutputSchema, type SchemaObject } from './api-zod.js';

/**
 * The named schemas of what the API answers, by name: `components.schemas` of the OpenAPI
 * document, so the web app's generated types name them (`components['schemas']['Team']`).
 * Filled as the controllers' decorators run, before any document is built.
 */
const registered = new Map<string, SchemaObject>();

/** A response schema under `name`; a second, different schema under the same name is a bug. */
export function responseSchema(name: string, schema: z.ZodType): { $ref: string } {
  const json = openApiOutputSchema(schema);
  const known = registered.get(name);
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(json)) {
    throw new Error(`two different response schemas are named ${name}`);
  }
  registered.set(name, json);
  return { $ref: `#/components/schemas/${name}` };
}

/** Every named response schema, sorted by name so the document is the same on every build. */
export function responseSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries([...registered].sort(([a], [b]) => a.localeCompare(b)));
}

/** A type with readonly and mutable arrays and fields alike, to compare shapes. */
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<T[K]> }
    : T;
type Same<A, B> = [Plain<A>] extends [Plain<B>]
  ? [Plain<B>] extends [Plain<A>]
    ? true
    : false
  : false;

/**
 * The schema documenting `View`, refused by the compiler unless its output is exactly `View`'s
 * shape: the document cannot drift from what the handlers return.
 */
export function documents<View>() {
  return <Schema extends z.ZodType>(
    schema: Schema & (Same<z.output<Schema>, View> extends true ? unknown : never),
  ): Schema => schema;
}

/** `{ $ref }` to the named schema of an answer, for `@ApiOkResponse({ schema })`. */
export const named = responseSchema;

/** An answer that is an array of the named schema. */
export function arrayOf(
  name: string,
  schema: z.ZodType,
): { type: 'array'; items: { $ref: string } } {
  return { type: 'array', items: responseSchema(name, schema) };
}
