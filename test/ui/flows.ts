// The studio's user journeys, driven in real Chromium. Each takes a page already opened on the studio.
import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { Comic, CommandInput, CommandName, CommandOutput } from '../../src/contract/index.ts'
import { FONT_FACES, textWidth } from '../../src/pages/fonts.ts'

export const SHOTS_DIR = 'test-results/screenshots'

export interface Studio {
  origin: string
  token: string
}

export function studioFrom(openUrl: string): Studio {
  const url = new URL(openUrl)
  return { origin: url.origin, token: url.searchParams.get('token') ?? '' }
}

// The same HTTP contract the page uses, for setting up and checking what the engine stored.
export async function api<N extends CommandName>(studio: Studio, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const res = await fetch(`${studio.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${studio.token}` },
    body: JSON.stringify(input),
  })
  const body = (await res.json()) as { ok: boolean; data?: unknown; error?: { message: string } }
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`)
  return body.data as CommandOutput<N>
}

export async function waitForComic(studio: Studio, comicId: string, timeoutMs = 60_000): Promise<Comic> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const comic = await api(studio, 'comics.get', { comicId })
    if (!['writing', 'generating'].includes(comic.status)) return comic
    if (Date.now() > end) throw new Error(`comic ${comicId} still ${comic.status}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS_DIR}/${name}.png` })
}

interface DrawnLine { family: string; bold: boolean; size: number; text: string; drawn: number }

// Every line of lettering under `root`, as the browser drew it.
function drawnLines(page: Page, root: string): Promise<DrawnLine[]> {
  return page.locator(root).first().evaluate((el) => [...el.querySelectorAll('text')].flatMap((t) => [...t.querySelectorAll('tspan')].map((span) => ({
    family: t.getAttribute('font-family') ?? '', bold: t.getAttribute('font-weight') === 'bold', size: Number(t.getAttribute('font-size')), text: span.textContent ?? '', drawn: span.getComputedTextLength(),
  }))))
}

// Lettering must be drawn in the font it was fitted with, at the width the engine measured (a fallback font
// draws other widths, and text runs out of its balloon): the reader's page, and the editor's canvas alike.
export async function expectLetteringAsMeasured(page: Page, root = '.page-svg svg'): Promise<void> {
  await page.locator(root).first().waitFor()
  const worst = async () => {
    const all = await drawnLines(page, root)
    if (all.length === 0) return Infinity
    return Math.max(...all.map((l) => {
      const face = FONT_FACES.find((f) => f.family === l.family && f.weight === (l.bold ? 700 : 400))
      return face ? Math.abs(l.drawn - textWidth(face, l.text, l.size)) / l.size : Infinity
    }))
  }
  // Fonts load once the text asks for them.
  await expect.poll(worst).toBeLessThan(0.02)
}

// Each panel's picture covers its frame, as it does in exports: no band of page white along an edge where the
// picture's shape differs a little from the panel's.
export async function expectPanelsCovered(page: Page): Promise<void> {
  const view = page.viewportSize()!
  const boxes = (await Promise.all((await page.locator('.page-svg image').all()).map((img) => img.boundingBox())))
    .filter((b): b is NonNullable<typeof b> => b !== null && b.y >= 0 && b.y + b.height <= view.height && b.width > 20 && b.height > 20)
  expect(boxes.length).toBeGreaterThan(0)
  const png = (await page.screenshot()).toString('base64')
  const white = await page.evaluate(async ({ png, boxes }) => {
    const img = new Image()
    img.src = `data:image/png;base64,${png}`
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = img.width
    canvas.height = img.height
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const k = img.width / window.innerWidth
    // Share of pure white pixels on a line one pixel inside each edge, the most of the four.
    const share = (x: number, y: number, w: number, h: number) => {
      const data = ctx.getImageData(Math.round(x * k), Math.round(y * k), Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))).data
      let n = 0
      for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255) n++
      return n / (data.length / 4)
    }
    return boxes.map((b) => Math.max(share(b.x + 2, b.y + 1, b.width - 4, 1), share(b.x + 2, b.y + b.height - 2, b.width - 4, 1), share(b.x + 1, b.y + 2, 1, b.height - 4), share(b.x + b.width - 2, b.y + 2, 1, b.height - 4)))
  }, { png, boxes })
  // Art and balloons inset from the edges leave little pure white there; a band is white end to end, but for
  // the lettering over it.
  expect(Math.max(...white)).toBeLessThan(0.2)
}

// The editor letters a panel exactly as its page does: the same lines, in the same faces and sizes.
export async function expectEditorLettersLikePage(page: Page, panelId: string): Promise<void> {
  const lines = (all: DrawnLine[]) => all.map((l) => `${l.family}/${l.bold}/${l.size}: ${l.text}`)
  const onPage = lines(await drawnLines(page, `.page-svg g[data-panel-id="${panelId}"]`))
  expect(onPage.length).toBeGreaterThan(0)
  await page.getByTestId('open-editor').click()
  await page.locator(`[data-testid=panel-thumb][data-panel-id="${panelId}"]`).click()
  await expectLetteringAsMeasured(page, '[data-testid=panel-canvas] .lettering')
  expect(lines(await drawnLines(page, '[data-testid=panel-canvas] .lettering'))).toEqual(onPage)
}

const comicIdFromUrl = (url: string) => /#\/(?:progress|comic)\/([\w-]+)/.exec(url)?.[1] ?? ''

// The new-comic form, filled in and not yet sent.
export async function fillNewComic(page: Page, idea: string, pages: number): Promise<void> {
  await page.getByTestId('nav-new-comic').click()
  await page.getByTestId('idea-input').fill(idea)
  await page.getByTestId('pages-input').fill(String(pages))
}

// Creates the comic the form holds; its id, once its progress shows.
export async function createFromForm(page: Page): Promise<string> {
  await page.getByTestId('create-button').click()
  await page.getByTestId('progress-view').waitFor()
  const comicId = comicIdFromUrl(page.url())
  expect(comicId).not.toBe('')
  return comicId
}

// Create through the form, watch it draw, open the editor.
export async function createAndEdit(page: Page, studio: Studio, idea: string): Promise<string> {
  await page.getByTestId('new-comic').click()
  await page.getByTestId('idea-input').fill(idea)
  await page.getByTestId('style-option-ligne-claire').click()
  await page.getByTestId('pages-input').fill('2')
  // Before anything is spent: with no cloud key, the offline sketch is the only route, free, and ticked.
  const offline = page.getByTestId('estimate-offline')
  await expect.poll(() => offline.getAttribute('data-recommended')).toBe('true')
  await expect.poll(() => page.getByTestId('estimate').textContent()).toContain('Estimate for 10 images')
  expect(await offline.textContent()).toContain('free')
  await shot(page, 'ui-new-comic')
  await page.getByTestId('create-button').click()
  await page.getByTestId('progress-view').waitFor()
  const comicId = comicIdFromUrl(page.url())
  expect(comicId).not.toBe('')
  await page.getByTestId('panel-tile').first().waitFor({ timeout: 60_000 })
  await shot(page, 'ui-progress')
  await page.getByTestId('progress-done').waitFor({ timeout: 60_000 })
  await expect.poll(() => page.locator('[data-testid=panel-tile][data-state=done]').count()).toBeGreaterThan(0)
  await shot(page, 'ui-progress-done')
  await page.getByTestId('open-comic').click()
  await page.getByTestId('reader-page').first().waitFor()
  await expectLetteringAsMeasured(page)
  await shot(page, 'ui-reader')
  const lettered = await page.locator('.page-svg g[data-panel-id]:has(text)').first().getAttribute('data-panel-id')
  await expectEditorLettersLikePage(page, lettered ?? '')
  await page.getByTestId('panel-canvas').waitFor()
  return comicId
}

export async function saved(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved')
}

export async function editBubbleAndTail(page: Page, studio: Studio, comicId: string): Promise<{ panelId: string; bubbleId: string; text: string }> {
  const firstThumb = page.getByTestId('panel-thumb').first()
  const panelId = (await firstThumb.getAttribute('data-panel-id')) ?? ''
  await firstThumb.click()
  if ((await page.getByTestId('bubble').count()) === 0) await page.getByTestId('add-bubble-speech').click()
  const bubble = page.getByTestId('bubble').first()
  const bubbleId = (await bubble.getAttribute('data-bubble-id')) ?? ''
  await bubble.click()
  const text = 'Edited in the studio!'
  await page.getByTestId('bubble-text').fill(text)
  await expect.poll(async () => (await page.getByTestId('bubble-text').inputValue())).toBe(text)

  const kind = await page.getByTestId('bubble-kind').inputValue()
  if (kind === 'caption' || kind === 'sfx') await page.getByTestId('bubble-kind').selectOption('speech')
  const tail = page.getByTestId('bubble-tail')
  const box = (await tail.boundingBox())!
  const canvas = (await page.getByTestId('panel-canvas').boundingBox())!
  const to = { x: canvas.x + canvas.width * 0.8, y: canvas.y + canvas.height * 0.9 }
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps: 6 })
  await page.mouse.up()
  await saved(page)
  await shot(page, 'ui-editor-bubble')

  const stored = await api(studio, 'comics.get', { comicId })
  const b = stored.pages.flatMap((p) => p.panels).find((p) => p.id === panelId)?.bubbles.find((x) => x.id === bubbleId)
  expect(b?.text).toBe(text)
  expect(b?.tailX).toBeGreaterThan(0.7)
  expect(b?.tailY).toBeGreaterThan(0.8)
  return { panelId, bubbleId, text }
}

export async function regeneratePanel(page: Page, studio: Studio, comicId: string, panelId: string): Promise<void> {
  const before = await api(studio, 'panels.versions', { comicId, panelId })
  await page.getByTestId('regenerate-new').click()
  await expect.poll(() => page.getByTestId('version').count(), { timeout: 60_000 }).toBe(before.length + 1)
  await expect.poll(() => page.getByTestId('undo').getAttribute('aria-label')).toMatch(/redraw/i)
  await saved(page)
  const after = await api(studio, 'comics.get', { comicId })
  const panel = after.pages.flatMap((p) => p.panels).find((p) => p.id === panelId)
  expect(before.map((v) => v.image)).not.toContain(panel?.image)
  await shot(page, 'ui-editor-regenerated')
}

export async function panelOrder(studio: Studio, comicId: string): Promise<string[]> {
  const comic = await api(studio, 'comics.get', { comicId })
  return comic.pages[0].panels.map((p) => p.id)
}

export async function reorderByDrag(page: Page, studio: Studio, comicId: string): Promise<string[]> {
  const before = await panelOrder(studio, comicId)
  const thumbs = page.getByTestId('page-thumb').first().getByTestId('panel-thumb')
  await thumbs.nth(0).dragTo(thumbs.nth(1))
  await saved(page)
  const after = await panelOrder(studio, comicId)
  expect(after).toEqual([before[1], before[0], ...before.slice(2)])
  return before
}

export async function undoRedo(page: Page, studio: Studio, comicId: string, original: string[]): Promise<void> {
  const reordered = await panelOrder(studio, comicId)
  await page.getByTestId('undo').click()
  await saved(page)
  expect(await panelOrder(studio, comicId)).toEqual(original)
  await page.keyboard.press('Control+Shift+Z')
  await saved(page)
  expect(await panelOrder(studio, comicId)).toEqual(reordered)
  await page.keyboard.press('Control+Z')
  await page.keyboard.press('Control+Y')
  await saved(page)
  expect(await panelOrder(studio, comicId)).toEqual(reordered)
}
