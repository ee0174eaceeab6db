// Mutation testing of the folders whose arithmetic decides who wins what: funding, scoring,
// ranking, standings. Run it with `npm run test:mutation` from the repository root, which prints
// the score per folder (README, "Mutation testing").

// Read by test-support/property-runs.ts in the test runner processes, which inherit it.
process.env.PODIUM_MUTATION_RUN = '1';

export const mutatedFolders = ['funding', 'scoring', 'ranking', 'standings'];
// scripts/mutation.mjs names a subset (`npm run test:mutation -- ranking`); each subset keeps its
// own reports and incremental file, so runs of different folders do not undo each other.
const chosen = (process.env.PODIUM_MUTATE_FOLDERS ?? '').split(',').filter(Boolean);
const folders = chosen.length > 0 ? chosen : mutatedFolders;
export const reportName = folders.join('+');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // findRelatedTests (the default) plus per-test coverage: a mutant runs only the spec files that
  // import its source file, and in them only the tests that reached the mutated code.
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // A mutant times out after 1.5 × its tests' time in the initial run + timeoutMS. The default
  // 5 s is too short on a loaded machine, where a run that fails normally then counts as a
  // timeout (detected, but for no reason of its own). Endless loops in the mutated code still end
  // at once: Stryker stops a run that executes 100 times the mutated code the initial run did.
  timeoutMS: 30_000,
  mutate: [...folders.map((folder) => `src/${folder}/**/*.ts`), '!src/**/*.spec.ts'],
  // The machine running it is usually shared; two test processes keep it responsive.
  concurrency: 2,
  // A rerun after new tests tests only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${reportName}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports'],
  thresholds: { high: 90, low: 80, break: null },
  cleanTempDir: true,
};
