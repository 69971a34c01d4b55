import { beforeAll, describe, expect, it } from 'vitest'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { Resvg } from '@resvg/resvg-js'
import { ImageRequest, KitsumyError, STYLE_IDS, type Shot, type StyleId } from '../../src/contract/index.ts'
import { drawPanel, OfflineArtist } from '../../src/art/offline-artist.ts'
import { buildImageRequest } from '../../src/art/request.ts'
import { knowsColour } from '../../src/art/sketch-colours.ts'
import { readScene } from '../../src/art/sketch-scene.ts'
import { figureSpec } from '../../src/art/sketch-figure.ts'
import { OfflineWriter } from '../../src/story/offline-writer.ts'
import { writeComic, type MiniComic } from './fixtures.ts'

let comic: MiniComic
const artist = new OfflineArtist()
const options = () => ({ signal: new AbortController().signal })

beforeAll(async () => {
  comic = await writeComic('A fox detective in rainy Kyiv', 'modern-superhero')
})

const fox = {
  id: 'fox', name: 'Myron', seed: 11,
  look: { face: 'fox face with a pointed muzzle, amber eyes, white cheeks, black-tipped pointed ears', hair: 'rust orange fur, white chest, bushy fox tail with a white tip', build: 'lean, upright, medium height', outfit: 'belted camel trench coat, charcoal grey fedora hat, striped scarf', colors: ['rust orange', 'cream', 'camel', 'charcoal grey'] },
}
const girl = {
  id: 'lina', name: 'Lina', seed: 42,
  look: { face: 'round freckled face, light peach skin, green eyes', hair: 'short chestnut bob with bangs', build: 'small, child-sized', outfit: 'crimson hoodie, navy blue cap', colors: ['light peach', 'chestnut', 'crimson', 'navy blue'] },
}

function request(over: { shot?: Shot; scene?: string; styleId?: StyleId; seed?: number; characters?: Array<typeof fox>; width?: number; height?: number } = {}): ImageRequest {
  return ImageRequest.parse({
    prompt: 'p', negative: 'n', seed: over.seed ?? 5, width: over.width ?? 768, height: over.height ?? 512, styleId: over.styleId ?? 'modern-superhero', references: [],
    subject: { shot: over.shot ?? 'medium-wide', scene: over.scene ?? 'Myron talks to Lina. A narrow cobblestone street with old houses and street lamps in Kyiv, at dusk', characters: over.characters ?? [fox, girl] },
  })
}

async function svgOf(r: ImageRequest): Promise<string> {
  const result = await artist.generate(r, options())
  return new TextDecoder().decode(result.bytes)
}

