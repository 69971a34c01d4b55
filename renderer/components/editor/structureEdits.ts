import { LIMITS, type Comic, type Page, type Panel } from '../../../src/contract/index.ts'
import { chooseLayout } from '../../../src/pages/layouts.ts'
import { perform, select } from '../../state/editor.ts'
import { findPanel, moveItem, type Op } from '../../state/edits.ts'

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] % 2 ** 31
}

// A new panel starts as the one it follows (same place, shot and people, a new seed, no lettering), so it is drawn
// in the same scene; its prompt is the first thing to change.
function panelLike(panel: Panel): Panel {
  return { id: crypto.randomUUID(), shot: panel.shot, scene: panel.scene, characterIds: panel.characterIds, seed: randomSeed(), image: null, status: 'pending', error: null, bubbles: [] }
}

export function reorderPanels(page: Page, from: number, to: number): void {
  const before = page.panels.map((p) => p.id)
  const after = moveItem(before, from, to)
  if (after.join() === before.join()) return
  perform('reorderPanels', { kind: 'page', pageId: page.id, patch: { panelIds: after } }, { kind: 'page', pageId: page.id, patch: { panelIds: before } })
}

export function reorderPages(comic: Comic, from: number, to: number): void {
  const before = comic.pages.map((p) => p.id)
  const after = moveItem(before, from, to)
  if (after.join() === before.join()) return
  perform('reorderPages', { kind: 'pages', pageIds: after }, { kind: 'pages', pageIds: before })
}

// The new panel is selected with its prompt in focus: what happens in it is the next thing to write.
function selectNew(panelId: string): void {
  select(panelId)
  requestAnimationFrame(() => document.getElementById('panel-scene')?.focus())
}

export function addPanelAfter(comic: Comic, page: Page, panelIndex: number): void {
  const panel = panelLike(page.panels[panelIndex])
  const layout = chooseLayout(page.panels.length + 1, comic.seed)
  perform('addPanel',
    { kind: 'addPanel', pageId: page.id, index: panelIndex + 1, layout, panel },
    { kind: 'deletePanel', pageId: page.id, panelId: panel.id, layout: page.layout })
  selectNew(panel.id)
}

export function deletePanel(comic: Comic, page: Page, panelIndex: number): void {
  const panel = page.panels[panelIndex]
  const layout = chooseLayout(page.panels.length - 1, comic.seed)
  perform('deletePanel',
    { kind: 'deletePanel', pageId: page.id, panelId: panel.id, layout },
    { kind: 'addPanel', pageId: page.id, index: panelIndex, layout: page.layout, panel })
}

export function addPageAfter(comic: Comic, pageIndex: number, from: Panel): void {
  const panel = panelLike(from)
  const page: Page = { id: crypto.randomUUID(), layout: chooseLayout(1, comic.seed), panels: [panel] }
  perform('addPage', { kind: 'addPage', index: pageIndex + 1, page }, { kind: 'deletePage', pageId: page.id })
  selectNew(panel.id)
}

export function deletePage(comic: Comic, pageIndex: number): void {
  const page = comic.pages[pageIndex]
  perform('deletePage', { kind: 'deletePage', pageId: page.id }, { kind: 'addPage', index: pageIndex, page })
}

// A panel taken to another page: it leaves its page (the page goes with it when it was the page's only panel) and
// joins the other at `index`, pictures and lettering and all. One undo step puts both pages back as they were.
export function movePanel(comic: Comic, panelId: string, toPageId: string, index: number): void {
  const from = findPanel(comic, panelId)
  const to = comic.pages.find((p) => p.id === toPageId)
  if (!from || !to || to.id === from.page.id || to.panels.length >= LIMITS.panelsPerPage) return
  const { page, pageIndex, panel, panelIndex } = from
  const alone = page.panels.length === 1
  const leave: Op = alone ? { kind: 'deletePage', pageId: page.id } : { kind: 'deletePanel', pageId: page.id, panelId, layout: chooseLayout(page.panels.length - 1, comic.seed) }
  const comeBack: Op = alone ? { kind: 'addPage', index: pageIndex, page } : { kind: 'addPanel', pageId: page.id, index: panelIndex, layout: page.layout, panel }
  const join: Op = { kind: 'addPanel', pageId: to.id, index, layout: chooseLayout(to.panels.length + 1, comic.seed), panel }
  const goBack: Op = { kind: 'deletePanel', pageId: to.id, panelId, layout: to.layout }
  perform('movePanel', { kind: 'batch', ops: [leave, join] }, { kind: 'batch', ops: [goBack, comeBack] })
}

// "Earlier" and "later" within the page, and past its edge onto the end of the page before or the start of the
// page after.
export function stepPanel(comic: Comic, panelId: string, step: -1 | 1): void {
  const found = findPanel(comic, panelId)
  if (!found) return
  const { page, pageIndex, panelIndex } = found
  const to = panelIndex + step
  if (to >= 0 && to < page.panels.length) {
    reorderPanels(page, panelIndex, to)
    return
  }
  const next = comic.pages[pageIndex + step]
  if (next) movePanel(comic, panelId, next.id, step < 0 ? next.panels.length : 0)
}

// Whether stepPanel has somewhere to go.
export function canStep(comic: Comic, panelId: string, step: -1 | 1): boolean {
  const found = findPanel(comic, panelId)
  if (!found) return false
  const to = found.panelIndex + step
  if (to >= 0 && to < found.page.panels.length) return true
  const next = comic.pages[found.pageIndex + step]
  return next !== undefined && next.panels.length < LIMITS.panelsPerPage
}
