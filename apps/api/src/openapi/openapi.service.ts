import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/** Holds the OpenAPI document built from every controller once the app is initialised. */
@Injectable()
export class OpenApiService {
  private current: OpenAPIObject | null = null;

  set document(document: OpenAPIObject) {
    this.current = document;
  }

  get document(): OpenAPIObject {
    if (this.current === null) throw new Error('the OpenAPI document is built after init');
    return this.current;
  }
}
