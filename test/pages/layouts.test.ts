import { describe, expect, it } from 'vitest'
import { Trim } from '../../src/contract/index.ts'
import { LAYOUTS, chooseLayout, getLayout, layoutRects, layoutsFor, panelSize, resolveLayout } from '../../src/pages/layouts.ts'
import { pageFrame, type Rect } from '../../src/pages/trim.ts'

const EPS = 1e-6
const ORDERS = ['ltr', 'rtl'] as const
const ALL_LAYOUTS = [...LAYOUTS.map((l) => l.id), 'auto-7', 'auto-9', 'auto-12']

// Distance between two rectangles along the axis that separates them (negative when they overlap).
function separation(a: Rect, b: Rect): number {
  const dx = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width))
  const dy = Math.max(b.y - (a.y + a.height), a.y - (b.y + b.height))
  return Math.max(dx, dy)
}

describe('page layouts', () => {
  it('offers at least 12 templates covering 1 to 6 panels, with splash, strips and establishing shots', () => {
    expect(LAYOUTS.length).toBeGreaterThanOrEqual(12)
    for (let count = 1; count <= 6; count++) {
      expect(layoutsFor(count).length, `${count} panels`).toBeGreaterThanOrEqual(count === 1 ? 1 : 2)
      for (const l of layoutsFor(count)) expect(l.panelCount).toBe(count)
    }
    expect(LAYOUTS.map((l) => l.id)).toEqual(expect.arrayContaining(['splash', 'three-strips', 'establishing-two', 'grid-2x2', 'grid-3x2']))
    expect(new Set(LAYOUTS.map((l) => l.id)).size).toBe(LAYOUTS.length)
  })

  it('keeps every panel inside the margins, with a gutter between neighbours and no overlap', () => {
    for (const trim of Trim.options) {
      const { live, gutter, page } = pageFrame(trim)
      expect(live.x).toBeGreaterThan(0)
      expect(live.y + live.height).toBeLessThan(page.height)
      for (const id of ALL_LAYOUTS) {
        for (const order of ORDERS) {
          const rects = layoutRects(id, trim, order)
          expect(rects.length).toBe(getLayout(id)?.panelCount)
          for (const r of rects) {
            expect(r.width, `${id} ${trim}`).toBeGreaterThan(40)
            expect(r.height, `${id} ${trim}`).toBeGreaterThan(40)
            expect(r.x).toBeGreaterThanOrEqual(live.x - EPS)
            expect(r.y).toBeGreaterThanOrEqual(live.y - EPS)
            expect(r.x + r.width).toBeLessThanOrEqual(live.x + live.width + EPS)
            expect(r.y + r.height).toBeLessThanOrEqual(live.y + live.height + EPS)
          }
          for (let i = 0; i < rects.length; i++) {
            for (let j = i + 1; j < rects.length; j++) {
              expect(separation(rects[i], rects[j]), `${id} panels ${i} and ${j}`).toBeGreaterThanOrEqual(gutter - EPS)
            }
          }
        }
      }
    }
  })

  it('fills the live area edge to edge (no stray blank strips)', () => {
    const { live, gutter } = pageFrame('us-comic')
    for (const id of ALL_LAYOUTS) {
      const rects = layoutRects(id)
      const area = rects.reduce((sum, r) => sum + r.width * r.height, 0)
      expect(area / (live.width * live.height), id).toBeGreaterThan(0.85)
      expect(Math.min(...rects.map((r) => r.x))).toBeCloseTo(live.x)
      expect(Math.max(...rects.map((r) => r.x + r.width))).toBeCloseTo(live.x + live.width)
      expect(Math.max(...rects.map((r) => r.y + r.height))).toBeCloseTo(live.y + live.height)
      expect(gutter).toBeGreaterThan(0)
    }
  })

  it('mirrors the page for right-to-left reading, keeping panel order as reading order', () => {
    for (const trim of Trim.options) {
      const { page } = pageFrame(trim)
      for (const id of ALL_LAYOUTS) {
        const ltr = layoutRects(id, trim, 'ltr')
        const rtl = layoutRects(id, trim, 'rtl')
        ltr.forEach((a, i) => {
          const b = rtl[i]
          expect(b.x).toBeCloseTo(page.width - (a.x + a.width), 6)
          expect(b.y).toBeCloseTo(a.y, 6)
          expect(b.width).toBeCloseTo(a.width, 6)
          expect(b.height).toBeCloseTo(a.height, 6)
        })
      }
    }
    // The first panel of a two-panel tier starts at the left in LTR and at the right in RTL.
    const [ltrFirst, ltrSecond] = layoutRects('grid-2x2', 'us-comic', 'ltr')
    const [rtlFirst, rtlSecond] = layoutRects('grid-2x2', 'us-comic', 'rtl')
    expect(ltrFirst.x).toBeLessThan(ltrSecond.x)
    expect(rtlFirst.x).toBeGreaterThan(rtlSecond.x)
  })

  it('sizes panel images in multiples of 64 with the panel aspect, so art fills a panel without a bad crop', () => {
    for (const id of ALL_LAYOUTS) {
      const rects = layoutRects(id)
      rects.forEach((r, i) => {
        for (const base of [512, 768, 1024]) {
          const size = panelSize(id, i, base)
          expect(size.width % 64, `${id}#${i}`).toBe(0)
          expect(size.height % 64).toBe(0)
          expect(size.width).toBeGreaterThanOrEqual(256)
          expect(size.height).toBeGreaterThanOrEqual(256)
          expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(2048)
          const crop = Math.abs(Math.log((size.width / size.height) / (r.width / r.height)))
          expect(crop, `${id}#${i} at ${base}`).toBeLessThan(base >= 768 ? 0.12 : 0.3)
        }
        const big = panelSize(id, i, 1024)
        expect(big.width * big.height).toBeGreaterThan(0.7 * 1024 * 1024)
      })
    }
    expect(() => panelSize('grid-2x2', 4, 1024)).toThrow()
  })

  it('chooses a fitting layout from the seed, the same one every time, and falls back when a page changed', () => {
    for (let count = 1; count <= 6; count++) {
      const seen = new Set<string>()
      for (let seed = 0; seed < 40; seed++) {
        const id = chooseLayout(count, seed)
        expect(getLayout(id)?.panelCount).toBe(count)
        expect(chooseLayout(count, seed)).toBe(id)
        seen.add(id)
      }
      expect(seen.size).toBe(layoutsFor(count).length)
    }
    expect(getLayout(chooseLayout(9, 1))?.panelCount).toBe(9)
    expect(chooseLayout(0, 1)).toBe('splash')
    const page = { id: 'p1', layout: 'grid-2x2', panels: [1, 2, 3].map((i) => ({ id: `x${i}` })) } as never
    expect(resolveLayout(page).panelCount).toBe(3)
    expect(resolveLayout({ id: 'p2', layout: 'no-such-layout', panels: [] } as never).id).toBe('splash')
    expect(resolveLayout({ id: 'p3', layout: 'three-strips', panels: [1, 2, 3] } as never).id).toBe('three-strips')
  })
})
