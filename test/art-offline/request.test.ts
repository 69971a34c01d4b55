import { beforeAll, describe, expect, it } from 'vitest'
import { ImageRequest, KitsumyError, STYLE_IDS, type Character } from '../../src/contract/index.ts'
import { buildImageRequest, cacheKey, canonicalJson, describeLook } from '../../src/art/request.ts'
import { getStyle } from '../../src/styles/styles.ts'
import { writeComic, type MiniComic } from './fixtures.ts'

let comic: MiniComic

beforeAll(async () => {
  comic = await writeComic('A fox detective in rainy Kyiv', 'classic-noir')
})

function requestsOf(c: MiniComic): ImageRequest[] {
  return c.panels.map((panel) => buildImageRequest({ comic: c, panel, width: 768, height: 512 }))
}

describe('panel prompts', () => {
  it('carry the full bible and seed of every character in the panel, in every style', () => {
    const withCharacters = comic.panels.filter((p) => p.characterIds.length > 0)
    expect(withCharacters.length).toBeGreaterThan(20)
    for (const styleId of STYLE_IDS) {
      const styled = { ...comic, styleId }
      const style = getStyle(styleId)
      for (const panel of styled.panels) {
        const request = buildImageRequest({ comic: styled, panel, width: 768, height: 512 })
        expect(ImageRequest.parse(request)).toEqual(request)
        expect(request.styleId).toBe(styleId)
        expect(request.prompt).toContain(style.prompt)
        expect(request.prompt).toContain(panel.scene)
        expect(request.negative).toBe(style.negative)
        expect(request.subject.shot).toBe(panel.shot)
        expect(request.subject.characters.map((c) => c.id)).toEqual(panel.characterIds)
        for (const id of panel.characterIds) {
          const c = styled.characters.find((x) => x.id === id) as Character
          expect(request.prompt).toContain(c.name)
          for (const part of [c.look.face, c.look.hair, c.look.build, c.look.outfit, ...c.look.colors]) expect(request.prompt).toContain(part)
          expect(request.subject.characters.find((x) => x.id === id)).toEqual({ id, name: c.name, seed: c.seed, look: c.look })
        }
      }
    }
  })

  it('frame the prompt with the shot and keep free text from standing alone', () => {
    const [establishing] = requestsOf(comic)
    expect(establishing.prompt).toMatch(/^Establishing shot/)
    expect(establishing.prompt).toContain('No characters in frame')
    const closeUp = comic.panels.find((p) => p.shot === 'close-up') as MiniComic['panels'][number]
    expect(buildImageRequest({ comic, panel: closeUp, width: 768, height: 512 }).prompt).toMatch(/^Close-up shot/)
    expect(describeLook({ face: 'f', hair: 'h', build: 'b', outfit: 'o', colors: ['red'] })).toBe('f; h; b; wearing o; colours red')
  })

  it('derive the seed from the characters\' fixed seeds and the panel seed', () => {
    const panel = comic.panels.find((p) => p.characterIds.length === 2) as MiniComic['panels'][number]
    const base = buildImageRequest({ comic, panel, width: 768, height: 512 })
    expect(buildImageRequest({ comic, panel, width: 768, height: 512 }).seed).toBe(base.seed)
    expect(buildImageRequest({ comic, panel: { ...panel, seed: panel.seed + 1 }, width: 768, height: 512 }).seed).not.toBe(base.seed)
    const reseeded = { ...comic, characters: comic.characters.map((c) => (c.id === panel.characterIds[0] ? { ...c, seed: c.seed + 1 } : c)) }
    expect(buildImageRequest({ comic: reseeded, panel, width: 768, height: 512 }).seed).not.toBe(base.seed)
    expect(base.seed).toBeLessThan(2 ** 31)
  })

  it('change every prompt that shows an edited character, and only those', () => {
    const before = requestsOf(comic)
    const fox = comic.characters[0]
    const edited: MiniComic = {
      ...comic,
      characters: comic.characters.map((c) => (c.id === fox.id ? { ...c, look: { ...c.look, outfit: 'bright yellow raincoat and red boots' } } : c)),
    }
    const after = requestsOf(edited)
    comic.panels.forEach((panel, i) => {
      if (panel.characterIds.includes(fox.id)) {
        expect(after[i].prompt).toContain('bright yellow raincoat and red boots')
        expect(after[i].prompt).not.toContain(fox.look.outfit)
        expect(cacheKey(after[i])).not.toBe(cacheKey(before[i]))
      } else {
        expect(after[i]).toEqual(before[i])
        expect(cacheKey(after[i])).toBe(cacheKey(before[i]))
      }
    })
  })

  it('lists the characters\' reference images and clamps sizes to what engines accept', () => {
    const panel = comic.panels.find((p) => p.characterIds.length > 0) as MiniComic['panels'][number]
    const ref = `${'a'.repeat(64)}.png`
    const withRef = { ...comic, characters: comic.characters.map((c) => (c.id === panel.characterIds[0] ? { ...c, referenceImage: ref } : c)) }
    const r = buildImageRequest({ comic: withRef, panel, width: 10, height: 5000.4 })
    expect(r.references).toEqual([ref])
    expect(r.width).toBe(64)
    expect(r.height).toBe(2048)
  })

  it('tell the artist a manga reads right to left, and leave left-to-right requests (and their cache keys) as they were', () => {
    const panel = comic.panels.find((p) => p.characterIds.length > 1)!
    const ltr = buildImageRequest({ comic: { ...comic, readingOrder: 'ltr' }, panel, width: 768, height: 512 })
    expect(ltr.subject.readingOrder).toBeUndefined()
    expect(cacheKey(ltr)).toBe(cacheKey(buildImageRequest({ comic, panel, width: 768, height: 512 })))
    expect(buildImageRequest({ comic: { ...comic, readingOrder: 'rtl' }, panel, width: 768, height: 512 }).subject.readingOrder).toBe('rtl')
  })

  it('refuses a panel that names a character the comic does not have', () => {
    const panel = { ...comic.panels[1], characterIds: ['nobody'] }
    try {
      buildImageRequest({ comic, panel, width: 768, height: 512 })
      expect.unreachable()
    } catch (e) {
      expect((e as KitsumyError).code).toBe('bad_input')
    }
  })
})

describe('cache keys', () => {
  it('are the sha256 of a canonical request: stable under key order, sensitive to every field', () => {
    const [r] = requestsOf(comic).filter((x) => x.subject.characters.length > 0)
    const key = cacheKey(r)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    const reversed = (v: unknown): unknown => Array.isArray(v) ? v.map(reversed)
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v
    const shuffled = reversed(r) as ImageRequest
    expect(Object.keys(shuffled)).not.toEqual(Object.keys(r))
    expect(cacheKey(shuffled)).toBe(key)
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}')
    const variants: ImageRequest[] = [
      { ...r, seed: r.seed + 1 }, { ...r, prompt: `${r.prompt}!` }, { ...r, negative: '' }, { ...r, width: r.width + 16 },
      { ...r, height: r.height + 16 }, { ...r, styleId: 'ink-wash' }, { ...r, subject: { ...r.subject, shot: 'wide' } },
    ]
    for (const v of variants) expect(cacheKey(v)).not.toBe(key)
  })
})
