import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { APP_VERSION } from '../version.js';

/** The OpenAPI document of every controller of `app` (served at /api/openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Podium API')
      .setDescription('Sales contests whose prizes pay for themselves, with live leaderboards.')
      .setVersion(APP_VERSION)
      .addBearerAuth()
      .build(),
  );
}
