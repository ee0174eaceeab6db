import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { ApiBodyOptions } from '@nestjs/swagger';
import { z } from 'zod';

/** @nestjs/swagger does not export its SchemaObject type from the package root. */
export type SchemaObject = NonNullable<Extract<ApiBodyOptions, { schema?: unknown }>['schema']>;

/** The OpenAPI schema of what a client sends (zod's input side: defaults are optional). */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json as SchemaObject;
}

/**
 * The OpenAPI schema of what the API answers (zod's output side). Only `$defs` that zod emits
 * for recursive shapes would need moving; the answers documented here have none.
 */
export function openApiOutputSchema(schema: z.ZodType): SchemaObject {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json as SchemaObject;
}

/** Documents a request body with its zod schema. */
export function ApiZodBody(schema: z.ZodType, description?: string): MethodDecorator {
  return applyDecorators(ApiBody({ schema: openApiSchema(schema), description }));
}

/** Documents query parameters from a zod object schema. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const decorators = Object.entries(schema.shape).map(([name, field]) =>
    ApiQuery({
      name,
      required: !(field as z.ZodType).safeParse(undefined).success,
      schema: openApiSchema(field as z.ZodType),
    }),
  );
  return applyDecorators(...decorators);
}
