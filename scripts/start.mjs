// `npm start`: install and build what is missing, then run the API (which serves the web app)
// in this very process.
import { buildStale, ensureDependencies } from './build.mjs';

ensureDependencies();
buildStale();

// npm runs us through `sh -c`, and a SIGTERM sent to npm stops npm and that shell but is not
// passed on to us. Treat losing our parent as that SIGTERM, so the embedded PostgreSQL is
// stopped instead of being left behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();

await import('../apps/api/dist/main.js');
