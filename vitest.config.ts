import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A poll waits for the studio to catch up, it measures nothing: on a loaded 2-core CI machine a page load
    // plus a lazy screen can take longer than vitest's 1 s default.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
})
