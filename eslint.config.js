// Lint keeps the layers honest (see ../shared/STYLE.md): a forbidden import fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'http',
  'https',
  'net',
  'url',
  'util',
  'events',
  'stream',
  'buffer',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'scripts/fixtures/**',
      'out/**',
      'dist/**',
      'contracts/out/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/screens/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Only the Electron shell touches `electron`; overridden for those files below.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only the Electron shell files (src/main/index.ts, src/main/shell/**) may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The protocol library is pure: it runs in main, renderer, devnet and tests alike.
    files: ['src/plasma/**/*.ts'],
    ignores: ['src/plasma/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src/plasma is pure: no electron.' },
            ...nodeBuiltins
              .filter((n) => !n.includes('*'))
              .map((name) => ({ name, message: 'src/plasma is pure: no Node built-ins.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'src/plasma is pure: no Node built-ins.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/plasma depends on nothing else in the app.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'sessionStorage',
        'fetch',
        'Buffer',
        'process',
        'require',
      ],
    },
  },
  {
    // The renderer reaches main only through the typed IPC contract on window.
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        HTMLElement: 'readonly',
        localStorage: 'readonly',
      },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no electron access.' }],
          patterns: [
            {
              group: ['**/main/**', '**/main', '**/preload/**'],
              message:
                'The renderer imports nothing from src/main or src/preload; use the IPC contract in src/shared.',
            },
            { group: ['node:*'], message: 'The renderer has no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // The shell: the only files allowed to import electron.
    files: ['src/main/index.ts', 'src/main/shell/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
