// One linter for the whole repository: ESLint with typescript-eslint (type-aware rules are left
// out to keep `npm test` fast; `tsc --noEmit` already checks types strictly).
//
// The import zones below enforce docs/architecture.md: the pure stages of lib/ import only the
// domain, the configuration and earlier stages; ports only the domain; adapters only ports,
// domain and configuration; nothing in lib/ imports the app around it (sim/, functions/, bin/,
// bench/, test/). Size limits keep lib/ readable: no function over 120 lines, no file over 450
// lines (declarative tables excepted).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** lib/ folders in dependency order: a pure stage may import only earlier ones. */
// `replay` runs the decision core over past observations (fsa replay): after `decide`, before the
// review and report stages it has no use for.
const PURE_STAGES = ['collect', 'window', 'evaluate', 'scale', 'tune', 'decide', 'replay', 'review', 'report'];
/** Everything in lib/ that is not a pure stage, domain or config. */
const IMPURE = ['cycle', 'ports', 'adapters'];
/** The app around lib/: never imported by it. */
const OUTSIDE_LIB = ['sim', 'functions', 'bin', 'bench', 'test', 'cdk', 'scripts'];

/** A `no-restricted-imports` pattern forbidding relative imports into the named top folders. */
function forbid(folders, why) {
  return { regex: `^(\\.\\.?/)+(lib/)?(${folders.join('|')})(/|$)`, message: why };
}

/** Imports a file of lib/<stage>/ (or deeper) may not make. */
function stageZone(stage, index) {
  const later = PURE_STAGES.slice(index + 1);
  return {
    files: [`lib/${stage}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(later.length > 0
              ? [forbid(later, `lib/${stage} is a pure stage: it may import only domain/, config/ and earlier stages (docs/architecture.md)`)]
              : []),
            forbid(IMPURE, `lib/${stage} is pure: no ports, adapters or cycle (docs/architecture.md)`),
            forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)'),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'cdk.out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  // Import zones (docs/architecture.md).
  {
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['config', ...PURE_STAGES, ...IMPURE],
              'lib/domain holds plain types and helpers over them: it imports nothing else of lib/',
            ),
            forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)'),
          ],
        },
      ],
    },
  },
  {
    files: ['lib/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid([...PURE_STAGES, ...IMPURE], 'lib/config imports only lib/domain (docs/architecture.md)'),
            forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)'),
          ],
        },
      ],
    },
  },
  ...PURE_STAGES.map(stageZone),
  {
    files: ['lib/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid([...PURE_STAGES, 'cycle', 'adapters'], 'ports depend only on the domain (docs/architecture.md)'),
            forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)'),
            { regex: '^(undici|@aws-sdk/|@smithy/|@aws-lambda-powertools/|@middy/)', message: 'ports are free of library types (docs/architecture.md)' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid([...PURE_STAGES, 'cycle'], 'adapters import only ports, domain and config (docs/architecture.md)'),
            forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)'),
          ],
        },
      ],
    },
  },
  {
    files: ['lib/cycle/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(OUTSIDE_LIB, 'lib/ never imports the app around it (docs/architecture.md)')] },
      ],
    },
  },
  // Size limits in lib/ (blank and comment lines not counted).
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/config/option-definitions.ts'],
    rules: {
      'max-lines': ['error', { max: 450, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
);
