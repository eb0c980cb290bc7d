// Lint rules that keep the layers honest (run by `npm run lint`, inside `npm test`):
// no import cycles, no `vscode` outside the VS Code edge, TypeScript's recommended checks.
// Formatting and line length (160) are prettier's (.prettierrc.json); unused exports are knip's.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const VSCODE_ONLY_IN_EXTENSION = {
  paths: [{ name: 'vscode', message: 'Only src/extension/ (and test/vscode, test/e2e) may import vscode: keep logic in plain modules.' }],
};

const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'require',
    'module',
    '__dirname',
    '__filename',
    'URL',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'fetch',
    'AbortController',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'bench/.data/**', 'test-results/**', 'media/**', 'demo/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.js', '.mjs'], 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.json'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Everything under src/ except the VS Code edge runs without the vscode module.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/extension/**'],
    rules: { 'no-restricted-imports': ['error', VSCODE_ONLY_IN_EXTENSION] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['test/vscode/**', 'test/e2e/**'],
    rules: { 'no-restricted-imports': ['error', VSCODE_ONLY_IN_EXTENSION] },
  },
  // Tests and benchmarks read recorded JSON answers of every shape.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
