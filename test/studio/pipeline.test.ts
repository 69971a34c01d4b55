import { afterEach, describe, expect, it } from 'vitest'
import { KitsumyError, type Comic, type ImageRequest } from '../../src/contract/index.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from '../../src/art/engine.ts'
import { OfflineArtist } from '../../src/art/offline-artist.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.ts'
import { makeStudio, waitForEvent } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

const open: Studio[] = []
let fake: FakeOpenAI | null = null
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
  await fake?.close()
  fake = null
})

function studio(extra: Parameters<typeof makeStudio>[1] = {}): Studio {
  const s = makeStudio(tempDir(), extra)
  open.push(s)
  s.start()
  return s
}

interface Head { id: string; x: number; y: number; r: number; w: number; h: number }

// The heads in an offline picture, in its pixels: each front figure stands at translate(x feet) scale(±s s), its
// head a circle `headY` units above the feet (negative) with radius headY + 100 (sketch-figure.ts).
function drawnHeads(comic: Comic, svg: string): Head[] {
  const [, w, h] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number)
  const heads: Head[] = []
  for (const m of svg.matchAll(/<g class="ch" data-character="c(\d+)" transform="translate\(([-\d.]+) ([-\d.]+)\) scale\([-\d.]+ ([-\d.]+)\)"[^>]*>.*?data-part="head" transform="translate\(0 ([-\d.]+)\)"/g)) {
    const [, index, x, feet, sy, headY] = m.map(String)
    const s = Number(sy)
    heads.push({ id: comic.characters[Number(index)].id, x: Number(x), y: Number(feet) + Number(headY) * s, r: (Number(headY) + 100) * s, w, h })
  }
  return heads
}

// Share of a face (a disc of 0.8 × its head's radius) under a balloon's box, by sampling.
function discCovered(head: Head, b: { x: number; y: number; w: number; h: number }): number {
  let inside = 0
  let covered = 0
  for (let i = -15; i <= 15; i++) for (let j = -15; j <= 15; j++) {
    if (i * i + j * j > 225) continue
    inside++
    const x = (head.x + (i / 15) * 0.8 * head.r) / head.w
    const y = (head.y + (j / 15) * 0.8 * head.r) / head.h
    if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) covered++
  }
  return covered / inside
}

async function make(s: Studio, input: Partial<Parameters<Studio['create']>[0]> = {}): Promise<Comic> {
  const { comicId } = s.create({ idea: 'A fox detective in rainy Kyiv', styleId: 'classic-noir', pages: 2, readingOrder: 'ltr', urgent: false, storyEngine: 'auto', ...input })
  await waitForEvent(s, 'generation_complete', (e) => e.comicId === comicId)
  return s.comic(comicId)
}

const panelsOf = (c: Comic) => c.pages.flatMap((p) => p.panels)

// Fails chosen panels (by scene text) for good, draws the rest offline.
class FlakyArtist implements ImageEngine {
  readonly id = 'offline' as const
  private readonly inner = new OfflineArtist()
  private readonly failWhen: (r: ImageRequest) => boolean
  constructor(failWhen: (r: ImageRequest) => boolean) {
    this.failWhen = failWhen
  }
  generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    if (this.failWhen(request)) return Promise.reject(new KitsumyError('capacity', 'No GPU capacity anywhere right now.', { retryable: false }))
    return this.inner.generate(request, options)
  }
}

