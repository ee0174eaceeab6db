// Makes the checkout runnable: installs dependencies when they are missing or older than the
// lock file, then rebuilds whatever is stale (TypeScript incrementally, the web app when any of
// its inputs changed). Only Node built-ins here: this runs before `node_modules` exists.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');

function say(message) {
  if (!quiet) process.stderr.write(`podium: ${message}\n`);
}

function run(command, args, options = {}) {
  // Children write to our stderr, so `npm run -s model …` keeps stdout for its JSON.
  const result = spawnSync(command, args, { cwd: root, stdio: ['inherit', 2, 2], ...options });
  if (result.status !== 0) {
    process.stderr.write(`podium: ${command} ${args.join(' ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Newest modification time of the files under `dir` (skipping node_modules and dist). */
function newest(dir) {
  let latest = mtime(dir);
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return latest;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : mtime(full));
  }
  return latest;
}

export function ensureDependencies() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(installed)) {
    say('installing dependencies (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } else if (
    mtime(lock) > mtime(installed) ||
    mtime(path.join(root, 'package.json')) > mtime(installed)
  ) {
    say('dependencies changed: npm install…');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

export function buildStale() {
  run(process.execPath, [
    path.join(root, 'node_modules/typescript/bin/tsc'),
    '-b',
    'libs/contest-model',
    'libs/contest-model/tsconfig.cli.json',
    'apps/api',
  ]);
  const web = path.join(root, 'apps/web');
  const stamp = path.join(web, 'dist/index.html');
  const inputs = Math.max(
    newest(path.join(web, 'src')),
    newest(path.join(web, 'public')),
    mtime(path.join(web, 'index.html')),
    mtime(path.join(web, 'vite.config.ts')),
    mtime(path.join(web, 'package.json')),
    newest(path.join(root, 'libs/contest-model/dist')),
  );
  if (inputs > mtime(stamp)) {
    say('building the web app…');
    // npm may keep vite inside apps/web/node_modules: resolve it from there.
    const vitePackage = createRequire(path.join(web, 'package.json')).resolve('vite/package.json');
    const vite = path.join(path.dirname(vitePackage), 'bin/vite.js');
    run(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDependencies();
  buildStale();
}
