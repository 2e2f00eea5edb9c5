// ESLint (flat config): promise handling everywhere, and import boundaries between the folders.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const topLevelBuiltins = [...new Set(builtinModules.map((name) => name.split('/')[0]))];

/** An import path that goes up out of the folder into one of `folders` (e.g. `../activities/post`). */
const intoFolder = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const nodeBuiltins = {
  regex: `^(node:.+|(${topLevelBuiltins.map(escape).join('|')})(/.*)?)$`,
  caseSensitive: true,
  message: 'Node built-ins are not available here: this code must stay free of I/O and the Node runtime.',
};

const devOnlyFolders = {
  regex: intoFolder(['dev', 'test', 'bench']),
  caseSensitive: true,
  message: 'Product code must not depend on development tooling (dev/, test/, bench/).',
};

/** @typescript-eslint/no-restricted-imports with these patterns (one rule per file: later blocks replace earlier ones). */
const restrictImports = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.temporal/', '.sandbox/', 'coverage/'] },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `const { dropped: _dropped, ...kept } = x` is the way to omit a key.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },

  {
    files: ['{domain,integrations,activities,workflows,workers,clients,config}/**/*.ts'],
    rules: restrictImports(devOnlyFolders),
  },
  {
    files: ['workflows/**/*.ts'],
    rules: restrictImports(
      devOnlyFolders,
      { ...nodeBuiltins, message: 'Workflow code runs in the deterministic workflow sandbox: no Node built-ins.' },
      {
        regex: intoFolder(['activities', 'integrations']),
        caseSensitive: true,
        allowTypeImports: true,
        message: 'Workflows call activities through proxyActivities: import only their types (`import type`).',
      },
      {
        group: ['@temporalio/worker', '@temporalio/worker/**', '@temporalio/client', '@temporalio/client/**', '@temporalio/activity', '@temporalio/activity/**'],
        message: 'Not available in the workflow sandbox: workflows use @temporalio/workflow and @temporalio/common.',
      },
    ),
  },
  {
    files: ['domain/**/*.ts'],
    rules: restrictImports(
      devOnlyFolders,
      nodeBuiltins,
      {
        regex: intoFolder(['integrations', 'activities', 'workers', 'clients', 'workflows']),
        caseSensitive: true,
        message: 'The domain is pure business rules: it must not depend on integrations, activities, workers, clients or workflows.',
      },
    ),
  },
);
