import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ACCESS_TABLE, routeKey } from './access-table.js';

export interface RegisteredRoute {
  readonly method: string;
  /** The route template, as the access table keys it: `/api/contests/:id/standings`. */
  readonly url: string;
}

/**
 * Records every route Fastify registers, from an `onRoute` hook added before Nest registers its
 * routes: the complete list, whether or not a route is in the OpenAPI document.
 */
export function recordRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (options) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) routes.push({ method: String(method), url: options.url });
  });
  return routes;
}

/** The API's routes (under `/api`, HEAD folded into GET), for the start-up check and the tests. */
@Injectable()
export class RouteRegistry {
  private readonly logger = new Logger(RouteRegistry.name);
  private current: readonly RegisteredRoute[] = [];

  get routes(): readonly RegisteredRoute[] {
    return this.current;
  }

  /** Keeps the API routes and logs those the access table does not list (they answer 403). */
  record(routes: readonly RegisteredRoute[]): void {
    const api = routes.filter(
      (route) => route.method !== 'HEAD' && (route.url === '/api' || route.url.startsWith('/api/')),
    );
    const seen = new Set<string>();
    this.current = api.filter((route) => {
      const key = routeKey(route.method, route.url);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (const key of seen) {
      if (ACCESS_TABLE[key] === undefined) {
        this.logger.error(`no access-table entry for ${key}: it answers 403 to everyone`);
      }
    }
  }
}
