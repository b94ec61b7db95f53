import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The console's import boundaries (docs/ARCHITECTURE.md): a feature imports the shared
// `src/components/` and `src/lib/` and its own files, never another feature; `components/` and
// `lib/` import no feature. Composing features is for `routes.tsx`, and for the pages listed in
// BOUNDARY_EXCEPTIONS.
const FEATURES = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Each exception: the file, and the modules of other features it may import (a path under
// `@/features/`; one ending in `/` allows the folder).
const BOUNDARY_EXCEPTIONS = [
  // The Studio and a job's page show a job's posts: both compose the variant workspace (the
  // routes hand them the scheduler's buttons for its cards).
  ...['src/features/studio/StudioPage.tsx', 'src/features/jobs/JobDetailPage.tsx'].map((file) => ({
    file,
    allowed: ['variants/'],
  })),
];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative path that climbs into `folders`: `../scheduler/…`, `../../features/…`. */
const climbingInto = (folders) => ({
  regex: `^(\\.\\./)+(${folders.map(escapeRegex).join('|')})(/|$)`,
  message: 'Import across folders through `@/…`, so the import boundaries see it.',
});

/** `no-restricted-imports` for a feature's files: its own modules, and `allowed` besides. */
function featureBoundary(feature, allowed = []) {
  const permitted = [`${feature}/`, ...allowed]
    .map((path) => (path.endsWith('/') ? escapeRegex(path) : `${escapeRegex(path)}$`))
    .join('|');
  return [
    'error',
    {
      patterns: [
        {
          regex: `^@/features/(?!${permitted})`,
          message:
            'A feature imports `@/components` and `@/lib`, not another feature (see the import rule in docs/ARCHITECTURE.md).',
        },
        climbingInto(['features', ...FEATURES]),
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'src/lib/api/schema.d.ts',
      'playwright-report',
      'test-results',
    ],
  },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'react-refresh/only-export-components': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...FEATURES.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': featureBoundary(feature) },
  })),
  ...BOUNDARY_EXCEPTIONS.map(({ file, allowed }) => ({
    files: [file],
    rules: { 'no-restricted-imports': featureBoundary(file.split('/')[2], allowed) },
  })),
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@/features/',
              message: 'Shared components and lib code import no feature.',
            },
            climbingInto(['features']),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.{js,ts}', 'e2e/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
);
