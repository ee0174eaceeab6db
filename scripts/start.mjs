// `npm start`: install and build what is missing, then run the API (which serves the web app)
// in this very process, so signals reach it directly.
import { buildStale, ensureDependencies } from './build.mjs';

ensureDependencies();
buildStale();
await import('../apps/api/dist/main.js');
