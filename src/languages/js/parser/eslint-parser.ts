/** The parser ESLint plugin mode sets for TypeScript files (kept here: src/languages/js/parser owns parser imports). */
export { default as typescriptEslintParser } from '@typescript-eslint/parser';
