// The library's specs as the mutation run sees them (see README, "Mutation testing"). Same
// transform as the root jest.config.js, but self-contained: Stryker copies this folder into a
// sandbox, where the root config is out of reach. Out of it: the statistical simulation specs,
// the CLI specs (which run the built dist/, not the mutated source) and the `*.scale.spec.ts`
// (the same checks as their neighbours at full size), which would only slow every mutant down.
/** @type {import('jest').Config} */
export default {
  rootDir: '.',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '/src/simulation/',
    '/src/cli/',
    '\\.scale\\.spec\\.ts$',
  ],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, keepClassNames: true, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testEnvironment: 'node',
  testTimeout: 60_000,
};
