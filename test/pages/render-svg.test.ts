import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/index.ts'
import { layoutRects } from '../../src/pages/layouts.ts'
import { renderPageSvg } from '../../src/pages/render-svg.ts'
import { ltrSample, rtlSample, UKRAINIAN_LINE } from './sample-comic.ts'

const studioHref = (id: string) => `/files/${id}`

function attr(tag: string, name: string): string | null {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null
}

function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((m) =>
    [...m[1].matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((t) => t[1]).join(' ') || m[1].replace(/<[^>]+>/g, ''))
}

describe('page renderer', () => {
  it('draws panels, their art and their lettering as one well-formed SVG in page units', () => {
    const { comic } = ltrSample()
    const page = comic.pages[0]
    const svg = renderPageSvg(comic, 0, { imageHref: studioHref })
    expect(XMLValidator.validate(svg)).toBe(true)
    expect(svg).toMatch(/^<svg [^>]*width="477" height="738" viewBox="0 0 477 738"/)
    const images = [...svg.matchAll(/<image [^>]*>/g)].map((m) => m[0])
    expect(images.length).toBe(page.panels.length)
    page.panels.forEach((p, i) => {
      const r = layoutRects(page.layout)[i]
      const img = images[i]
      expect(attr(img, 'href')).toBe(`/files/${p.image}`)
      expect(Number(attr(img, 'x'))).toBeCloseTo(r.x, 1)
      expect(Number(attr(img, 'width'))).toBeCloseTo(r.width, 1)
      expect(attr(img, 'preserveAspectRatio')).toBe('xMidYMid slice')
    })
    const texts = textsOf(svg)
    for (const b of page.panels.flatMap((p) => p.bubbles)) {
      expect(texts.some((t) => t === b.text), b.text).toBe(true)
    }
    // Clip ids carry the page id, so several pages can share one HTML document.
    const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.every((id) => id.startsWith(`k-${page.id}-`))).toBe(true)
    expect(svg).not.toContain('<style>')
  })

  it('draws a tidy placeholder for panels without art and marks failed ones', () => {
    const { comic } = ltrSample()
    const svg = renderPageSvg(comic, 1, { imageHref: studioHref })
    const undrawn = comic.pages[1].panels.filter((p) => !p.image)
    expect(undrawn.length).toBe(1)
    expect([...svg.matchAll(/<image /g)].length).toBe(comic.pages[1].panels.length - 1)
    expect(svg).toContain(`data-panel-id="${undrawn[0].id}" data-status="pending"`)
    comic.pages[1].panels[3] = { ...comic.pages[1].panels[3], status: 'failed', error: 'capacity' }
    const failed = renderPageSvg(comic, 1, { imageHref: studioHref })
    expect(failed).toContain('data-status="failed"')
    expect(failed).toContain('#f7eded')
    expect(XMLValidator.validate(failed)).toBe(true)
  })

  it('mirrors a manga page: the first panel is on the right and the Ukrainian line is real text', () => {
    const { comic } = rtlSample()
    const svg = renderPageSvg(comic, 0, { imageHref: studioHref })
    const first = /<image [^>]*>/.exec(svg)?.[0] ?? ''
    const right = Number(attr(first, 'x')) + Number(attr(first, 'width'))
    expect(right).toBeCloseTo(477 - 24, 1)
    expect(Number(attr(first, 'x'))).toBeGreaterThan(24 + 100)
    expect(textsOf(svg).join(' ').replace(/\s+/g, ' ')).toContain(UKRAINIAN_LINE.split(' ').slice(0, 2).join(' '))
    const line = [...svg.matchAll(/<text [^>]*>(.*?)<\/text>/g)].find((m) => m[1].includes('Два'))
    expect(line?.[0]).toContain('font-family="Comic Relief"')
  })

  it('inlines or links only the fonts the page uses when asked', () => {
    const { comic } = ltrSample()
    const inline = renderPageSvg(comic, 0, { imageHref: studioHref, embedFonts: true })
    expect(XMLValidator.validate(inline)).toBe(true)
    const faces = [...inline.matchAll(/@font-face\{font-family:"([^"]+)";font-weight:(\d+)/g)].map((m) => `${m[1]} ${m[2]}`)
    expect(faces.sort()).toEqual(['Bangers 400', 'Comic Neue 400', 'Comic Neue 700', 'Patrick Hand 400'])
    expect(inline).toContain('src:url("data:font/ttf;base64,')
    const linked = renderPageSvg(comic, 0, { imageHref: studioHref, fontUrl: (f) => `/fonts/${f}` })
    expect(linked).toContain('src:url("/fonts/ComicNeue-Bold.ttf")')
    expect(linked.length).toBeLessThan(inline.length / 10)
  })

  it('renders a page whose layout no longer fits its panels, and refuses a page that does not exist', () => {
    const { comic } = ltrSample()
    comic.pages[0] = { ...comic.pages[0], layout: 'grid-2x2', panels: comic.pages[0].panels.slice(0, 3) }
    const svg = renderPageSvg(comic, 0, { imageHref: studioHref })
    expect(attr(svg.slice(0, 400), 'data-layout')).not.toBe('grid-2x2')
    expect([...svg.matchAll(/<image /g)].length).toBe(3)
    expect(() => renderPageSvg(comic, 5, { imageHref: studioHref })).toThrow(KitsumyError)
  })

  it('scales the page and its lettering to the trim', () => {
    const { comic } = ltrSample()
    const a4 = renderPageSvg(comic, 0, { imageHref: studioHref, trim: 'a4' })
    expect(a4).toMatch(/viewBox="0 0 595.28 841.89"/)
    const size = (svg: string) => Number(/<tspan[^>]*>/.exec(svg) && /font-size="([\d.]+)"/.exec(svg.slice(svg.indexOf('data-kind="speech"')))?.[1])
    expect(size(a4) / size(renderPageSvg(comic, 0, { imageHref: studioHref }))).toBeCloseTo(595.28 / 477, 1)
  })
})
