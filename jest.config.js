import os from 'node:os';

// Jest runs in native ESM mode (see package.json "test"); @swc/jest strips types and keeps the
// decorator metadata NestJS needs.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  // Only a hang detector. A spec whose work has a known size carries its own limit sized by that
  // work; every other wait ends on its condition. 60 s, jest's usual default, is a guess of the
  // machine's speed: starting an app (migrations, seeding) took longer than that in hooks with
  // both cores busy, and a hook that times out leaves its app running into the next suite.
  testTimeout: 600_000,
  // Each spec file loads the app's modules again in a fresh module context, and some of each
  // stays reachable after the file ends (about 30 MB a file): run in one process, the whole suite
  // grew past the heap limit. A worker whose heap is above this after a file is replaced by a
  // fresh one; setting it also makes jest use a worker on a two-core machine rather than its own
  // process.
  workerIdleMemoryLimit: '1GB',
  // Jest's default is one worker fewer than the cores: one suite at a time on a two-core machine.
  // The suites mostly wait (on PostgreSQL, the stand-in servers' paces, timers), so two at a time
  // take about half the time there; each suite has a database of its own.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  globalSetup: './tests/support/global-setup.js',
  globalTeardown: './tests/support/global-teardown.js',
  projects: [
    {
      ...common,
      displayName: 'model',
      roots: ['<rootDir>/libs/contest-model/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'api',
      roots: ['<rootDir>/apps/api/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/tests/e2e'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      // Fault tests (kill -9, PostgreSQL restarts, mass reconnects, fuzzing): part of `npm test`,
      // and of `npm run test:faults` with the scale-out project.
      ...common,
      displayName: 'faults',
      roots: ['<rootDir>/tests/faults'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/scale-out[^/]*\\.spec\\.ts$'],
    },
    {
      // Two API processes sharing rooms and rate limits through Redis (REDIS_URL, default the
      // local one): only `npm run test:faults`, since a fresh machine running `npm test` has no
      // Redis.
      ...common,
      displayName: 'scale-out',
      roots: ['<rootDir>/tests/faults'],
      testMatch: ['**/scale-out*.spec.ts'],
    },
  ],
};
