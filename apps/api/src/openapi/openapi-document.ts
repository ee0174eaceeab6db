import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { responseSchemas } from '../common/validation/api-response.js';
import { APP_VERSION } from '../version.js';

/** The OpenAPI document of every controller of `app` (served at /api/openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Podium API')
      .setDescription('Sales contests whose prizes pay for themselves, with live leaderboards.')
      .setVersion(APP_VERSION)
      .addBearerAuth()
      .build(),
  );
  // The answers' schemas, which @nestjs/swagger only knows as references (api-response.ts).
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...responseSchemas() },
  };
  return document;
}
