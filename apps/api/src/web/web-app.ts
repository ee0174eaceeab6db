import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built web app at `/`: hashed assets cached for a year, `index.html` revalidated,
 * and every other GET outside `/api` answered with `index.html` so client routes such as
 * `/tv/<token>` survive a reload.
 */
export async function serveWebApp(fastify: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`the web app is not built: ${index} is missing (run npm run build)`);
  }
  // Loaded on demand: @fastify/static requires an ES module, which Node 20 allows but jest's
  // module loader does not, and API tests run without the web app.
  const { default: fastifyStatic } = await import('@fastify/static');
  await fastify.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (res, file) => {
      const immutable = file.startsWith(path.join(webDir, 'assets') + path.sep);
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  fastify.get('/*', (request, reply) => {
    if (request.url === '/api' || request.url.startsWith('/api/')) {
      return reply.status(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: `Cannot GET ${request.url.split('?')[0]}`,
      });
    }
    // A missing file (an asset of an older build, a typo) is a 404: answering index.html would
    // hand a browser HTML where it expects a script or an image.
    if (/\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '')) {
      return reply
        .status(404)
        .send({ statusCode: 404, error: 'Not Found', message: 'no such file' });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
