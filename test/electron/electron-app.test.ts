import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { _electron as electron, type ElectronApplication } from 'playwright-core'
import { tempDir } from '../support/temp.ts'

// Where is an Electron binary? An override dist folder, or the one `electron` downloaded on an earlier run.
function findElectron(): { path: string | null; why: string } {
  const pkg = join('node_modules', 'electron')
  const rel = existsSync(join(pkg, 'path.txt')) ? readFileSync(join(pkg, 'path.txt'), 'utf8') : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const path = join(override, rel ?? 'electron')
    return existsSync(path) ? { path, why: '' } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` }
  }
  if (rel && existsSync(join(pkg, 'dist', rel))) return { path: join(pkg, 'dist', rel), why: '' }
  return { path: null, why: 'no Electron binary on this machine (it downloads on first run, and this machine has no internet); set ELECTRON_OVERRIDE_DIST_PATH to run it' }
}

const found = findElectron()
if (!found.path) console.log(`[electron test] skipped: ${found.why}`)

describe.skipIf(!found.path)('the desktop app (Playwright _electron)', () => {
  let app: ElectronApplication | undefined
  afterAll(async () => {
    await app?.close()
  })

  it('launches the built app, creates a comic offline, and quits cleanly', async () => {
    app = await electron.launch({
      executablePath: found.path!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, KITSUMY_HOME: tempDir() },
    })
    const win = await app.firstWindow()
    await win.getByTestId('library-grid').waitFor()
    expect(await win.evaluate(() => typeof (window as unknown as { kitsumy?: unknown }).kitsumy)).toBe('object')
    expect(await win.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')
    await win.getByTestId('new-comic').click()
    await win.getByTestId('idea-input').fill('Two cats save an old tram')
    await win.getByTestId('pages-input').fill('1')
    await win.getByTestId('create-button').click()
    await win.getByTestId('progress-done').waitFor({ timeout: 60_000 })
    await app.close()
    app = undefined
  })
})
