import fs from 'node:fs/promises';

export default async function globalTeardown() {
  const embedded = globalThis.__podiumTestServer;
  if (!embedded) return;
  await embedded.server.stop();
  await fs.rm(embedded.dataDir, { recursive: true, force: true });
}
