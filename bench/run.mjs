// `npm run bench [name…]`: each benchmark prints one JSON line with its baseline measured in the
// same run. Figures and what they mean: bench/README.md.
import { fanout } from './fanout.mjs';
import { httpOverhead } from './http-overhead.mjs';
import { memory } from './memory.mjs';
import { ingest, ingestSingle } from './ingest.mjs';
import { forecastBench, simulateBench, simulateWorkersBench } from './simulate.mjs';
import { standingsUpdate } from './standings-update.mjs';
import { report } from './support.mjs';
import { tvFirstRender, webBundleTv } from './tv.mjs';

const benches = {
  ingest,
  'ingest-single': ingestSingle,
  'http-overhead': httpOverhead,
  simulate: simulateBench,
  'simulate-workers': simulateWorkersBench,
  forecast: forecastBench,
  fanout,
  'standings-update': standingsUpdate,
  memory,
  'tv-first-render': tvFirstRender,
  'web-bundle-tv': webBundleTv,
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark: ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}\n`,
  );
  process.exit(2);
}
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  report(await bench());
}
