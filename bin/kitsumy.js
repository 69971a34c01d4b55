#!/usr/bin/env node
// The engine is TypeScript run by Node's own type stripping (on by default from Node 22.18 and 23.6).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

if (!process.features.typescript) {
  const result = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
// A closed pipe (`kitsumy list | head`) is the reader saying it has enough, not an error.
process.stdout.on('error', (err) => { if (err.code === 'EPIPE') process.exit(0); throw err })
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
