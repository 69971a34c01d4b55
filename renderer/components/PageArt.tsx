import type { Page, ReadingOrder } from '../../src/contract/index.ts'
import { cellsFor, useLayouts, type LayoutInfo } from '../state/layouts.ts'
import { fileUrl } from '../state/session.ts'
import { BubbleArt } from './BubbleArt.tsx'

export const PAGE_W = 1000
export const PAGE_H = Math.round((PAGE_W * 10.25) / 6.625)
const MARGIN = 44
const GUTTER = 18

export interface PanelFrame {
  id: string
  x: number
  y: number
  w: number
  h: number
}

export function panelFrames(page: Page, order: ReadingOrder, layouts: LayoutInfo[]): PanelFrame[] {
  const cells = cellsFor(page.layout, page.panels.length, layouts, order)
  const liveW = PAGE_W - MARGIN * 2
  const liveH = PAGE_H - MARGIN * 2
  return page.panels.map((panel, i) => {
    const c = cells[i]
    const x = MARGIN + c.x * liveW + GUTTER / 2
    const y = MARGIN + c.y * liveH + GUTTER / 2
    return { id: panel.id, x, y, w: c.w * liveW - GUTTER, h: c.h * liveH - GUTTER }
  })
}

// The studio's own drawing of a page from its data, for when the engine's page SVG is not at hand.
export function PageArt({ page, readingOrder, title }: { page: Page; readingOrder: ReadingOrder; title: string }) {
  const layouts = useLayouts((s) => s.layouts)
  const frames = panelFrames(page, readingOrder, layouts)
  return (
    <svg className="page-art" viewBox={`0 0 ${PAGE_W} ${PAGE_H}`} role="img" aria-label={title}>
      <rect width={PAGE_W} height={PAGE_H} fill="#fbf8f1" />
      {page.panels.map((panel, i) => {
        const f = frames[i]
        return (
          <svg key={panel.id} x={f.x} y={f.y} width={f.w} height={f.h} viewBox={`0 0 ${f.w} ${f.h}`}>
            <rect width={f.w} height={f.h} fill="#d9d3c7" />
            {panel.image && <image href={fileUrl(panel.image)} width={f.w} height={f.h} preserveAspectRatio="xMidYMid slice" />}
            {panel.bubbles.map((b) => <BubbleArt key={b.id} bubble={b} W={f.w} H={f.h} />)}
            <rect width={f.w} height={f.h} fill="none" stroke="#141118" strokeWidth={5} />
          </svg>
        )
      })}
    </svg>
  )
}
