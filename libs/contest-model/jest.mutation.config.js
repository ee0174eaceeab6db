// The library's specs as the mutation run sees them (see README, "Mutation testing"). Same
// transform as the root jest.config.js, but self-contained: Stryker copies this folder into a
// sandbox, where the root config is out of reach. Out of it: the statistical simulation specs,
// the CLI specs (which run the built dist/, not the mutated source) and the `*.scale.spec.ts`
// (the same checks as their neighbours at full size), which would only slow every mutant down.
//
// Unlike the root config, @swc/jest compiles to CommonJS and jest runs without
// --experimental-vm-modules: Stryker runs the related specs once per mutant, and loading them as
// CommonJS takes less time than linking them as ES modules (README, "Mutation testing"). The code
// does not tell the two apart: its imports are static, and swc turns `import.meta.url` into the
// file's URL.
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
  // The sources import each other with the `.js` suffix of the compiled files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, keepClassNames: true, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  testEnvironment: 'node',
  testTimeout: 60_000,
};
