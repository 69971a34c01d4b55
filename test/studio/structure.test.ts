import { afterEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../src/api/dispatch.ts'
import type { Comic, ImageRequest, NewPanel } from '../../src/contract/index.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from '../../src/art/engine.ts'
import { OfflineArtist } from '../../src/art/offline-artist.ts'
import { getLayout } from '../../src/pages/layouts.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { makeStudio, waitForEvent } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

const opened: Studio[] = []
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close()
})

async function setUp(): Promise<{ studio: Studio; call: (command: string, input: unknown) => Promise<{ ok: boolean; data?: any; error?: { code: string; message: string } }>; comic: Comic }> {
  const studio = makeStudio(tempDir())
  opened.push(studio)
  studio.start()
  const { comicId } = studio.create({ idea: 'A fox detective in rainy Kyiv', styleId: 'classic-noir', pages: 3, readingOrder: 'ltr', urgent: false, storyEngine: 'offline', seed: 5 })
  await waitForEvent(studio, 'generation_complete', (e) => e.comicId === comicId)
  const dispatch = createDispatch(studio.handlers('http'))
  return { studio, call: (command, input) => dispatch(command, input) as never, comic: studio.comic(comicId) }
}

const fresh = (id: string, scene: string, extra: Partial<NewPanel> = {}): NewPanel =>
  ({ id, shot: 'medium', scene, characterIds: [], seed: 11, image: null, bubbles: [], ...extra })

const fits = (c: Comic) => c.pages.every((p) => getLayout(p.layout)?.panelCount === p.panels.length)