// The character's identity head, with the panel's pattern ids normalised away.
function headOf(svg: string, id: string): string {
  const group = svg.slice(svg.indexOf(`data-character="${id}"`))
  const m = /<g data-part="head"[^>]*>(.*?)<\/g><g transform/.exec(group)
  expect(m, `head of ${id}`).not.toBeNull()
  return (m as RegExpExecArray)[1].replace(/url\(#[^)]+\)/g, 'url(#)')
}

function colours(markup: string): Set<string> {
  return new Set([...markup.matchAll(/(?:fill|stroke|stop-color)="(#[0-9a-f]{6})"/gi)].map((m) => m[1].toLowerCase()))
}

describe('the offline sketch artist', () => {
  it('answers as a free, offline engine with an SVG', async () => {
    const result = await artist.generate(request(), options())
    expect(artist.id).toBe('offline')
    expect(result.mime).toBe('image/svg+xml')
    expect(result.costUsd).toBe(0)
    expect(result.provider).toBe('offline')
    expect(result.bytes.byteLength).toBeGreaterThan(1000)
  })

  it('is deterministic', async () => {
    expect(await svgOf(request())).toBe(await svgOf(request()))
    expect(await svgOf(request({ seed: 6 }))).not.toBe(await svgOf(request()))
  })

  it('draws every panel of a comic as valid, self-contained SVG of the requested size, in every style', () => {
    const parser = new XMLParser({ ignoreAttributes: false })
    for (const [s, styleId] of STYLE_IDS.entries()) {
      const styled = { ...comic, styleId }
      styled.panels.forEach((panel, i) => {
        // A third of the panels per style, rotating, so together the styles cover every panel.
        if (i % 3 !== s % 3) return
        const r = buildImageRequest({ comic: styled, panel, width: 640 + (i % 2) * 128, height: 448 })
        const svg = drawPanel(r)
        if (i % 2 === 0) {
          expect(XMLValidator.validate(svg), `${styleId} panel ${i}`).toBe(true)
          expect(parser.parse(svg).svg['@_viewBox']).toBe(`0 0 ${r.width} ${r.height}`)
        }
        expect(svg.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${r.width} ${r.height}"`)).toBe(true)
        expect(svg.endsWith('</svg>')).toBe(true)
        expect(svg).not.toMatch(/<text|<image|<script|<foreignObject|href=|NaN|Infinity|undefined/)
        expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|file:/)
        const dangling = [...svg.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]).filter((id) => !svg.includes(`id="${id}"`))
        expect(dangling, `${styleId} panel ${i}`).toEqual([])
        const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])
        expect(new Set(ids).size).toBe(ids.length)
        expect(svg.length).toBeLessThan(30_000)
      })
    }
  })

  it('stands the first character where reading starts: on the left, or on the right for manga', () => {
    const xOf = (svg: string, id: string) => Number(new RegExp(`data-character="${id}" transform="translate\\(([-\\d.]+)`).exec(svg)![1])
    const ltr = drawPanel(request({}))
    const rtl = drawPanel(ImageRequest.parse({ ...request({}), subject: { ...request({}).subject, readingOrder: 'rtl' } }))
    expect(xOf(ltr, fox.id)).toBeLessThan(xOf(ltr, girl.id))
    expect(xOf(rtl, fox.id)).toBeGreaterThan(xOf(rtl, girl.id))
  })

  it('copes with sparse bibles, crowds and extreme sizes', () => {
    const blank = { id: 'x', name: 'Зоря', seed: 0, look: { face: '', hair: '', build: '', outfit: '', colors: [] } }
    for (const [width, height] of [[64, 64], [2048, 300], [300, 2048]]) {
      for (const shot of ['extreme-close-up', 'over-the-shoulder', 'wide'] as Shot[]) {
        const svg = drawPanel(request({ shot, scene: '', width, height, characters: [blank, { ...blank, id: 'y' }, { ...blank, id: 'z' }, { ...blank, id: 'w' }, { ...blank, id: 'v' }] }))
        expect(XMLValidator.validate(svg)).toBe(true)
        expect(svg).not.toMatch(/NaN|Infinity|undefined/)
      }
    }
  })

  it('draws the same character the same way in different panels, shots and scenes', async () => {
    const a = await svgOf(request({ shot: 'medium-wide', scene: 'Myron talks to Lina. A narrow cobblestone street in Kyiv, at dusk', seed: 1 }))
    const b = await svgOf(request({ shot: 'close-up', scene: 'Close on Myron, shocked. A forest clearing with tall trees, at night', seed: 99, characters: [fox] }))
    const c = await svgOf(request({ shot: 'wide', scene: 'Lina and Myron run at full speed. A sandy beach by the sea', seed: 1234, characters: [girl, fox] }))
    expect(headOf(b, 'fox')).toBe(headOf(a, 'fox'))
    expect(headOf(c, 'fox')).toBe(headOf(a, 'fox'))
    expect(headOf(c, 'lina')).toBe(headOf(a, 'lina'))
    expect(colours(headOf(b, 'fox'))).toEqual(colours(headOf(a, 'fox')))
    expect(headOf(a, 'lina')).not.toBe(headOf(a, 'fox'))
  })

  it('draws a character from their bible: an edited look changes the drawing', async () => {
    const recoloured = { ...fox, look: { ...fox.look, hair: 'snow white fur, bushy fox tail', colors: ['snow white', 'cream', 'camel', 'charcoal grey'] } }
    const before = headOf(await svgOf(request({ characters: [fox] })), 'fox')
    const after = headOf(await svgOf(request({ characters: [recoloured] })), 'fox')
    expect(after).not.toBe(before)
    const cat = { ...fox, look: { ...fox.look, face: 'cat face with a small pink nose, whiskers, green eyes, pointed ears' } }
    expect(headOf(await svgOf(request({ characters: [cat] })), 'fox')).not.toBe(before)
  })

  it('gives different styles different palettes and line work', async () => {
    const palettes = new Map<StyleId, Set<string>>()
    for (const styleId of STYLE_IDS) palettes.set(styleId, colours(await svgOf(request({ styleId }))))
    for (const a of STYLE_IDS) {
      for (const b of STYLE_IDS) {
        if (a >= b) continue
        const pa = palettes.get(a) as Set<string>
        const pb = palettes.get(b) as Set<string>
        const shared = [...pa].filter((c) => pb.has(c)).length
        expect(shared / Math.min(pa.size, pb.size), `${a} vs ${b}`).toBeLessThan(0.6)
      }
    }
    const noir = await svgOf(request({ styleId: 'classic-noir' }))
    expect(noir).toMatch(/<pattern[^>]+rotate\((45|-40)\)/)
    const noirColours = [...colours(noir)]
    expect(noirColours.every((c) => parseInt(c.slice(1, 3), 16) === parseInt(c.slice(3, 5), 16) || c === '#f5f5f0')).toBe(true)
    expect(await svgOf(request({ styleId: 'shonen', scene: 'Myron runs at full speed. A street' }))).toMatch(/<pattern[^>]*><circle/)
    expect(await svgOf(request({ styleId: 'golden-age' }))).toMatch(/fill-opacity=".55"/)
  })

  it('frames shots: a close-up shows a big head, a wide shot small figures, an establishing shot the place', async () => {
    const scaleOf = (svg: string) => Number(/class="ch"[^>]*scale\((-?[\d.]+)/.exec(svg)?.[1] ?? NaN)
    const closeUp = scaleOf(await svgOf(request({ shot: 'close-up', characters: [fox] })))
    const medium = scaleOf(await svgOf(request({ shot: 'medium', characters: [fox] })))
    const wide = scaleOf(await svgOf(request({ shot: 'wide', characters: [fox] })))
    const establishing = scaleOf(await svgOf(request({ shot: 'establishing', characters: [fox] })))
    expect(Math.abs(closeUp)).toBeGreaterThan(Math.abs(medium))
    expect(Math.abs(medium)).toBeGreaterThan(Math.abs(wide))
    expect(Math.abs(wide)).toBeGreaterThan(Math.abs(establishing))
    const ots = await svgOf(request({ shot: 'over-the-shoulder' }))
    expect(ots).toMatch(/class="ch back" data-character="fox"/)
    const clue = await svgOf(request({ shot: 'extreme-close-up', scene: 'Extreme close-up of a clue: a black feather. A street', characters: [] }))
    expect(clue).not.toMatch(/class="ch/)
  })

  it('reads the backdrop from the scene', async () => {
    const kinds: Record<string, string> = {
      'A narrow cobblestone street with old houses': 'street', 'Rooftops above the city with chimneys': 'rooftop', 'A small café with round tables': 'cafe',
      'Inside an old tram car with wooden seats': 'tramInside', 'A tram stop with tram tracks': 'tramStreet', 'A deep green forest of tall trees': 'forest',
      'A cosy room with a desk': 'room', 'A sandy beach by the sea': 'sea', 'Establishing view of Kyiv: golden domes above the river': 'city',
      'Лисиця йде вулицею': 'street', 'Кіт на даху': 'rooftop',
    }
    for (const [scene, kind] of Object.entries(kinds)) expect(readScene(scene).kind, scene).toBe(kind)
    const weather = readScene('A street at night, in heavy rain with puddles')
    expect([weather.time, weather.rain, weather.wet]).toEqual(['night', true, true])
    expect(readScene('A forest in falling snow').snow).toBe(true)

    const drawn = new Set<string>()
    for (const scene of Object.keys(kinds).slice(0, 9)) drawn.add((await svgOf(request({ scene, characters: [] }))).replace(/ id="[^"]+"|url\(#[^)]+\)/g, ''))
    expect(drawn.size).toBe(9)
    const dry = await svgOf(request({ scene: 'A street at night' }))
    const wet = await svgOf(request({ scene: 'A street at night, in heavy rain' }))
    expect(wet).toMatch(/rain/)
    expect(dry).not.toMatch(/rain/)
  })

  it('knows every colour word the offline writer puts in a bible', async () => {
    const ideas = ['A fox detective in rainy Kyiv', 'Two cats save an old tram', 'A robot on Mars', 'A witch and a ghost in a castle', 'Дівчинка і дракон шукають корону', 'An owl, a frog and a hedgehog by the sea', 'A lion, a tiger and a panda', 'A penguin, a duck, a squirrel and a dinosaur']
    for (const idea of ideas) {
      for (const seed of [1, 2, 3]) {
        const script = await new OfflineWriter().write({ idea, styleId: 'webtoon', pages: 1, language: 'en', seed }, options())
        for (const c of script.characters) for (const colour of c.look.colors) expect(knowsColour(colour), `${idea}: ${colour}`).toBe(true)
      }
    }
  })

  it('draws each animal the writer casts on a body it knows, from the bible\'s words alone', async () => {
    const expected: Record<string, string> = { lion: 'cat', tiger: 'cat', panda: 'bear', penguin: 'bird', duck: 'bird', squirrel: 'mouse', dinosaur: 'dragon' }
    for (const [animal, body] of Object.entries(expected)) {
      const script = await new OfflineWriter().write({ idea: `A ${animal} saves the old tram`, styleId: 'webtoon', pages: 1, language: 'en', seed: 1 }, options())
      const lead = script.characters[0]
      expect(lead.role, animal).toMatch(animal === 'lion' ? /lion/ : animal === 'tiger' ? /tig/ : new RegExp(animal))
      expect(figureSpec({ seed: 1, look: lead.look }).body, animal).toBe(body)
    }
    const tired = { face: 'narrow face, pale skin, grey panda eyes', hair: 'short black hair', build: 'slim and tall', outfit: 'grey suit', colors: ['pale', 'black', 'grey', 'white'] }
    expect(figureSpec({ seed: 1, look: tired }).body).toBe('human')
  })

  it('renders to pixels with resvg', () => {
    for (const styleId of ['cinematic-photo', 'pop-art', 'shojo', 'classic-noir'] as StyleId[]) {
      const png = new Resvg(drawPanel(request({ styleId, width: 192, height: 128 }))).render()
      expect(png.width).toBe(192)
      const pixels = png.pixels
      let min = 255
      let max = 0
      for (let i = 0; i < pixels.length; i += 4) {
        min = Math.min(min, pixels[i])
        max = Math.max(max, pixels[i])
      }
      expect(max - min, styleId).toBeGreaterThan(100)
    }
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(artist.generate(request(), { signal: controller.signal })).rejects.toBeInstanceOf(KitsumyError)
    await artist.generate(request(), { signal: controller.signal }).catch((e: KitsumyError) => expect(e.code).toBe('cancelled'))
  })
})
