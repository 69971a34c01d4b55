import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium, SCREENSHOTS, startServe, type ServeProcess } from '../support/browser.ts'
import { tempDir } from '../support/temp.ts'
import { api, expectLetteringAsMeasured, studioFrom, waitForComic } from './flows.ts'

let browser: Browser
let serve: ServeProcess

beforeAll(async () => {
  browser = await launchChromium()
  serve = await startServe(tempDir())
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

const RUNS = [
  { lang: 'en', locale: 'en-US', idea: 'A lighthouse cat guards the harbour lights', nav: 'Library', script: /[A-Za-z]{3,}/ },
  { lang: 'uk', locale: 'uk-UA', idea: 'Два коти рятують старий трамвай', nav: 'Бібліотека', script: /[А-Яа-яІіЇїЄєҐґ]{3,}/ },
] as const

describe('the main flow in each language', () => {
  for (const run of RUNS) {
    it(`runs in ${run.lang}: library, progress and editor, and the comic is written in ${run.lang}`, async () => {
      const context = await browser.newContext({ locale: run.locale, viewport: { width: 1280, height: 860 } })
      const page = await context.newPage()
      await page.goto(serve.url)
      await page.getByTestId('library-grid').waitFor()
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(run.lang)
      await expect.poll(() => page.getByRole('navigation').first().innerText()).toContain(run.nav)
      await page.screenshot({ path: `${SCREENSHOTS}/lang-${run.lang}-library.png` })

      await page.getByTestId('new-comic').click()
      await page.getByTestId('idea-input').fill(run.idea)
      await page.getByTestId('style-option-shonen').click()
      await page.getByTestId('pages-input').fill('2')
      await page.getByTestId('create-button').click()
      await page.getByTestId('progress-view').waitFor()
      await page.getByTestId('panel-tile').first().waitFor({ timeout: 60_000 })
      await page.screenshot({ path: `${SCREENSHOTS}/lang-${run.lang}-progress.png` })
      await page.getByTestId('progress-done').waitFor({ timeout: 60_000 })

      const comicId = /#\/(?:progress|comic)\/([\w-]+)/.exec(page.url())?.[1] ?? ''
      const comic = await waitForComic(studioFrom(serve.url), comicId)
      expect(comic.language).toBe(run.lang)
      const lines = comic.pages.flatMap((p) => p.panels.flatMap((x) => x.bubbles.map((b) => b.text))).join(' ')
      expect(lines).toMatch(run.script)
      if (run.lang === 'uk') expect(lines).not.toMatch(/\b(the|and|you)\b/i)

      await page.getByTestId('open-comic').click()
      await page.getByTestId('reader-page').first().waitFor()
      await expectLetteringAsMeasured(page)
      await page.getByTestId('open-editor').click()
      await page.getByTestId('panel-canvas').waitFor()
      // Every label of the narrow inspector stays inside it, in either language.
      const overflowing = await page.locator('.inspector').evaluate((inspector) => {
        const edge = inspector.getBoundingClientRect().right
        return [...inspector.querySelectorAll('button, label, p, h2')].filter((el) => el.getBoundingClientRect().right > edge + 0.5 || el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)
      })
      expect(overflowing).toEqual([])
      await page.screenshot({ path: `${SCREENSHOTS}/lang-${run.lang}-editor.png` })
      expect((await api(studioFrom(serve.url), 'comics.get', { comicId })).id).toBe(comicId)
      await context.close()
    })
  }
})
