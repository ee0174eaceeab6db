// `npm run test:browser`: every *.test.mjs here under node's test runner, one file at a time
// (each starts the app and a Chromium of its own).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const files = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.test.mjs'))
  .map((name) => path.join(dir, name));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