describe('adding and deleting panels and pages', () => {
  it('adds a panel that is drawn at once, deletes it, and adding it back restores its picture without drawing again', async () => {
    const { studio, call, comic } = await setUp()
    const page = comic.pages.find((p) => p.panels.length < 6)!
    const lead = comic.characters[0]
    const drawn = waitForEvent(studio, 'panel_updated', (e) => e.panelId === 'new-1' && e.status === 'done')
    const added = await call('panels.add', { comicId: comic.id, pageId: page.id, index: 1, panel: fresh('new-1', 'Ryzhka reads a wet letter under a street lamp', { characterIds: [lead.id] }) })
    expect(added.ok).toBe(true)
    expect(added.data.jobId).toEqual(expect.any(String))
    expect(added.data.panel).toMatchObject({ id: 'new-1', status: 'pending', image: null })
    const { image } = await drawn
    let now = studio.comic(comic.id)
    const grown = now.pages.find((p) => p.id === page.id)!
    expect(grown.panels.map((p) => p.id)).toEqual([page.panels[0].id, 'new-1', ...page.panels.slice(1).map((p) => p.id)])
    expect(grown.panels[1]).toMatchObject({ status: 'done', image, characterIds: [lead.id] })
    expect(fits(now)).toBe(true)
    expect(now.status).toBe('done')

    const removed = await call('panels.delete', { comicId: comic.id, panelId: 'new-1', layout: page.layout })
    expect(removed.ok).toBe(true)
    now = studio.comic(comic.id)
    expect(now.pages.find((p) => p.id === page.id)!).toMatchObject({ layout: page.layout, panels: page.panels.map((p) => expect.objectContaining({ id: p.id })) })

    // Undo of the delete: the same id, no picture named; its last version comes back and nothing is queued.
    const jobsBefore = studio.generation.queue.queuedCount('panel')
    const back = await call('panels.add', { comicId: comic.id, pageId: page.id, index: 1, layout: grown.layout, panel: fresh('new-1', 'Ryzhka reads a wet letter under a street lamp') })
    expect(back.data).toMatchObject({ jobId: null, panel: { status: 'done', image } })
    expect(studio.generation.queue.queuedCount('panel')).toBe(jobsBefore)
    expect(studio.comic(comic.id).pages.find((p) => p.id === page.id)!.layout).toBe(grown.layout)
  })

  it('adds a page of new panels and deletes a page; the library card follows the first drawn panel', async () => {
    const { studio, call, comic } = await setUp()
    const first = comic.pages[0]
    const bothDrawn = Promise.all(['p-a', 'p-b'].map((id) => waitForEvent(studio, 'panel_updated', (e) => e.panelId === id && e.status === 'done')))
    const added = await call('pages.add', { comicId: comic.id, index: 0, page: { id: 'page-new', panels: [fresh('p-a', 'A tram in the rain'), fresh('p-b', 'The tram doors open')] } })
    expect(added.ok).toBe(true)
    expect(added.data.jobIds).toHaveLength(2)
    const [a] = await bothDrawn
    let now = studio.comic(comic.id)
    expect(now.pages.map((p) => p.id)).toEqual(['page-new', ...comic.pages.map((p) => p.id)])
    expect(fits(now)).toBe(true)
    expect(studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 10 }).items.find((c) => c.id === comic.id)!.cover).toBe(a.image)

    expect((await call('pages.delete', { comicId: comic.id, pageId: 'page-new' })).ok).toBe(true)
    now = studio.comic(comic.id)
    expect(now.pages.map((p) => p.id)).toEqual(comic.pages.map((p) => p.id))
    expect(now.cover).toBe(first.panels[0].image)
    expect(now.panelCount).toBe(comic.panelCount)
  })

  it('refuses what would break a comic, with a clear reason, and changes nothing', async () => {
    const { studio, call, comic } = await setUp()
    const full = { ...comic.pages[0] }
    const drawn = waitForEvent(studio, 'panel_updated', (e) => e.panelId === 'lonely-1' && e.status === 'done')
    const one = await call('pages.add', { comicId: comic.id, index: 9, page: { id: 'lonely', panels: [fresh('lonely-1', 'An empty street')] } })
    expect(one.ok).toBe(true)
    await drawn
    const before = JSON.stringify(studio.comic(comic.id).pages)
    const refusals: Array<[string, unknown, RegExp]> = [
      ['panels.delete', { comicId: comic.id, panelId: 'lonely-1' }, /only panel on its page/],
      ['panels.add', { comicId: comic.id, pageId: 'lonely', index: 0, panel: fresh(full.panels[0].id, 'a copy') }, /id of its own/],
      ['panels.add', { comicId: comic.id, pageId: 'lonely', index: 0, panel: fresh('x-1', 'stolen picture', { image: full.panels[0].image }) }, /its own pictures/],
      ['panels.add', { comicId: comic.id, pageId: 'lonely', index: 0, layout: 'splash', panel: fresh('x-2', 'wrong layout') }, /holds 1 panels; this page has 2/],
      ['panels.add', { comicId: comic.id, pageId: 'lonely', index: 0, panel: fresh('x-3', 'a stranger', { characterIds: ['nobody'] }) }, /characters of this comic/],
      ['pages.add', { comicId: comic.id, index: 0, page: { id: 'twins', panels: [fresh('t-1', 'one'), fresh('t-1', 'two')] } }, /id of its own/],
    ]
    for (const [command, input, reason] of refusals) {
      const answer = await call(command, input)
      expect(answer.ok, command).toBe(false)
      expect(answer.error!.message).toMatch(reason)
    }
    expect(JSON.stringify(studio.comic(comic.id).pages)).toBe(before)
    const six = studio.comic(comic.id).pages.find((p) => p.panels.length === 6)
    expect(six, 'the offline writer fills a page with six panels').toBeDefined()
    expect((await call('panels.add', { comicId: comic.id, pageId: six!.id, index: 0, panel: fresh('x-7', 'one too many') })).error!.message).toMatch(/at most 6 panels/)
    for (const page of studio.comic(comic.id).pages.slice(1)) expect((await call('pages.delete', { comicId: comic.id, pageId: page.id })).ok).toBe(true)
    expect((await call('pages.delete', { comicId: comic.id, pageId: comic.pages[0].id })).error!.message).toMatch(/at least one page/)
  })

  it('adds a character to the cast, and lets one go only when no panel shows them and they speak no line', async () => {
    const { studio, call, comic } = await setUp()
    const newcomer = { id: 'zirka', name: 'Zirka', role: 'a lamplighter', look: { face: 'round face', hair: 'red braid', build: 'small', outfit: 'blue coat', colors: ['blue', 'orange'] }, seed: 21, referenceImage: null }
    expect((await call('characters.add', { comicId: comic.id, index: 1, character: newcomer })).data).toEqual(newcomer)
    expect(studio.comic(comic.id).characters.map((c) => c.id)).toEqual([comic.characters[0].id, 'zirka', ...comic.characters.slice(1).map((c) => c.id)])
    expect((await call('characters.add', { comicId: comic.id, index: 0, character: { ...newcomer, name: 'Twin' } })).error!.message).toMatch(/id of its own/)

    const lead = comic.characters[0]
    expect((await call('characters.delete', { comicId: comic.id, characterId: lead.id })).error!.message).toMatch(new RegExp(`${lead.name} is in \\d+ panel\\(s\\)`))
    // In a panel, then speaking a line: each keeps them in the cast.
    const panel = comic.pages[0].panels[0]
    await call('panels.update', { comicId: comic.id, panelId: panel.id, patch: { characterIds: ['zirka'] } })
    expect((await call('characters.delete', { comicId: comic.id, characterId: 'zirka' })).ok).toBe(false)
    await call('panels.update', { comicId: comic.id, panelId: panel.id, patch: { characterIds: [], bubbles: [{ ...panel.bubbles[0] ?? { id: 'bz', kind: 'speech', text: 'Hi', x: 0.1, y: 0.1, w: 0.3, h: 0.2, tailX: 0.2, tailY: 0.5 }, speakerId: 'zirka' }] } })
    expect((await call('characters.delete', { comicId: comic.id, characterId: 'zirka' })).error!.message).toMatch(/speaks 1 line/)
    await call('panels.update', { comicId: comic.id, panelId: panel.id, patch: { bubbles: [] } })
    expect((await call('characters.delete', { comicId: comic.id, characterId: 'zirka' })).ok).toBe(true)
    expect(studio.comic(comic.id).characters.map((c) => c.id)).toEqual(comic.characters.map((c) => c.id))
  })

  it('deletes a page whose panels are still waiting to be drawn: the comic ends done, nothing is drawn for it', async () => {
    // Pictures wait for the gate, so the page goes while all its panels are queued or drawing.
    let open!: () => void
    const gate = new Promise<void>((resolve) => { open = resolve })
    const drawn: number[] = []
    const inner = new OfflineArtist()
    const gated: ImageEngine = {
      id: 'offline',
      async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
        await gate
        drawn.push(request.seed)
        return inner.generate(request, options)
      },
    }
    const studio = makeStudio(tempDir(), { engines: { image: gated } })
    opened.push(studio)
    studio.start()
    const { comicId } = studio.create({ idea: 'A fox detective in rainy Kyiv', styleId: 'classic-noir', pages: 3, readingOrder: 'ltr', urgent: false, storyEngine: 'offline', seed: 5 })
    await waitForEvent(studio, 'comic_updated', (e) => e.comicId === comicId && e.status === 'generating')
    const comic = studio.comic(comicId)
    const doomed = comic.pages[2]
    const done = waitForEvent(studio, 'generation_complete', (e) => e.comicId === comicId)
    const answer = await createDispatch(studio.handlers('http'))('pages.delete', { comicId, pageId: doomed.id }) as { ok: boolean }
    expect(answer.ok).toBe(true)
    open()
    expect(await done).toMatchObject({ status: 'done', failed: 0 })
    const after = studio.comic(comicId)
    expect(after.pages.map((p) => p.id)).toEqual(comic.pages.slice(0, 2).map((p) => p.id))
    expect(after.pages.flatMap((p) => p.panels).every((p) => p.status === 'done')).toBe(true)
    // A panel already in an engine's hands when its page went is finished and kept among its versions.
    const gone = doomed.panels.filter((p) => drawn.includes(studio.generation.requestFor(comic, p.id).seed)).length
    expect(drawn.length).toBe(after.pages.flatMap((p) => p.panels).length + gone)
  })

  it('renames a comic, and the library finds it by its new title', async () => {
    const { studio, call, comic } = await setUp()
    expect((await call('comics.update', { comicId: comic.id, patch: { title: '  Лисиця з Подолу ' } })).data).toEqual({ comicId: comic.id, title: 'Лисиця з Подолу', styleId: 'classic-noir' })
    expect(studio.comic(comic.id).title).toBe('Лисиця з Подолу')
    expect(studio.library.comics.list({ query: 'подолу', sort: 'updated', trashed: false, offset: 0, limit: 10 }).items.map((c) => c.id)).toEqual([comic.id])
    expect((await call('comics.update', { comicId: comic.id, patch: { title: '   ' } })).ok).toBe(false)
    expect((await call('comics.update', { comicId: comic.id, patch: {} })).error!.message).toMatch(/title or a style/)
  })

  it('changes a comic\'s style: a redraw draws the same panel in the new style, the old picture stays a version', async () => {
    const { studio, call, comic } = await setUp()
    const panel = comic.pages[0].panels[1]
    expect((await call('comics.update', { comicId: comic.id, patch: { styleId: 'chibi' } })).data).toMatchObject({ styleId: 'chibi' })
    expect(studio.comic(comic.id).styleId).toBe('chibi')
    expect(studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 5 }).items.find((c) => c.id === comic.id)!.styleId).toBe('chibi')
    expect(studio.generation.requestFor(studio.comic(comic.id), panel.id).styleId).toBe('chibi')
    const redrawn = waitForEvent(studio, 'panel_updated', (e) => e.panelId === panel.id && e.status === 'done')
    await call('panels.regenerate', { comicId: comic.id, panelId: panel.id, seed: panel.seed })
    const { image } = await redrawn
    expect(image).not.toBe(panel.image)
    expect((await call('panels.versions', { comicId: comic.id, panelId: panel.id })).data.map((v: { image: string }) => v.image)).toEqual([panel.image, image])
    expect((await call('comics.update', { comicId: comic.id, patch: { styleId: 'no-such-style' } })).ok).toBe(false)
  })
})
