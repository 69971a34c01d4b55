import { create } from 'zustand'
import type { CommandOutput, Page, ReadingOrder } from '../../src/contract/index.ts'
import { cellRect } from '../../src/pages/layouts.ts'
import { pageFrame, type Rect } from '../../src/pages/trim.ts'
import { call } from './session.ts'

export type LayoutInfo = CommandOutput<'layouts.list'>[number]
export type Cell = LayoutInfo['cells'][number]

export const useLayouts = create<{ layouts: LayoutInfo[]; loaded: boolean }>(() => ({ layouts: [], loaded: false }))

let loading = false
export function loadLayouts(): void {
  if (loading || useLayouts.getState().loaded) return
  loading = true
  call('layouts.list', {}).then(
    (layouts) => useLayouts.setState({ layouts, loaded: true }),
    () => { loading = false },
  )
}

// Two columns, the last odd panel spanning the row: used when a page's layout is unknown here.
export function gridCells(n: number): Cell[] {
  const rows = Math.ceil(n / 2)
  return Array.from({ length: n }, (_, i) => {
    const row = Math.floor(i / 2)
    const alone = i === n - 1 && n % 2 === 1
    return { x: alone ? 0 : (i % 2) / 2, y: row / rows, w: alone ? 1 : 0.5, h: 1 / rows }
  })
}

export function cellsFor(layoutId: string, panelCount: number, layouts: LayoutInfo[], order: ReadingOrder): Cell[] {
  const layout = layouts.find((l) => l.id === layoutId && l.cells.length === panelCount)
  const cells = layout ? layout.cells : gridCells(panelCount)
  return order === 'rtl' ? cells.map((c) => ({ ...c, x: 1 - c.x - c.w })) : cells
}

// The engine's page geometry (margins, gutters, cells in points), drawn PAGE_W units wide. The studio shows the
// default trim; LETTER_SCALE is its lettering scale, as the engine letters that page.
const FRAME = pageFrame()
const PAGE = FRAME.page
export const LETTER_SCALE = FRAME.scale
export const PAGE_W = 1000
const UNIT = PAGE_W / PAGE.width
export const PAGE_H = PAGE.height * UNIT

export interface PanelFrame {
  id: string
  x: number
  y: number
  w: number
  h: number
  // The panel in page points, as the engine letters it.
  points: Rect
}

export function panelFrames(page: Pick<Page, 'layout' | 'panels'>, order: ReadingOrder, layouts: LayoutInfo[]): PanelFrame[] {
  // cellsFor has mirrored the cells of a right-to-left page already.
  const cells = cellsFor(page.layout, page.panels.length, layouts, order)
  return page.panels.map((panel, i) => {
    const r = cellRect(cells[i])
    return { id: panel.id, x: r.x * UNIT, y: r.y * UNIT, w: r.width * UNIT, h: r.height * UNIT, points: r }
  })
}
