import type { Page, ReadingOrder, Trim } from '../contract/index.ts'
import { hashSeed, pick, seededRandom } from '../platform/random.ts'
import { DEFAULT_TRIM, pageFrame, type Rect, type Size } from './trim.ts'

export type LayoutId = string

// A panel's place in the live area as fractions (0..1); gutters are applied when the page is built.
export interface Cell {
  x: number
  y: number
  w: number
  h: number
}

export interface Layout {
  id: LayoutId
  name: string
  panelCount: number
  // In reading order for left-to-right pages; right-to-left pages mirror them.
  cells: Cell[]
}

// Horizontal tiers read top to bottom, each split into panels read across.
function tiers(heights: number[], widths: number[][]): Cell[] {
  const total = heights.reduce((a, b) => a + b, 0)
  const cells: Cell[] = []
  let y = 0
  heights.forEach((h, i) => {
    const row = widths[i] ?? [1]
    const rowTotal = row.reduce((a, b) => a + b, 0)
    let x = 0
    for (const w of row) {
      cells.push({ x: x / rowTotal, y: y / total, w: w / rowTotal, h: h / total })
      x += w
    }
    y += h
  })
  return cells
}

// Vertical columns read across, each split into panels read downwards.
function columns(widths: number[], heights: number[][]): Cell[] {
  return tiers(widths, heights).map((c) => ({ x: c.y, y: c.x, w: c.h, h: c.w }))
}

function layout(id: string, name: string, cells: Cell[]): Layout {
  return { id, name, panelCount: cells.length, cells }
}

export const LAYOUTS: readonly Layout[] = [
  layout('splash', 'Splash page', tiers([1], [[1]])),
  layout('two-tiers', 'Two tiers', tiers([1, 1], [[1], [1]])),
  layout('two-strips', 'Two vertical strips', columns([1, 1], [[1], [1]])),
  layout('establishing-over-big', 'Establishing shot over a big panel', tiers([0.36, 0.64], [[1], [1]])),
  layout('three-tiers', 'Three tiers', tiers([1, 1, 1], [[1], [1], [1]])),
  layout('three-strips', 'Three vertical strips', columns([1, 1, 1], [[1], [1], [1]])),
  layout('establishing-two', 'Establishing shot over two panels', tiers([0.45, 0.55], [[1], [1, 1]])),
  layout('tall-left-two', 'Tall panel beside two', columns([0.56, 0.44], [[1], [1, 1]])),
  layout('grid-2x2', 'Four-panel grid', tiers([1, 1], [[1, 1], [1, 1]])),
  layout('establishing-three', 'Establishing shot over three panels', tiers([0.42, 0.58], [[1], [1, 1, 1]])),
  layout('wide-middle-four', 'Wide panels around a split tier', tiers([0.3, 0.4, 0.3], [[1], [1, 1], [1]])),
  layout('four-tiers', 'Four widescreen tiers', tiers([1, 1, 1, 1], [[1], [1], [1], [1]])),
  layout('grid-2-1-2', 'Two, one wide, two', tiers([1, 1, 1], [[1, 1], [1], [1, 1]])),
  layout('establishing-grid', 'Establishing shot over a four-panel grid', tiers([0.34, 0.33, 0.33], [[1], [1, 1], [1, 1]])),
  layout('strips-over-two', 'Three strips over two panels', tiers([0.55, 0.45], [[1, 1, 1], [1, 1]])),
  layout('grid-3x2', 'Six panels in three tiers', tiers([1, 1, 1], [[1, 1], [1, 1], [1, 1]])),
  layout('grid-2x3', 'Six panels in two tiers', tiers([1, 1], [[1, 1, 1], [1, 1, 1]])),
  layout('staggered-six', 'Six staggered panels', tiers([1, 1, 1], [[0.4, 0.6], [0.6, 0.4], [1, 1]])),
]

const BY_ID = new Map(LAYOUTS.map((l) => [l.id, l]))
const AUTO = /^auto-([1-9][0-9]{0,2})$/

