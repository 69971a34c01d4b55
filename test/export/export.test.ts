import { Resvg } from '@resvg/resvg-js'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import * as fontkit from 'fontkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Comic } from '../../src/contract/index.ts'
import { exportComic, type ExportOptions } from '../../src/export/export.ts'
import { fontsDir } from '../../src/pages/font-files.ts'
import { FONT_FACES } from '../../src/pages/fonts.ts'
import { layoutRects } from '../../src/pages/layouts.ts'
import { renderPageSvg } from '../../src/pages/render-svg.ts'
import { ltrSample, rtlSample, UKRAINIAN_LINE } from '../pages/sample-comic.ts'
import { decodePng, normalizeSpace, pdfInfo, pixel, pngHeader, run, unzip } from './inspect.ts'

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots')
const samples = { ltr: ltrSample(), rtl: rtlSample() }
type Name = keyof typeof samples
let dir = ''
const progress: Record<string, [number, number][]> = {}

function options(name: Name, format: ExportOptions['format'], out: string, extra: Partial<ExportOptions> = {}): ExportOptions {
  const key = `${name}.${format}`
  progress[key] = []
  return {
    format,
    out,
    loadImage: async (id) => {
      const bytes = samples[name].images.get(id)
      if (!bytes) throw new Error(`no image ${id}`)
      return bytes
    },
    onProgress: (done, total) => progress[key].push([done, total]),
    ...extra,
  }
}

function bubbleTexts(comic: Comic): string[] {
  return comic.pages.flatMap((p) => p.panels.flatMap((panel) => panel.bubbles.map((b) => b.text)))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitsumy-export-'))
  for (const name of ['ltr', 'rtl'] as const) {
    await exportComic(samples[name].comic, options(name, 'pdf', join(dir, `${name}.pdf`), { dpi: 150 }))
    await exportComic(samples[name].comic, options(name, 'cbz', join(dir, `${name}.cbz`)))
    await exportComic(samples[name].comic, options(name, 'png', join(dir, `${name}-pages`), { dpi: 150 }))
  }
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('PDF export', () => {
  for (const name of ['ltr', 'rtl'] as const) {
    it(`${name}: one US-comic page per comic page, with the comic's metadata and language`, () => {
      const { comic } = samples[name]
      const file = join(dir, `${name}.pdf`)
      const info = pdfInfo(file)
      expect(Number(info.Pages)).toBe(comic.pages.length)
      expect(info['Page size']).toBe('477 x 738 pts')
      expect(info.Title).toBe(comic.title)
      expect(info.Author).toBe('Kitsumy Studio')
      expect(info.Subject).toBe(comic.summary)
      expect(readFileSync(file).includes(`/Lang (${comic.language})`)).toBe(true)
    })

    it(`${name}: lettering is vector text in embedded fonts that poppler reads back in reading order`, () => {
      const { comic } = samples[name]
      const file = join(dir, `${name}.pdf`)
      const text = normalizeSpace(run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']))
      let at = 0
      for (const bubble of bubbleTexts(comic)) {
        const found = text.indexOf(normalizeSpace(bubble), at)
        expect(found, `"${bubble}" in order`).toBeGreaterThanOrEqual(at)
        at = found
      }
      const fonts = run('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim())
      expect(fonts.length).toBeGreaterThan(0)
      for (const line of fonts) {
        expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
        expect(line).not.toMatch(/Helvetica|Times|Courier/)
      }
    })
  }

  it('letters the Ukrainian line in a shipped font with every glyph, embedded and read back by poppler', () => {
    const { comic } = samples.rtl
    const svg = renderPageSvg(comic, 0, { imageHref: () => '' })
    const text = [...svg.matchAll(/<text ([^>]*)>(.*?)<\/text>/g)].find((m) => m[2].includes('Два'))
    expect(text).toBeDefined()
    const family = /font-family="([^"]+)"/.exec(text?.[1] ?? '')?.[1]
    const weight = text?.[1].includes('font-weight="bold"') ? 700 : 400
    const face = FONT_FACES.find((f) => f.family === family && f.weight === weight)
    expect(face, `${family} ${weight}`).toBeDefined()
    const font = fontkit.openSync(join(fontsDir(), face?.file ?? '')) as fontkit.Font
    for (const ch of UKRAINIAN_LINE.replace(/\s/g, '')) {
      const cp = ch.codePointAt(0) as number
      expect(font.glyphForCodePoint(cp).id, `${ch} U+${cp.toString(16)} in ${face?.file}`).toBeGreaterThan(0)
    }
    const file = join(dir, 'rtl.pdf')
    expect(normalizeSpace(run('pdftotext', ['-f', '1', '-l', '1', '-raw', '-enc', 'UTF-8', file, '-']))).toContain(UKRAINIAN_LINE)
    expect(run('pdffonts', ['-f', '1', '-l', '1', file])).toMatch(new RegExp(`\\+${font.postscriptName}\\s+CID TrueType\\s+Identity-H\\s+yes`))
  })

  it('rasterises SVG panel art at the requested resolution, once per image', () => {
    const lines = run('pdfimages', ['-list', join(dir, 'ltr.pdf')]).split('\n').slice(2).filter((l) => l.trim())
    const drawn = samples.ltr.comic.pages.flatMap((p) => p.panels).filter((p) => p.image)
    expect(lines.length).toBe(drawn.length)
    for (const line of lines) {
      const cols = line.trim().split(/\s+/)
      expect(cols[2]).toBe('image')
      expect(cols[5]).toBe('rgb')
      const ppi = Math.max(Number(cols[12]), Number(cols[13]))
      expect(ppi).toBeGreaterThanOrEqual(148)
      expect(ppi).toBeLessThan(160)
    }
  })

  it('prints to A4 and US Letter trims', async () => {
    for (const [trim, size] of [['a4', '595.28 x 841.89 pts (A4)'], ['letter', '612 x 792 pts (letter)']] as const) {
      const out = join(dir, `trim-${trim}.pdf`)
      const result = await exportComic(samples.ltr.comic, options('ltr', 'pdf', out, { trim, dpi: 72 }))
      expect(result).toEqual({ files: [out], pages: 2 })
      expect(pdfInfo(out)['Page size']).toBe(size)
    }
  })

  it('saves screenshots of an LTR page and a manga page as drawn by poppler', () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    for (const [name, page] of [['ltr', 1], ['rtl', 1]] as const) {
      const base = join(SCREENSHOTS, `${name}-page-${page}`)
      run('pdftoppm', ['-png', '-r', '100', '-f', String(page), '-l', String(page), '-singlefile', join(dir, `${name}.pdf`), base])
      const shot = decodePng(readFileSync(`${base}.png`))
      expect(shot.width).toBe(663)
      expect(shot.height).toBe(1025)
      // Poppler drew the panel border where the layout put it: dark ink at the first panel's top edge.
      const r = layoutRects(samples[name].comic.pages[page - 1].layout, 'us-comic', samples[name].comic.readingOrder)[0]
      const [red] = pixel(shot, (r.x + r.width / 2) * 100 / 72, r.y * 100 / 72)
      expect(red).toBeLessThan(90)
      expect(pixel(shot, 3, 3)).toEqual([255, 255, 255])
    }
  })
})

