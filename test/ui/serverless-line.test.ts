import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { systemClock } from '../../src/platform/clock.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { launchChromium, startServe, type ServeProcess } from '../support/browser.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { createFromForm, fillNewComic, shot, studioFrom, waitForComic, type Studio } from './flows.ts'

// Serverless images are sent only as fast as their deadline needs, so most of a comic's panels wait their turn in
// the studio. The progress view says so on each of them, rather than showing them as drawing or stuck.
const KEY = 'rpa_LINE_UI_0123456789abcdef'
let browser: Browser
let serve: ServeProcess
let serverless: FakeRunpodServerless
let studio: Studio

beforeAll(async () => {
  serverless = await new FakeRunpodServerless({ clock: systemClock, log: new GenerationLog(), apiKey: KEY, jobMs: 400, workers: 5 }).start()
  const home = tempDir()
  const seed = makeStudio(home)
  seed.library.settings.put('cloud.overrides', { urls: { runpodServerless: serverless.baseUrl, runpodRest: 'http://127.0.0.1:9/v2' }, poll: { jobSeconds: 0.05 } })
  seed.settings.update({ providers: { serverlessEndpointId: 'ep-comfy' } })
  await seed.close()
  ;[browser, serve] = await Promise.all([launchChromium(), startServe(home, { RUNPOD_API_KEY: KEY, REPLICATE_API_TOKEN: '', OPENAI_API_KEY: '' })])
  studio = studioFrom(serve.url)
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await serverless?.close()
})

describe('the serverless line, in Chromium', () => {
  it('shows the panels waiting their turn on serverless, then every one drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } })
    await page.goto(serve.url)
    await fillNewComic(page, 'A lighthouse keeper paints the storm', 1)
    const comicId = await createFromForm(page)
    const waiting = page.locator('[data-waiting=serverless]')
    await waiting.first().waitFor()
    expect(await waiting.first().getAttribute('aria-label')).toMatch(/^Page 1, panel \d+: Waiting its turn on serverless$/)
    expect(await waiting.count()).toBeGreaterThan(1)
    await shot(page, 'ui-progress-serverless-line')
    const comic = await waitForComic(studio, comicId)
    expect(comic.status).toBe('done')
    await expect.poll(() => waiting.count(), { timeout: 5_000 }).toBe(0)
    // One endpoint job at a time after the first panel's: a worker draws 15 images by the deadline, the comic has 6.
    const jobs = [...serverless.jobs.values()]
    expect(jobs.length).toBe(comic.pages[0].panels.length)
    expect(Math.max(...jobs.map((j) => jobs.filter((k) => k.submittedAt <= j.submittedAt && (k.end ?? Infinity) > j.submittedAt).length))).toBeLessThanOrEqual(2)
    await page.close()
  })
})