// Pages with more panels than any template get even tiers of two or three: `auto-<count>`.
function autoLayout(count: number): Layout {
  const rows = Math.ceil(count / 3)
  const base = Math.floor(count / rows)
  const extra = count % rows
  const widths = Array.from({ length: rows }, (_, i) => Array(base + (i < extra ? 1 : 0)).fill(1) as number[])
  return layout(`auto-${count}`, `${count} panels`, tiers(Array(rows).fill(1) as number[], widths))
}

export function getLayout(id: LayoutId): Layout | null {
  const known = BY_ID.get(id)
  if (known) return known
  const auto = AUTO.exec(id)
  return auto ? autoLayout(Number(auto[1])) : null
}

// The layouts the user may pick from for a page with this many panels.
export function layoutsFor(panelCount: number): Layout[] {
  const fitting = LAYOUTS.filter((l) => l.panelCount === panelCount)
  return fitting.length > 0 || panelCount < 1 ? fitting : [autoLayout(panelCount)]
}

// The layout used when the script did not name one; the same seed always gives the same page.
export function chooseLayout(panelCount: number, seed: number): LayoutId {
  if (panelCount < 1) return 'splash'
  return pick(seededRandom(seed), layoutsFor(panelCount)).id
}

// The page's own layout when it fits its panels, otherwise a stable choice, so an edited page still renders.
export function resolveLayout(page: Pick<Page, 'id' | 'layout' | 'panels'>): Layout {
  const own = getLayout(page.layout)
  if (own && own.panelCount === page.panels.length) return own
  return getLayout(chooseLayout(page.panels.length, hashSeed(page.id))) as Layout
}

const EDGE = 1e-6

export function cellRect(cell: Cell, trim: Trim = DEFAULT_TRIM, readingOrder: ReadingOrder = 'ltr'): Rect {
  const { live, gutter } = pageFrame(trim)
  const fx = readingOrder === 'rtl' ? 1 - cell.x - cell.w : cell.x
  const half = gutter / 2
  let x0 = live.x + fx * live.width
  let x1 = live.x + (fx + cell.w) * live.width
  let y0 = live.y + cell.y * live.height
  let y1 = live.y + (cell.y + cell.h) * live.height
  if (fx > EDGE) x0 += half
  if (fx + cell.w < 1 - EDGE) x1 -= half
  if (cell.y > EDGE) y0 += half
  if (cell.y + cell.h < 1 - EDGE) y1 -= half
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

// Panel rectangles in page units (points), in reading order; right-to-left pages are mirrored.
export function layoutRects(layoutId: LayoutId, trim: Trim = DEFAULT_TRIM, readingOrder: ReadingOrder = 'ltr'): Rect[] {
  const found = getLayout(layoutId)
  if (!found) throw new Error(`unknown layout ${layoutId}`)
  return found.cells.map((c) => cellRect(c, trim, readingOrder))
}

const STEP = 64
const MIN_SIDE = 256
const MAX_SIDE = 2048

function toStep(n: number): number {
  return Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.round(n / STEP) * STEP))
}

// Pixel size to generate a panel's image at: about basePx² pixels, the panel's aspect ratio, sides in
// multiples of 64 (what diffusion models take), so the image fills its panel with almost no crop.
export function panelSize(layoutId: LayoutId, panelIndex: number, basePx: number, trim: Trim = DEFAULT_TRIM): Size {
  const rect = layoutRects(layoutId, trim)[panelIndex]
  if (!rect) throw new Error(`layout ${layoutId} has no panel ${panelIndex}`)
  const aspect = rect.width / rect.height
  let width = basePx * Math.sqrt(aspect)
  let height = basePx / Math.sqrt(aspect)
  const over = Math.max(width, height) / MAX_SIDE
  if (over > 1) {
    width /= over
    height /= over
  }
  return { width: toStep(width), height: toStep(height) }
}