describe('CBZ export', () => {
  for (const name of ['ltr', 'rtl'] as const) {
    it(`${name}: PNG pages in reading order plus a well-formed ComicInfo.xml`, async () => {
      const { comic } = samples[name]
      const entries = await unzip(readFileSync(join(dir, `${name}.cbz`)))
      expect(entries.map((e) => e.name)).toEqual(['page-001.png', 'page-002.png', 'ComicInfo.xml'])
      const pages = entries.slice(0, 2)
      for (const p of pages) {
        expect(p.compressed).toBe(false)
        expect(pngHeader(p.data)).toEqual({ width: 1325, height: 2050, colorType: 2 })
      }
      const xml = entries[2].data.toString('utf8')
      expect(XMLValidator.validate(xml)).toBe(true)
      const info = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml).ComicInfo
      expect(info.Title).toBe(comic.title)
      expect(info.Summary).toBe(comic.summary)
      expect(info.Writer).toBe('Kitsumy Studio')
      expect(info.PageCount).toBe('2')
      expect(info.LanguageISO).toBe(comic.language)
      expect(info.Manga).toBe(name === 'rtl' ? 'YesAndRightToLeft' : 'No')
      expect(info.Characters).toBe('Murka, Barsik')
      const list = info.Pages.Page as Record<string, string>[]
      expect(list.map((p) => p['@_Image'])).toEqual(['0', '1'])
      list.forEach((p, i) => {
        const header = pngHeader(pages[i].data)
        expect(p['@_Type']).toBe('Story')
        expect(Number(p['@_ImageWidth'])).toBe(header.width)
        expect(Number(p['@_ImageHeight'])).toBe(header.height)
        expect(Number(p['@_ImageSize'])).toBe(pages[i].data.length)
      })
      // Each page is the one the comic has at that place: its first panel is where its layout says.
      pages.forEach((p, i) => {
        const img = decodePng(p.data)
        const r = layoutRects(comic.pages[i].layout, 'us-comic', comic.readingOrder)[0]
        const [red] = pixel(img, (r.x + r.width / 2) * 200 / 72, (r.y + 0.3) * 200 / 72)
        expect(red).toBeLessThan(90)
      })
    })
  }
})

