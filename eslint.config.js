import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './apps/web/svelte.config.js';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'data/',
      'coverage/',
      '.tmp/',
      'tests/browser/screenshots/',
      '**/.stryker-tmp/',
      'libs/contest-model/reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Nest modules are classes that only carry decorators.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,svelte}', 'libs/contest-model/src/**/*.ts'],
    ignores: ['libs/contest-model/src/cli/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    // Every socket emit goes through LiveEmitter.send: typed by the shared event map, and held
    // for a socket whose subscribe has not been answered yet.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/realtime/live-emitter.service.ts', 'apps/api/src/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(emit|to|except)$/]:not([callee.object.type='ThisExpression'])",
          message: 'Send to sockets with LiveEmitter.send, which checks the event map.',
        },
      ],
    },
  },
  {
    // The domain library runs in the browser and in workers: no Node built-ins outside the CLI.
    files: ['libs/contest-model/src/**/*.ts'],
    ignores: ['libs/contest-model/src/cli/**', 'libs/contest-model/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '@nestjs/*', 'typeorm'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded generator.' },
        { object: 'Date', property: 'now', message: 'Pass the time in.' },
      ],
    },
  },
);
