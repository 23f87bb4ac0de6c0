// Typed ESLint flat config. The workflow sandbox rule keeps Node, pg and Nest out of workflow code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Workflow files are sandbox code: these packages, and relative imports (checked below). */
const SANDBOX_PACKAGES = {
  regex: '^(?!@temporalio/workflow$|@kairos/contracts$|@kairos/triggers$|\\.{1,2}/).*',
  message:
    'Workflow files are sandbox code: import only @temporalio/workflow, @kairos/contracts, @kairos/triggers, local workflow files, or type-only activity imports.',
  allowTypeImports: true,
};
/** A relative import climbing out of apps/worker/src/workflows from a file at that depth. */
const leavesWorkflows = (regex) => ({
  regex,
  message:
    'Relative imports may not leave apps/worker/src/workflows: import Node code (activities, delivery, policy) as `import type` only.',
  allowTypeImports: true,
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.kairos/**',
      'coverage/**',
      '*.config.js',
      '*.config.mjs',
      'scripts/register.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Async signatures are kept for interfaces (activities, repositories) even without an await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Use named re-exports, not `export *`.' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // House style: no function over ~80 lines. Production code only; tests may run long.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts', 'scripts/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e.ts',
      '**/*.chaos.ts',
      '**/*.test.ts',
      '**/test/**',
      // Frozen v1 workflows: recorded histories must replay, so this code is never restructured.
      'apps/worker/src/workflows/v1/**',
    ],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // Test kits stay out of production: only specs, test/, scripts and the kit itself use them.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/testing/**', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@kairos/testing(/.*)?$|(^|/)libs/testing(/|$)',
              message: 'Production code must not import the test kits of @kairos/testing.',
            },
          ],
        },
      ],
    },
  },
  {
    // Later than the block above on purpose: workflow files get this stricter list instead.
    files: ['apps/worker/src/workflows/**/*.ts', 'libs/testing/src/**/*.workflow.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SANDBOX_PACKAGES] }] },
  },
  // Relative imports stay inside apps/worker/src/workflows: the activities, delivery and policy
  // folders beside it are Node code, reachable from a workflow only as `import type`.
  {
    files: ['apps/worker/src/workflows/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [SANDBOX_PACKAGES, leavesWorkflows('^\\.\\./')] }],
    },
  },
  {
    files: ['apps/worker/src/workflows/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [SANDBOX_PACKAGES, leavesWorkflows('^\\.\\./\\.\\./')] },
      ],
    },
  },
);