describe('PNG export', () => {
  it('writes page-NN.png at the chosen dpi, decodable, in order', () => {
    for (const name of ['ltr', 'rtl'] as const) {
      const folder = join(dir, `${name}-pages`)
      expect(readdirSync(folder).sort()).toEqual(['page-01.png', 'page-02.png'])
      const decoded = decodePng(readFileSync(join(folder, 'page-01.png')))
      expect(decoded.width).toBe(Math.round(477 * 150 / 72))
      expect(decoded.height).toBe(Math.round(738 * 150 / 72))
      let inked = 0
      for (let i = 0; i < decoded.pixels.length; i += 4 * 97) if (decoded.pixels[i] < 250) inked++
      expect(inked / (decoded.pixels.length / (4 * 97))).toBeGreaterThan(0.5)
    }
  })
})

describe('export behaviour', () => {
  it('reports progress page by page, from 0 to the page count', () => {
    for (const key of ['ltr.pdf', 'ltr.cbz', 'rtl.png']) {
      expect(progress[key]?.[0]).toEqual([0, 2])
      expect(progress[key]?.at(-1)).toEqual([2, 2])
      const done = progress[key].map(([d]) => d)
      expect(done).toEqual([...done].sort((a, b) => a - b))
    }
  })

  it('stops when cancelled and leaves no file behind', async () => {
    for (const format of ['pdf', 'cbz'] as const) {
      const controller = new AbortController()
      const out = join(dir, `cancelled.${format}`)
      const opts = options('ltr', format, out, { signal: controller.signal, dpi: 72 })
      opts.onProgress = (done) => { if (done === 1) controller.abort() }
      await expect(exportComic(samples.ltr.comic, opts)).rejects.toMatchObject({ code: 'cancelled' })
      expect(existsSync(out)).toBe(false)
      expect(existsSync(`${out}.part`)).toBe(false)
    }
  })

  it('refuses a broken comic, a missing image and WebP art with clear errors', async () => {
    const out = join(dir, 'bad.pdf')
    const broken = { ...samples.ltr.comic, id: 'not an id!' }
    await expect(exportComic(broken, options('ltr', 'pdf', out))).rejects.toMatchObject({ code: 'bad_input' })
    await expect(exportComic(samples.ltr.comic, { ...options('ltr', 'pdf', out), loadImage: async () => { throw new Error('ENOENT') } }))
      .rejects.toMatchObject({ code: 'not_found' })
    const webp = Buffer.from('RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00', 'latin1')
    await expect(exportComic(samples.ltr.comic, { ...options('ltr', 'pdf', out), loadImage: async () => webp }))
      .rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('WebP') })
    await expect(exportComic(samples.ltr.comic, { ...options('ltr', 'pdf', out), dpi: 5000 })).rejects.toMatchObject({ code: 'bad_input' })
    expect(existsSync(out)).toBe(false)
  })

  it('embeds PNG art from cloud engines as it is, without resampling', async () => {
    const { comic, images } = samples.ltr
    const pngImages = new Map<string, Uint8Array>()
    const pages = comic.pages.map((page) => ({
      ...page,
      panels: page.panels.map((panel) => {
        if (!panel.image) return panel
        const png = new Resvg(Buffer.from(images.get(panel.image) as Uint8Array), { background: '#fff' }).render().asPng()
        const id = `${createHash('sha256').update(png).digest('hex')}.png`
        pngImages.set(id, png)
        return { ...panel, image: id }
      }),
    }))
    const out = join(dir, 'png-art.pdf')
    await exportComic({ ...comic, pages }, { format: 'pdf', out, dpi: 72, loadImage: async (id) => pngImages.get(id) as Uint8Array })
    // RGBA art keeps its alpha as a soft mask; the picture itself is the 'image' row.
    const sizes = run('pdfimages', ['-list', out]).split('\n').slice(2).map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[2] === 'image').map((cols) => `${cols[3]}x${cols[4]}`).sort()
    const expected = [...pngImages.values()].map((png) => `${pngHeader(png).width}x${pngHeader(png).height}`).sort()
    expect(sizes).toEqual(expected)
    expect(normalizeSpace(run('pdftotext', ['-raw', out, '-']))).toContain('We have to save it!')
  })
})
