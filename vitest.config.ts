import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Hooks that run a whole tool over the fixtures (oxlint's beforeAll) took over vitest's 10 s
    // default on a loaded two-core machine; they get the tests' own limit.
    hookTimeout: 60_000,
    pool: 'forks',
    // One module registry per worker, not per file: importing TypeScript, ESLint and the rules again
    // for each of the suite's files was a third of its time. Tests that need a module's fresh state
    // (a grammar not loaded yet) ask for it with vi.resetModules().
    isolate: false,
    // At least two workers: vitest's default leaves one core idle, which on a two-core machine is half.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
