import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config.js';

/**
 * Security headers on every answer (API and web app): a CSP that admits only this origin — the
 * built Svelte app's scripts, its styles (Svelte transitions insert style elements, hence
 * 'unsafe-inline' for styles only), images including uploaded prize photos and data URLs, and
 * socket.io over the same origin — no framing, no referrer leaking a `/tv/<token>` URL.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  // @fastify/helmet is CommonJS: its default export arrives as the module object under jest.
  const { default: helmet } = await import('@fastify/helmet');
  await fastify.register(helmet, {
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
