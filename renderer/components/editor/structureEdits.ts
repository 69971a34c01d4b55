import type { Comic, Page, Panel } from '../../../src/contract/index.ts'
import { chooseLayout } from '../../../src/pages/layouts.ts'
import { perform, select } from '../../state/editor.ts'

export const MAX_PANELS_PER_PAGE = 6
export const MAX_PAGES = 24

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] % 2 ** 31
}

// A new panel starts as the one it follows (same place, shot and people, a new seed, no lettering), so it is drawn
// in the same scene; its prompt is the first thing to change.
function panelLike(panel: Panel): Panel {
  return { id: crypto.randomUUID(), shot: panel.shot, scene: panel.scene, characterIds: panel.characterIds, seed: randomSeed(), image: null, status: 'pending', error: null, bubbles: [] }
}

export function addPanelAfter(comic: Comic, page: Page, panelIndex: number): void {
  const panel = panelLike(page.panels[panelIndex])
  const layout = chooseLayout(page.panels.length + 1, comic.seed)
  perform('addPanel',
    { kind: 'addPanel', pageId: page.id, index: panelIndex + 1, layout, panel },
    { kind: 'deletePanel', pageId: page.id, panelId: panel.id, layout: page.layout })
  select(panel.id)
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
  select(panel.id)
}

export function deletePage(comic: Comic, pageIndex: number): void {
  const page = comic.pages[pageIndex]
  perform('deletePage', { kind: 'deletePage', pageId: page.id }, { kind: 'addPage', index: pageIndex, page })
}
