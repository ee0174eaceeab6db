// `npm run test:mutation [-- FOLDER…] [-- stryker options]`: mutation testing of the library with
// StrykerJS (stryker.config.mjs), then the mutation score of each folder, failing below 80 %.
// FOLDER is funding, scoring, ranking or standings; none means all four.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const library = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MINIMUM_SCORE = 80;

// Leading words that name folders choose them; the rest (`--concurrency 1`) goes to Stryker.
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('-'));
const folders = firstOption === -1 ? args : args.slice(0, firstOption);
const strykerArgs = firstOption === -1 ? [] : args.slice(firstOption);
process.env.PODIUM_MUTATE_FOLDERS = folders.join(',');
const { mutatedFolders, reportName } = await import('../stryker.config.mjs');
const unknown = folders.filter((folder) => !mutatedFolders.includes(folder));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown folder ${unknown.join(', ')}: one of ${mutatedFolders.join(', ')}\n`,
  );
  process.exit(2);
}

// The package exports no bin path; npm hoists it to the workspace root.
const stryker = path.resolve(library, '../../node_modules/@stryker-mutator/core/bin/stryker.js');
const run = spawnSync(process.execPath, [stryker, 'run', ...strykerArgs], {
  cwd: library,
  stdio: 'inherit',
});
if (run.status !== 0) process.exit(run.status ?? 1);

/** Stryker's mutation score: detected over detected and undetected, the rest left out. */
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const report = JSON.parse(
  fs.readFileSync(path.join(library, 'reports/mutation', `${reportName}.json`), 'utf8'),
);
const byFolder = new Map();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const folder = path.relative('src', file).split(path.sep)[0];
  const tally = byFolder.get(folder) ?? { detected: 0, undetected: 0 };
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) tally.detected += 1;
    if (UNDETECTED.has(mutant.status)) tally.undetected += 1;
  }
  byFolder.set(folder, tally);
}

let failed = false;
process.stdout.write(`\nmutation score per folder (minimum ${MINIMUM_SCORE} %):\n`);
for (const [folder, { detected, undetected }] of [...byFolder].sort()) {
  const score = (100 * detected) / Math.max(1, detected + undetected);
  const low = score < MINIMUM_SCORE;
  failed ||= low;
  process.stdout.write(
    `  ${folder.padEnd(10)} ${score.toFixed(2).padStart(6)} %  ` +
      `(${detected} detected, ${undetected} survived or uncovered)${low ? '  BELOW' : ''}\n`,
  );
}
process.exit(failed ? 1 : 0);