describe('the generation pipeline', () => {
  it('makes an 8-page offline comic with an image in every panel, repeatably', async () => {
    const a = await make(studio(), { pages: 8, seed: 11 })
    expect(a.status).toBe('done')
    expect(a.pages).toHaveLength(8)
    for (const page of a.pages) {
      expect(page.panels.length).toBeGreaterThanOrEqual(3)
      expect(page.panels.length).toBeLessThanOrEqual(6)
    }
    expect(panelsOf(a).every((p) => p.image && p.status === 'done')).toBe(true)
    const b = await make(studio(), { pages: 8, seed: 11 })
    const shape = (c: Comic) => ({ title: c.title, pages: c.pages.map((p) => ({ layout: p.layout, panels: p.panels.map((x) => [x.shot, x.scene, x.image, x.bubbles.map((t) => t.text)]) })) })
    expect(shape(b)).toEqual(shape(a))
    const other = await make(studio(), { idea: 'Two sisters open a bakery on the Moon', pages: 2, seed: 11 })
    expect(other.title).not.toBe(a.title)
    expect(other.characters.map((c) => c.name)).not.toEqual(a.characters.map((c) => c.name))
  })

  it('letters offline comics around the faces the artist drew: balloons off them, tails at their speakers', async () => {
    const s = studio()
    let balloons = 0
    let tails = 0
    for (const [styleId, readingOrder] of [['modern-superhero', 'ltr'], ['shonen', 'rtl'], ['chibi', 'ltr'], ['ligne-claire', 'rtl']] as const) {
      const comic = await make(s, { styleId, readingOrder, storyEngine: 'offline', seed: 7 })
      for (const panel of comic.pages.flatMap((p) => p.panels)) {
        const heads = drawnHeads(comic, Buffer.from(s.library.images.read(panel.image!)).toString('utf8'))
        for (const b of panel.bubbles.filter((x) => x.kind !== 'sfx')) {
          balloons++
          // Of each face (a disc inside its head), a balloon may touch the rim, not cover it; a face that fills a
          // close shot leaves room only over its brow.
          for (const h of heads) expect(discCovered(h, b), `${styleId} ${panel.shot}: ${b.text}`).toBeLessThan(h.r > 0.3 * Math.min(h.w, h.h) ? 0.25 : 0.08)
          const speaker = heads.find((h) => h.id === b.speakerId)
          const tailed = (b.kind === 'speech' || b.kind === 'thought' || b.kind === 'shout') && !(b.tailX > b.x && b.tailX < b.x + b.w && b.tailY > b.y && b.tailY < b.y + b.h)
          if (!speaker || heads.length < 2 || !tailed) continue
          tails++
          const from = (h: Head) => Math.hypot(h.x - b.tailX * h.w, h.y - b.tailY * h.h)
          const nearest = heads.reduce((a, h) => (from(h) < from(a) ? h : a))
          expect(nearest.id, `${styleId} ${readingOrder} ${panel.shot}: ${b.text}`).toBe(speaker.id)
        }
      }
    }
    expect(balloons).toBeGreaterThan(40)
    expect(tails).toBeGreaterThan(5)
  })

  it('keeps a comic whose panels partly failed, with the failed panels retryable', async () => {
    let failing = true
    const s = studio({ engines: { image: new FlakyArtist((r) => failing && r.seed % 4 === 0) } })
    const comic = await make(s, { pages: 6, seed: 5 })
    const failed = panelsOf(comic).filter((p) => p.status === 'failed')
    const done = panelsOf(comic).filter((p) => p.status === 'done')
    expect(failed.length).toBeGreaterThan(0)
    expect(done.length).toBeGreaterThan(0)
    expect(failed.length + done.length).toBe(panelsOf(comic).length)
    expect(comic.status).toBe('partial')
    expect(failed[0].error).toMatch(/capacity/)
    failing = false
    const retried = waitForEvent(s, 'panel_updated', (e) => e.panelId === failed[0].id && e.status === 'done')
    const res = await s.handlers('http')['panels.regenerate']({ comicId: comic.id, panelId: failed[0].id })
    expect(res.jobId).toBeTruthy()
    await retried
    expect(panelsOf(s.comic(comic.id)).find((p) => p.id === failed[0].id)?.image).toBeTruthy()
  })

  it('writes the script with the LLM when a key is set, and says so clearly when the key is wrong', async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-right-key-1234' })
    const good = studio({ secrets: new (await import('../../src/platform/secrets.ts')).EnvSecrets({ OPENAI_API_KEY: 'sk-right-key-1234' }) })
    good.settings.update({ openaiBaseUrl: `${fake.url}/v1` })
    const comic = await make(good, { pages: 2, seed: 3 })
    expect(comic.status).toBe('done')
    expect(fake.requests.length).toBeGreaterThanOrEqual(4)
    expect(panelsOf(comic).every((p) => p.image)).toBe(true)

    const bad = studio({ secrets: new (await import('../../src/platform/secrets.ts')).EnvSecrets({ OPENAI_API_KEY: 'sk-wrong-key-9999' }) })
    bad.settings.update({ openaiBaseUrl: `${fake.url}/v1` })
    const errors: string[] = []
    const codes: string[] = []
    bad.events.on((e) => {
      if (e.type !== 'error') return
      errors.push(e.message)
      codes.push(e.code)
    })
    const failed = await make(bad, { pages: 1 })
    expect(failed.status).toBe('failed')
    expect(errors.join(' ')).toMatch(/key/i)
    expect(codes).toContain('auth')
    expect(errors.join(' ')).not.toContain('sk-wrong-key-9999')
  })

  it('builds every panel prompt from the character bible, and an edit reaches every prompt', async () => {
    const s = studio()
    const comic = await make(s, { pages: 3, seed: 21 })
    const hero = comic.characters[0]
    const theirs = panelsOf(comic).filter((p) => p.characterIds.includes(hero.id))
    expect(theirs.length).toBeGreaterThan(0)
    for (const p of theirs) expect(s.generation.requestFor(comic, p.id).prompt).toContain(hero.name)
    s.handlers('http')['characters.update']({ comicId: comic.id, characterId: hero.id, patch: { look: { ...hero.look, hair: 'bright violet braids' } } })
    const edited = s.comic(comic.id)
    for (const p of theirs) expect(s.generation.requestFor(edited, p.id).prompt).toContain('bright violet braids')
  })

  it('cancels a comic, and finishes it later', async () => {
    const s = studio({ concurrency: 1 })
    const { comicId } = s.create({ idea: 'A long voyage of a paper boat', styleId: 'shojo', pages: 12, readingOrder: 'ltr', urgent: false, storyEngine: 'offline' })
    await waitForEvent(s, 'panel_updated', (e) => e.comicId === comicId && e.status === 'done')
    const res = await s.handlers('http')['comics.cancel']({ comicId })
    expect(res.cancelled).toBeGreaterThan(0)
    expect(s.comic(comicId).status).toBe('cancelled')

    // Picked up again later: the panels it never drew are drawn, and the comic is done.
    const missing = panelsOf(s.comic(comicId)).filter((p) => p.status !== 'done').length
    expect(missing).toBeGreaterThan(0)
    const finished = waitForEvent(s, 'generation_complete', (e) => e.comicId === comicId)
    expect(s.handlers('http')['comics.retryFailed']({ comicId, offline: false })).toEqual({ panels: missing })
    expect((await finished).status).toBe('done')
    expect(panelsOf(s.comic(comicId)).every((p) => p.status === 'done')).toBe(true)

    // A panel being redrawn on its own is not "missing": retrying now would draw it twice.
    const [first] = panelsOf(s.comic(comicId))
    s.handlers('http')['panels.regenerate']({ comicId, panelId: first.id, seed: 77 })
    expect(() => s.handlers('http')['comics.retryFailed']({ comicId, offline: true })).toThrow(expect.objectContaining({ code: 'conflict' }))
    await waitForEvent(s, 'panel_updated', (e) => e.panelId === first.id && e.status === 'done')
  })
})
