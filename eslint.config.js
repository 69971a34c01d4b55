import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// The page geometry and lettering the editor shares with the engine, so it draws balloons exactly as the page
// and its exports do. Pure: they run in the renderer too.
const LETTERING = ['pages/balloons', 'pages/fonts', 'pages/font-links', 'pages/framing', 'pages/layouts', 'pages/letter-style', 'pages/lettering', 'pages/placement', 'pages/svg', 'pages/text-fit', 'pages/trim', 'platform/random']
const LETTERING_FILES = LETTERING.map((m) => `src/${m}.ts`)
const SHARED_LETTERING = `(${LETTERING.join('|')})\\.ts$`

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Stripping control characters out of text bound for XML is the point of such patterns.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // The engine runs in Electron's main process, the CLI and tests alike: it must never need Electron.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'src/ never imports electron; the shell passes services in.' }] }],
    },
  },
  {
    files: ['src/contract/**/*.ts', 'src/i18n/**/*.ts', ...LETTERING_FILES],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'crypto'], message: 'contract, i18n and the lettering run in the renderer too: no Node imports.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ regex: `^(\\.\\./)+src/(?!contract/|i18n/|${SHARED_LETTERING})`, message: 'The renderer may import only src/contract, src/i18n and the pure lettering of src/pages.' }] }],
    },
  },
)
