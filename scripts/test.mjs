// `node scripts/test.mjs PROJECTS [jest arguments]`, behind `npm test` and its kin: rebuilds what
// is stale (dist/ of the library and the API, the web app), then runs jest on the comma-separated
// projects. The jest arguments, such as a spec's path, go before --selectProjects: jest reads
// every word after it as a project name, so `npm test -- tests/e2e/x.spec.ts` would otherwise
// run every spec.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStale, ensureDependencies } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [projects, ...jestArgs] = process.argv.slice(2);
if (!projects) {
  process.stderr.write('usage: node scripts/test.mjs PROJECT[,PROJECT…] [jest arguments]\n');
  process.exit(2);
}

ensureDependencies();
buildStale();
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    path.join(root, 'node_modules/jest/bin/jest.js'),
    ...jestArgs,
    '--selectProjects',
    ...projects.split(','),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(jest.status ?? 1);
