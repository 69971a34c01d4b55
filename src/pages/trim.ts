import type { Trim } from '../contract/index.ts'

export interface Size {
  width: number
  height: number
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

// Page units are PDF points (1/72 in), so a page SVG drops into a PDF page at 1:1.
const TRIM_SIZES: Record<Trim, Size> = {
  'us-comic': { width: 477, height: 738 },
  a4: { width: 595.28, height: 841.89 },
  letter: { width: 612, height: 792 },
}

export const DEFAULT_TRIM: Trim = 'us-comic'

export function pageSize(trim: Trim = DEFAULT_TRIM): Size {
  return TRIM_SIZES[trim]
}

export interface PageFrame {
  page: Size
  live: Rect
  gutter: number
  // Scale of lettering and strokes against the US comic page, so an A4 export keeps the same look.
  scale: number
}

// Margins and gutters scale with the page width so every trim keeps the proportions of the US page.
export function pageFrame(trim: Trim = DEFAULT_TRIM): PageFrame {
  const page = pageSize(trim)
  const scale = page.width / TRIM_SIZES['us-comic'].width
  const side = 24 * scale
  const top = 26 * scale
  const bottom = 34 * scale
  return {
    page,
    live: { x: side, y: top, width: page.width - 2 * side, height: page.height - top - bottom },
    gutter: 9 * scale,
    scale,
  }
}
