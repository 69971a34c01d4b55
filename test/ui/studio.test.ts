import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, startServe, type ServeProcess } from '../support/browser.ts'
import { tempDir } from '../support/temp.ts'
import { BUILTIN_AS_OF } from '../../src/costs/price-catalog.ts'
import { headScaleOf } from '../../src/pages/framing.ts'
import { layoutRects } from '../../src/pages/layouts.ts'
import { defaultSpeakerSpots, placeDefaultBubbles } from '../../src/pages/lettering.ts'
import { normalizeBubble } from '../../renderer/components/bubbleGeometry.ts'
import { api, createAndEdit, editBubbleAndTail, expectLetteringAsMeasured, expectPanelsCovered, regeneratePanel, reorderByDrag, saved, shot, studioFrom, undoRedo, waitForComic, type Studio } from './flows.ts'

let browser: Browser
let serve: ServeProcess
let studio: Studio

beforeAll(async () => {
  ;[browser, serve] = await Promise.all([launchChromium(), startServe(tempDir())])
  studio = studioFrom(serve.url)
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

async function open(path = '', ready = path ? 'editor' : 'library-grid'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.once('close', () => expect(errors).toEqual([]))
  await page.goto(serve.url + path)
  await page.getByTestId(ready).waitFor()
  return page
}

describe('the studio in Chromium against kitsumy serve', () => {
  it('creates, watches, edits a bubble and its tail, redraws, reorders, undoes and redoes, and keeps it all after a reload', async () => {
    const page = await open()
    const comicId = await createAndEdit(page, studio, 'A lighthouse keeper teaches a storm to whistle')
    const { panelId, bubbleId, text } = await editBubbleAndTail(page, studio, comicId)
    await regeneratePanel(page, studio, comicId, panelId)
    const original = await reorderByDrag(page, studio, comicId)
    await undoRedo(page, studio, comicId, original)

    await page.reload()
    await page.getByTestId('panel-canvas').waitFor()
    const order = await page.getByTestId('page-thumb').first().getByTestId('panel-thumb').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel-id')))
    expect(order).toEqual([original[1], original[0], ...original.slice(2)])
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${panelId}"]`).click()
    await page.locator(`[data-testid=bubble][data-bubble-id="${bubbleId}"]`).click()
    await expect.poll(() => page.getByTestId('bubble-text').inputValue()).toBe(text)
    await shot(page, 'ui-editor-after-reload')
    await page.close()
  })

  it('reads the first-launch sample as it exports: every picture covers its panel, every line in its own font', async () => {
    // Made on the first launch, drawn offline in the background.
    const sampleId = async () => (await api(studio, 'comics.list', { sort: 'created' })).items.find((c) => c.title === 'Shadows over Kyiv' && c.status === 'done')?.id
    await expect.poll(sampleId, { timeout: 60_000 }).toBeTruthy()
    const sample = { id: (await sampleId())! }
    const page = await open(`#/comic/${sample.id}`, 'reader')
    await expectLetteringAsMeasured(page)
    await expectPanelsCovered(page)
    await page.close()
  })

  it('says when a balloon\'s text does not fit, and fits the balloon to it in one step', async () => {
    const { comicId } = await api(studio, 'comics.create', { idea: 'A tortoise wins a chess tournament by patience', styleId: 'ligne-claire', pages: 1 })
    const comic = await waitForComic(studio, comicId)
    const panel = comic.pages[0].panels.find((p) => p.bubbles.some((b) => b.kind === 'speech'))!
    const page = await open(`#/comic/${comicId}/edit/${panel.id}`)
    const speech = panel.bubbles.find((b) => b.kind === 'speech')!
    await page.locator(`[data-testid=bubble][data-bubble-id="${speech.id}"]`).click()
    const stored = async () => (await api(studio, 'comics.get', { comicId })).pages[0].panels.find((p) => p.id === panel.id)!.bubbles.find((b) => b.id === speech.id)!
    await expect(page.getByTestId('bubble-overflow').count()).resolves.toBe(0)

    // Three times the words in the same balloon: the engine would shrink them past reading size.
    await page.getByTestId('bubble-text').fill(`${speech.text} ${speech.text} ${speech.text} And then some more words besides.`)
    await page.getByTestId('bubble-overflow').waitFor()
    await saved(page)
    const before = await stored()
    await page.getByTestId('bubble-fit').click()
    await expect.poll(() => page.getByTestId('bubble-overflow').count()).toBe(0)
    await saved(page)
    const after = await stored()
    expect(after.w * after.h).toBeGreaterThan(before.w * before.h)
    // Kept where it was: the same centre, unless the panel's edge is in the way.
    expect(Math.abs(after.x + after.w / 2 - (before.x + before.w / 2)) < 0.01 || after.x === 0 || after.x + after.w >= 0.999).toBe(true)
    // Its tail still points out of it, at the speaker.
    const reach = ((after.tailX - after.x - after.w / 2) / (after.w / 2)) ** 2 + ((after.tailY - after.y - after.h / 2) / (after.h / 2)) ** 2
    expect(reach).toBeGreaterThan(1)
    await shot(page, 'ui-editor-fitted')
    // More than any balloon of this panel holds: only the advice to shorten it.
    await page.getByTestId('bubble-text').fill('word '.repeat(400).trim())
    await page.getByTestId('bubble-overflow').waitFor()
    expect(await page.getByTestId('bubble-fit').count()).toBe(0)
    await page.keyboard.press('Control+Z')
    await page.close()
  })

  it('adds, deletes and moves panels and pages, renames the comic, and undoes and redoes each without drawing twice', async () => {
    const { comicId } = await api(studio, 'comics.create', { idea: 'A fox who runs a noodle stall hides a lost robot', styleId: 'shonen', pages: 4 })
    const made = await waitForComic(studio, comicId)
    const pageIndex = made.pages.findIndex((p) => p.panels.length < 6)
    const target = made.pages[pageIndex]
    const page = await open(`#/comic/${comicId}/edit/${target.panels[0].id}`)
    const refused: string[] = []
    page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`) })
    const stored = () => api(studio, 'comics.get', { comicId })
    const pageOf = async (id: string) => (await stored()).pages.find((p) => p.id === id)
    const shape = (c: { pages: { id: string; layout: string; panels: { id: string; image: string | null }[] }[] }) =>
      c.pages.map((p) => ({ id: p.id, layout: p.layout, panels: p.panels.map((x) => `${x.id}:${x.image}`) }))
    const thumbs = (pageId: string) => page.locator(`[data-testid=page-thumb][data-page-id="${pageId}"] [data-testid=panel-thumb]`)
    await page.getByTestId('panel-canvas').waitFor()

    // A panel after the first: drawn at once in the first one's scene, and selected.
    await page.getByTestId('panel-add').click()
    await expect.poll(async () => (await pageOf(target.id))?.panels.length).toBe(target.panels.length + 1)
    await expect.poll(async () => (await pageOf(target.id))!.panels[1].status, { timeout: 60_000 }).toBe('done')
    const grown = (await pageOf(target.id))!
    const added = grown.panels[1]
    expect(added.scene).toBe(target.panels[0].scene)
    expect(grown.layout).not.toBe(target.layout)
    await expect.poll(() => thumbs(target.id).count()).toBe(target.panels.length + 1)
    await expect.poll(() => page.locator('#panel-heading').innerText()).toMatch(new RegExp(`${pageIndex + 1}.*2`))
    await expect.poll(() => page.locator(`[data-testid=panel-thumb][data-panel-id="${added.id}"] img`).count()).toBe(1)
    // Its prompt has the focus: what happens in the new panel is the next thing to write.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('panel-scene')
    await shot(page, 'ui-editor-panel-added')

    // Undo takes it away; redo brings it back with the picture it had, with nothing drawn again.
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect(shape(await stored())).toEqual(shape(made))
    await page.keyboard.press('Control+Shift+Z')
    await saved(page)
    expect((await pageOf(target.id))!.panels[1]).toMatchObject({ id: added.id, image: added.image, status: 'done' })
    expect(await api(studio, 'panels.versions', { comicId, panelId: added.id })).toHaveLength(1)

    // Delete it again from the inspector (the page takes a layout for its panels), then undo that: the same
    // picture and the layout it had.
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${added.id}"]`).click()
    await page.getByTestId('panel-delete').click()
    await saved(page)
    const shrunk = (await pageOf(target.id))!
    expect(shape({ pages: [shrunk] })[0].panels).toEqual(shape({ pages: [target] })[0].panels)
    expect((await api(studio, 'layouts.list', {})).find((l) => l.id === shrunk.layout)?.panelCount).toBe(target.panels.length)
    await page.getByTestId('undo').click()
    await saved(page)
    expect(shape(await stored())).toEqual(shape({ ...made, pages: made.pages.map((p) => (p.id === target.id ? grown : p)) }))

    // A page after this one, then deleting a whole drawn page, each undone.
    await page.getByTestId('page-add').click()
    await expect.poll(async () => (await stored()).pages.length).toBe(made.pages.length + 1)
    const withPage = await stored()
    expect(withPage.pages[pageIndex + 1].panels).toHaveLength(1)
    await expect.poll(async () => (await stored()).pages[pageIndex + 1].panels[0].status, { timeout: 60_000 }).toBe('done')
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect((await stored()).pages.map((p) => p.id)).toEqual(made.pages.map((p) => p.id))
    const doomed = made.pages[made.pages.length - 1]
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${doomed.panels[0].id}"]`).click()
    await page.getByTestId('page-delete').click()
    await saved(page)
    expect((await stored()).pages.map((p) => p.id)).toEqual(made.pages.slice(0, -1).map((p) => p.id))
    await expect.poll(() => page.getByTestId('page-thumb').count()).toBe(made.pages.length - 1)
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect(shape(await stored()).at(-1)).toEqual(shape(made).at(-1))

    // Two short pages at the end, made through the API: a panel moved past the first one's edge onto the second, then
    // the second's only panel dragged onto the first (its page goes with it). Each is one undo step that puts both
    // pages back as they were, layouts and pictures included.
    const panelFor = (scene: string) => ({ id: crypto.randomUUID(), shot: 'medium' as const, scene, characterIds: [], seed: 3, image: null, bubbles: [] })
    const two = await api(studio, 'pages.add', { comicId, index: 23, page: { id: crypto.randomUUID(), panels: [panelFor('A noodle stall at night'), panelFor('Steam rises from the pot')] } })
    const one = await api(studio, 'pages.add', { comicId, index: 23, page: { id: crypto.randomUUID(), panels: [panelFor('The robot peeks out')] } })
    await expect.poll(async () => (await stored()).pages.slice(-2).flatMap((p) => p.panels).every((x) => x.status === 'done'), { timeout: 60_000 }).toBe(true)
    await page.reload()
    await page.getByTestId('panel-canvas').waitFor()
    const now = await stored()
    const [p1, p2] = now.pages.slice(-2)
    expect([p1.id, p2.id]).toEqual([two.page.id, one.page.id])
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${p1.panels[1].id}"]`).click()
    await page.getByTestId('panel-later').click()
    await saved(page)
    let moved = await stored()
    expect(moved.pages.at(-1)!.panels.map((x) => `${x.id}:${x.image}`)).toEqual([p1.panels[1], p2.panels[0]].map((x) => `${x.id}:${x.image}`))
    expect(moved.pages.at(-2)!.panels.map((x) => x.id)).toEqual([p1.panels[0].id])
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect(shape(await stored())).toEqual(shape(now))
    await page.locator(`[data-testid=panel-thumb][data-panel-id="${p2.panels[0].id}"]`).dragTo(page.locator(`[data-testid=panel-thumb][data-panel-id="${p1.panels[1].id}"]`))
    await saved(page)
    moved = await stored()
    expect(moved.pages.map((p) => p.id)).toEqual(now.pages.slice(0, -1).map((p) => p.id))
    expect(moved.pages.at(-1)!.panels.map((x) => x.id)).toEqual([p1.panels[0].id, p2.panels[0].id, p1.panels[1].id])
    await expect.poll(() => page.getByTestId('undo').getAttribute('aria-label')).toMatch(/another page/)
    await page.getByTestId('undo').click()
    await saved(page)
    expect(shape(await stored())).toEqual(shape(now))

    // Another style for the whole comic (one undo step), then every panel redrawn in it with its own seed.
    const panelsNow = (await stored()).pages.flatMap((p) => p.panels)
    await page.getByTestId('comic-style').selectOption('chibi')
    await saved(page)
    expect((await stored()).styleId).toBe('chibi')
    // Before anything is spent: what redrawing them all costs and takes on the route it would take.
    await expect.poll(() => page.getByTestId('redraw-all-estimate').innerText()).toMatch(/^Offline sketch: free · ~?\d+ s/)
    await page.getByTestId('redraw-all').click()
    await expect.poll(async () => (await stored()).pages.flatMap((p) => p.panels).filter((p, i) => p.status === 'done' && p.image !== panelsNow[i].image).length, { timeout: 60_000 }).toBe(panelsNow.length)
    expect((await stored()).pages.flatMap((p) => p.panels).map((p) => p.seed)).toEqual(panelsNow.map((p) => p.seed))
    await shot(page, 'ui-editor-restyled')
    // One undo takes every picture of the redraw back, the next one the style.
    await expect.poll(() => page.getByTestId('undo').getAttribute('aria-label')).toBe('Undo: redraw panels')
    await page.getByTestId('undo').click()
    await saved(page)
    expect((await stored()).pages.flatMap((p) => p.panels).map((p) => p.image)).toEqual(panelsNow.map((p) => p.image))
    await page.getByTestId('undo').click()
    await saved(page)
    expect((await stored()).styleId).toBe('shonen')

    // Renamed in place; the library shows the new title; undo puts the old one back in the field too.
    const title = page.getByTestId('comic-title')
    await title.fill('The Noodle Stall Robot')
    await title.press('Enter')
    await saved(page)
    expect((await stored()).title).toBe('The Noodle Stall Robot')
    expect((await api(studio, 'comics.list', { query: 'noodle stall robot' })).items.map((c) => c.id)).toEqual([comicId])
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect((await stored()).title).toBe(made.title)
    await expect.poll(() => title.inputValue()).toBe(made.title)
    // Escape while typing leaves the title as it was.
    await title.fill('Not this one')
    await title.press('Escape')
    await title.blur()
    await saved(page)
    expect((await stored()).title).toBe(made.title)
    expect(refused).toEqual([])
    await page.close()
  })

  it('places a new balloon off the big heads of a chibi comic, as the engine letters that style', async () => {
    const { comicId } = await api(studio, 'comics.create', { idea: 'Two kittens run a tiny post office', styleId: 'chibi', pages: 2 })
    const comic = await waitForComic(studio, comicId)
    const where = (headScale: number, at: (typeof comic.pages)[number]['panels'][number], size: { width: number; height: number }) => {
      const speaker = at.characterIds[0] ?? comic.characters[0]?.id ?? null
      const [placed] = placeDefaultBubbles([{ kind: 'speech', text: 'New line…', speakerId: speaker }], size, defaultSpeakerSpots(at.characterIds, at.shot, comic.readingOrder, size, headScale), { language: comic.language, readingOrder: comic.readingOrder, around: at.bubbles })
      return normalizeBubble(placed)
    }
    // A panel where the big heads change where the balloon goes.
    const found = comic.pages.flatMap((pg) => pg.panels.map((panel, i) => ({ panel, size: layoutRects(pg.layout, undefined, comic.readingOrder)[i] })))
      .find(({ panel, size }) => JSON.stringify(where(1, panel, size)) !== JSON.stringify(where(headScaleOf('chibi'), panel, size)))
    expect(found, 'a chibi panel whose balloon moves with the head size').toBeDefined()
    const page = await open(`#/comic/${comicId}/edit/${found!.panel.id}`)
    await page.getByTestId('panel-canvas').waitFor()
    await page.getByTestId('add-bubble-speech').click()
    await saved(page)
    const stored = (await api(studio, 'comics.get', { comicId })).pages.flatMap((p) => p.panels).find((p) => p.id === found!.panel.id)!.bubbles.at(-1)!
    const expected = where(headScaleOf('chibi'), found!.panel, found!.size)
    for (const k of ['x', 'y', 'w', 'h', 'tailX', 'tailY'] as const) expect(stored[k], k).toBeCloseTo(expected[k], 6)
    await page.close()
  })

  it('searches, sorts, duplicates, trashes and restores in the library', async () => {
    const made = await Promise.all([
      api(studio, 'comics.create', { idea: 'Zebra pilots race hot-air balloons over the Carpathians', styleId: 'pop-art', pages: 1 }),
      api(studio, 'comics.create', { idea: 'A quiet librarian hides a dragon in the archive', styleId: 'ink-wash', pages: 1 }),
    ])
    const [zebra] = await Promise.all(made.map((m) => waitForComic(studio, m.comicId)))
    const page = await open()
    const cards = page.getByTestId('comic-card')
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(2)
    await page.keyboard.press('/')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('library-search')
    await page.keyboard.type('Zebra')
    await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-comic-id')))).toEqual([zebra.id])
    await shot(page, 'ui-library-search')

    const card = page.locator(`[data-testid=comic-card][data-comic-id="${zebra.id}"]`)
    await card.getByTestId('card-duplicate').click()
    await expect.poll(() => cards.count()).toBe(2)
    await card.getByTestId('card-trash').click()
    await expect.poll(() => page.locator(`[data-testid=comic-card][data-comic-id="${zebra.id}"]`).count()).toBe(0)
    await page.getByTestId('trash-tab').click()
    await expect.poll(() => page.locator(`[data-testid=comic-card][data-comic-id="${zebra.id}"]`).count()).toBe(1)
    await shot(page, 'ui-library-trash')
    await page.locator(`[data-testid=comic-card][data-comic-id="${zebra.id}"]`).getByTestId('card-restore').click()
    await expect.poll(() => page.locator(`[data-testid=comic-card][data-comic-id="${zebra.id}"]`).count()).toBe(0)
    expect((await api(studio, 'comics.get', { comicId: zebra.id })).trashedAt).toBeNull()

    await page.getByTestId('library-tab').click()
    await page.getByTestId('library-search').fill('')
    await page.getByTestId('library-sort').selectOption('title')
    const byTitle = await api(studio, 'comics.list', { sort: 'title' })
    const ids = () => page.getByTestId('comic-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-comic-id')))
    await expect.poll(ids).toEqual(byTitle.items.map((c) => c.id))
    const titles = byTitle.items.map((c) => c.title)
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })))
    // Covers of any shape fit their card: every card is the grid's row height, and no two cards overlap.
    const boxes = await page.getByTestId('comic-card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))
    expect(new Set(boxes.map((b) => Math.round(b.height))).size).toBe(1)
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(true)
    }
    await shot(page, 'ui-library')
    await page.close()
  })

  it('sets and clears an API key, seeing only whether it is set and its last four characters', async () => {
    const page = await open()
    await page.getByTestId('nav-settings').click()
    const status = page.getByTestId('key-status-replicate')
    await expect.poll(() => status.getAttribute('data-set')).toBe('false')
    await page.getByTestId('key-input-replicate').fill('r8_secretvalue_WXYZ')
    await page.getByTestId('key-save-replicate').click()
    const plaintext = page.getByTestId('key-plaintext-replicate')
    if (await plaintext.isVisible()) await plaintext.click()
    await expect.poll(() => status.getAttribute('data-set')).toBe('true')
    await expect.poll(() => status.textContent()).toContain('WXYZ')
    expect(await page.content()).not.toContain('r8_secretvalue')
    expect(await page.getByTestId('key-input-replicate').inputValue()).toBe('')
    await shot(page, 'ui-settings')
    // With a key, the estimate prices the new route and names the price it rests on, with its source and date.
    await page.getByTestId('nav-new-comic').click()
    const replicate = page.getByTestId('estimate-replicate')
    await replicate.waitFor()
    await expect.poll(() => replicate.textContent()).toMatch(/Replicate\$0\.50 · ~\d+ s/)
    expect(await replicate.getByTestId('estimate-price').textContent()).toBe(`Replicate black-forest-labs/flux-dev: $0.025 per image · built-in price list, ${BUILTIN_AS_OF}`)
    expect(await replicate.getAttribute('data-recommended')).toBe('true')
    await shot(page, 'ui-new-comic-estimate')
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('key-clear-replicate').click()
    await expect.poll(() => status.getAttribute('data-set')).toBe('false')
    const view = await api(studio, 'settings.get', {})
    expect(view.keys.find((k) => k.name === 'replicate')?.set).toBe(false)
    await page.close()
  })

  it('shows the characters, costs and settings screens', async () => {
    const { comicId } = await api(studio, 'comics.create', { idea: 'Two rival bakers share one oven on a night train', styleId: 'shojo', pages: 1 })
    await waitForComic(studio, comicId)
    const page = await open()
    await page.goto(`${studio.origin}/#/comic/${comicId}/characters`)
    await page.getByTestId('character-card').first().waitFor()
    const name = page.getByTestId('character-name').first()
    await name.fill('Renamed Baker')
    await expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved')
    await expect.poll(async () => (await api(studio, 'comics.get', { comicId })).characters[0].name).toBe('Renamed Baker')
    await shot(page, 'ui-characters')
    await expect.poll(() => page.getByTestId('character-redraw-estimate').first().innerText()).toMatch(/^Offline sketch: free · ~?\d+ s/)

    // A new member of the cast, named and described; one in no panel can go, and undo brings them back.
    const cast = async () => (await api(studio, 'comics.get', { comicId })).characters
    const before = await cast()
    await page.getByTestId('character-add').click()
    const card = page.getByTestId('character-card').nth(before.length)
    // Its name field has the focus, its placeholder name selected: typing names them.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('character-name')
    await page.keyboard.type('Zirka the conductor')
    await card.getByTestId('character-face').fill('round face, freckles')
    await saved(page)
    const added = (await cast()).at(-1)!
    expect(added).toMatchObject({ name: 'Zirka the conductor', look: { face: 'round face, freckles' } })
    expect(await page.getByTestId('character-delete').first().isDisabled()).toBe(true)
    await card.getByTestId('character-delete').click()
    await saved(page)
    expect((await cast()).map((c) => c.id)).toEqual(before.map((c) => c.id))
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect((await cast()).at(-1)).toEqual(added)
    await expect.poll(() => page.getByTestId('undo').getAttribute('aria-label')).toMatch(/face|edit character/i)
    await page.getByTestId('nav-costs').click()
    await page.getByTestId('cost-total').waitFor()
    await shot(page, 'ui-costs')
    await page.close()
  })

  it('can be driven by keyboard alone: make a comic, nudge a bubble, undo', async () => {
    const page = await open()
    await page.keyboard.press('n')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('idea-input')
    await page.keyboard.type('A robot gardener grows a moon flower')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('radio')
    await page.keyboard.press('ArrowRight')
    const chosen = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))
    expect(chosen).toMatch(/^style-option-/)
    expect(await page.getByTestId(chosen!).getAttribute('aria-checked')).toBe('true')
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'create-button'; i++) await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByTestId('progress-done').waitFor({ timeout: 60_000 })
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-comic')
    await page.keyboard.press('Enter')
    await page.getByTestId('reader').waitFor()
    const comicId = /#\/comic\/([\w-]+)/.exec(page.url())?.[1] ?? ''
    await page.getByTestId('open-editor').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('panel-canvas').waitFor()
    await page.getByTestId('add-bubble-caption').focus()
    await page.keyboard.press('Enter')
    await saved(page)
    const bubble = page.getByTestId('bubble').last()
    const bubbleId = (await bubble.getAttribute('data-bubble-id')) ?? ''
    await bubble.focus()
    const where = async () => (await api(studio, 'comics.get', { comicId })).pages.flatMap((p) => p.panels).flatMap((p) => p.bubbles).find((b) => b.id === bubbleId)
    const before = (await where())!
    // Towards the side with room: a new caption may sit in either top corner.
    const [arrow, dx] = before.x + before.w > 0.9 ? ['ArrowLeft', -0.02] : ['ArrowRight', 0.02]
    await page.keyboard.press(arrow)
    await page.keyboard.press(arrow)
    await page.keyboard.press('ArrowDown')
    await saved(page)
    const moved = (await where())!
    expect(moved.x).toBeCloseTo(before.x + dx, 5)
    expect(moved.y).toBeCloseTo(before.y + 0.01, 5)
    await page.keyboard.press('Control+Z')
    await saved(page)
    expect((await where())!.x).toBeCloseTo(before.x, 5)
    await page.close()
  })
})
