import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForOk(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One JSON line per figure, as DESIGN §10 says: value, unit, baseline and their ratio. A baseline
 * that could not be measured here (a service not configured) is null, with a `note` saying why.
 */
export function report({ bench, value, unit, baseline, note }) {
  const round = (x) => Math.round(x * 100) / 100;
  const measured = typeof baseline === 'number' && baseline > 0;
  process.stdout.write(
    `${JSON.stringify({
      bench,
      value: round(value),
      unit,
      baseline: measured ? round(baseline) : null,
      ratio: measured ? round(value / baseline) : null,
      ...(note ? { note } : {}),
    })}\n`,
  );
}
