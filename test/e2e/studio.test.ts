import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium, SCREENSHOTS, startServe, type ServeProcess } from '../support/browser.ts'
import { tempDir } from '../support/temp.ts'

let browser: Browser
let serve: ServeProcess

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('the studio in Chromium against kitsumy serve', () => {
  it('creates a comic offline, watches it being made, and reads it', async () => {
    const home = tempDir()
    serve = await startServe(home, { OPENAI_API_KEY: '', RUNPOD_API_KEY: '', REPLICATE_API_TOKEN: '' })
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(serve.url)
    await page.getByTestId('library-grid').waitFor()
    expect(new URL(page.url()).searchParams.get('token')).toBeNull()
    // First launch: a sample comic made offline, and a clear way to add keys.
    await page.getByTestId('comic-card').first().waitFor()
    await page.getByTestId('offline-hint').waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}/e2e-library-first-launch.png` })
    await page.getByTestId('add-keys').click()
    await expect.poll(() => page.url()).toContain('#/settings')
    await page.goBack()
    await page.getByTestId('library-grid').waitFor()

    await page.getByTestId('new-comic').click()
    await page.getByTestId('idea-input').fill('A fox detective in rainy Kyiv')
    await page.getByTestId('style-option-classic-noir').click()
    await page.getByTestId('pages-input').fill('2')
    await page.screenshot({ path: `${SCREENSHOTS}/e2e-new-comic.png` })
    await page.getByTestId('create-button').click()

    await page.getByTestId('progress-view').waitFor()
    await page.getByTestId('progress-done').waitFor({ timeout: 60_000 })
    await page.screenshot({ path: `${SCREENSHOTS}/e2e-progress-done.png` })

    await page.getByTestId('open-comic').click()
    await page.getByTestId('reader').waitFor()
    const pages = page.getByTestId('reader-page')
    await expect.poll(() => pages.count()).toBeGreaterThanOrEqual(2)
    const images = page.locator('[data-testid="reader"] image, [data-testid="reader"] img')
    await expect.poll(() => images.count()).toBeGreaterThanOrEqual(6)
    await page.screenshot({ path: `${SCREENSHOTS}/e2e-reader.png`, fullPage: true })

    // Export from the studio: the file lands in the library's exports folder and a PDF reader opens it.
    await page.getByTestId('open-export').click()
    await page.getByTestId('export-pdf').check()
    await page.getByTestId('export-go').click()
    const result = page.getByTestId('export-result')
    await result.waitFor({ timeout: 60_000 })
    const file = (await result.locator('code').first().innerText()).trim()
    expect(file.startsWith(join(home, 'exports'))).toBe(true)
    expect(file.endsWith('.pdf')).toBe(true)
    const { stdout } = await promisify(execFile)('pdfinfo', [file])
    expect(stdout).toMatch(/Pages:\s+2/)
    await page.close()
  })
})
