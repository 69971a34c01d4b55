import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { systemClock } from '../../src/platform/clock.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { launchChromium, startServe, type ServeProcess } from '../support/browser.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { api, createFromForm, fillNewComic, shot, studioFrom, waitForComic, type Studio } from './flows.ts'

// A budget met in the studio itself: kitsumy serve draws on (a fake) Replicate over real HTTP, and the person
// sets the cap, watches cloud drawing pause, and finishes offline, all in Chromium.
const TOKEN = 'r8_budget_ui_token_0042'
let browser: Browser
let serve: ServeProcess
let replicate: FakeReplicate
let studio: Studio

beforeAll(async () => {
  replicate = await new FakeReplicate({ clock: systemClock, log: new GenerationLog(), token: TOKEN, predictMs: 30 }).start()
  const home = tempDir()
  const seed = makeStudio(home)
  seed.library.settings.put('cloud.overrides', { urls: { replicate: replicate.baseUrl }, poll: { jobSeconds: 0.02 } })
  await seed.close()
  ;[browser, serve] = await Promise.all([launchChromium(), startServe(home, { REPLICATE_API_TOKEN: TOKEN, OPENAI_API_KEY: '', RUNPOD_API_KEY: '' })])
  studio = studioFrom(serve.url)
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await replicate?.close()
})

async function create(page: Page, idea: string): Promise<string> {
  await fillNewComic(page, idea, 2)
  const comicId = await createFromForm(page)
  await page.getByTestId('progress-done').waitFor({ timeout: 60_000 })
  return comicId
}

describe('a budget in Chromium', () => {
  it('pauses cloud drawing at the per-comic cap with a clear message, keeps what was drawn, and finishes the comic offline for free', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } })
    await page.goto(serve.url)
    await page.getByTestId('nav-settings').click()
    const cap = page.getByTestId('budget-comic-input')
    await cap.fill('0.05')
    await cap.press('Enter')
    await expect.poll(async () => (await api(studio, 'settings.get', {})).budgets.comicUsd).toBe(0.05)

    // Before spending: the estimate warns that this comic would go past what the budget leaves.
    await page.getByTestId('nav-new-comic').click()
    await expect.poll(() => page.getByTestId('estimate-over-budget').textContent()).toBe('Only $0.05 of your budget is left: cloud drawing will pause there, and the rest can be drawn offline.')
    await shot(page, 'ui-new-comic-over-budget')
    const comicId = await create(page, 'A clockmaker races the last train of the year')
    const comic = await waitForComic(studio, comicId)
    const panels = comic.pages.flatMap((p) => p.panels)
    const drawn = panels.filter((p) => p.status === 'done')
    // Two Replicate images at $0.025 fit under $0.05; the rest wait for the person to decide.
    expect(drawn.length).toBe(2)
    expect(comic.status).toBe('partial')
    expect(await page.getByTestId('progress-done').textContent()).toContain(`Ready, but ${panels.length - 2} panels could not be drawn`)
    // Why, in words, and what to do about it, right where the comic stopped.
    await expect.poll(() => page.getByTestId('failure-reason').textContent()).toBe('Cloud drawing is paused: your budget is reached. Drawn panels are kept; raise the budget in Settings, or draw the rest offline.')
    expect(await page.getByTestId('retry-failed').textContent()).toBe(`Draw the ${panels.length - 2} missing panels`)
    expect(await page.getByTestId('open-budgets').textContent()).toBe('Budgets')
    await shot(page, 'ui-budget-paused')

    await page.getByTestId('nav-costs').click()
    await expect.poll(() => page.getByTestId('cost-total').textContent()).toContain('$0.05')
    expect(await page.getByTestId('budget-comic').textContent()).toContain('$0.05 of $0.05')
    expect(await page.getByTestId('comic-at-budget').count()).toBe(1)
    await shot(page, 'ui-costs-budget')
    // The comic itself says what it cost, from the ledger, after any reload.
    await page.goto(`${serve.url}#/comic/${comicId}`)
    await expect.poll(() => page.getByTestId('reader-cost').textContent()).toBe('cost $0.05')

    // The editor says the same on the panel itself.
    await page.goto(`${serve.url}#/comic/${comicId}/edit`)
    await page.getByTestId('editor').waitFor()
    const stopped = panels.find((p) => p.status === 'failed')!
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${stopped.id}"]`).click()
    await expect.poll(() => page.getByTestId('panel-failure').textContent()).toContain('your budget is reached')
    await shot(page, 'ui-editor-budget-paused')

    // From the library, a comic with panels missing opens where it can be finished.
    await page.getByTestId('nav-library').click()
    await page.locator(`[data-testid=comic-card][data-comic-id="${comicId}"] .card-cover`).click()
    await page.getByTestId('progress-done').waitFor()
    expect(page.url()).toContain(`#/progress/${comicId}`)

    // Finish it offline, for free: the comic is whole and nothing more is spent.
    await page.getByTestId('retry-offline').click()
    await expect.poll(() => page.getByTestId('progress-done').textContent(), { timeout: 60_000 }).toContain('Your comic is ready')
    const finished = await api(studio, 'comics.get', { comicId })
    expect(finished.status).toBe('done')
    expect(finished.pages.flatMap((p) => p.panels).every((p) => p.status === 'done')).toBe(true)
    expect((await api(studio, 'costs.summary', {})).totalUsd).toBeLessThanOrEqual(0.05 + 1e-9)
    await expect.poll(() => page.locator('[data-testid=panel-tile][data-state=done]').count()).toBe(panels.length)
    await shot(page, 'ui-budget-finished-offline')

    // The offline artist stays usable for new comics too.
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('preferred-engine').selectOption('offline')
    await expect.poll(async () => (await api(studio, 'settings.get', {})).preferredEngine).toBe('offline')
    const offlineId = await create(page, 'A clockmaker races the first train of the year')
    expect((await waitForComic(studio, offlineId)).status).toBe('done')
    await page.close()
  })
})
