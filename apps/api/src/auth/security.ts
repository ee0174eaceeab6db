import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config.js';

/**
 * The helmet options: a CSP that admits only this origin — the built Svelte app's scripts, its
 * styles (Svelte transitions insert style elements, hence 'unsafe-inline' for styles only), images
 * including uploaded prize photos and data URLs, and socket.io over the same origin — no framing,
 * no referrer leaking a `/tv/<token>` URL.
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // No upgrade-insecure-requests: an office TV on plain http://podium.lan must still load.
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  // Only meaningful behind TLS, where browsers honour it; harmless on plain HTTP.
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
} as const;

type HelmetMiddleware = (
  request: unknown,
  response: { setHeader(name: string, value: string): void; removeHeader(name: string): void },
  next: (error?: unknown) => void,
) => void;

/**
 * The headers helmet sets with {@link HELMET_OPTIONS}, computed once. They depend on nothing in
 * the request, and `@fastify/helmet` rebuilds helmet's whole middleware on every request (about
 * half the cost of a request without database work), so we run helmet once — the same helmet
 * `@fastify/helmet` ships — and replay its headers.
 */
export function securityHeaders(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const fromPlugin = createRequire(require.resolve('@fastify/helmet'));
  const loaded = fromPlugin('helmet') as HelmetMiddleware & {
    default?: (options: object) => HelmetMiddleware;
  };
  const helmet = (loaded.default ?? loaded) as unknown as (options: object) => HelmetMiddleware;
  const headers = new Map<string, string>();
  helmet(HELMET_OPTIONS)(
    {},
    {
      setHeader: (name, value) => void headers.set(name.toLowerCase(), String(value)),
      removeHeader: (name) => void headers.delete(name.toLowerCase()),
    },
    (error) => {
      if (error) throw error instanceof Error ? error : new Error(String(error));
    },
  );
  if (!headers.has('content-security-policy')) throw new Error('helmet set no security headers');
  return Object.fromEntries(headers);
}

/** Security headers on every answer (API, web app, 404s and errors), set before any route runs. */
export async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

/** The CORS options when `PODIUM_CORS_ORIGINS` lists origins; null keeps the API same-origin. */
export function corsOptions(config: AppConfig): {
  origin: string[];
  methods: string[];
  allowedHeaders: string[];
  credentials: false;
  maxAge: number;
} | null {
  const origins = config.corsOrigins ?? [];
  if (origins.length === 0) return null;
  return {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    // Bearer tokens, not cookies: nothing for a browser to attach on its own.
    credentials: false,
    maxAge: 600,
  };
}
