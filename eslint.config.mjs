// Lint rules: type-aware typescript-eslint everywhere; workflow code may not touch Node built-ins
// because it runs in Temporal's deterministic sandbox. In an object's folder (objects/<name>/) the file name
// says which code it is: `procedure.ts` is workflow code and `definition.ts` pure, so both are held to the
// sandbox, and neither imports the folder's activity or emulator code but as types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'bin/**', 'eslint.config.mjs', '.state/**', '.cache/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test() and describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // The faithfulness tests drive the untyped official client and read its untyped bodies.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'objects/*/procedure.ts', 'objects/*/definition.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code runs in the Temporal sandbox: no Node built-ins.',
          })),
        },
      ],
    },
  },
  {
    files: ['objects/*/procedure.ts', 'objects/*/definition.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code runs in the Temporal sandbox: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['./activities', './emulator*', '../*/activities', '../*/emulator*', '../../activities/*'],
              allowTypeImports: true,
              message: "An object's procedure and definition import its activity and emulator code as types only.",
            },
          ],
        },
      ],
    },
  },
);
