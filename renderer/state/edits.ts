import type { Bubble, Character, Comic, Page, Panel, Shot } from '../../src/contract/index.ts'

// One change to a comic, in the shape the engine stores it. Every edit the editor makes is a pair
// of these (apply, revert), so undo and redo are just more saves.
export type Op =
  | { kind: 'panel'; panelId: string; patch: PanelPatch }
  | { kind: 'page'; pageId: string; patch: PagePatch }
  | { kind: 'pages'; pageIds: string[] }
  | { kind: 'version'; panelId: string; image: string; seed: number }
  | { kind: 'character'; characterId: string; patch: CharacterPatch }
  | { kind: 'comic'; patch: ComicPatch }
  // Structure: a panel or page joins or leaves the comic. Each carries what its undo needs (the whole panel or
  // page, and the layout the page had), since the engine keeps a deleted panel's pictures but not the panel.
  | { kind: 'addPanel'; pageId: string; index: number; layout: string; panel: Panel }
  | { kind: 'deletePanel'; pageId: string; panelId: string; layout: string }
  | { kind: 'addPage'; index: number; page: Page }
  | { kind: 'deletePage'; pageId: string }
  | { kind: 'addCharacter'; index: number; character: Character }
  | { kind: 'deleteCharacter'; characterId: string }
  // Several changes saved in order as one undo step (a panel leaving one page and joining another).
  | { kind: 'batch'; ops: Op[] }

export interface PanelPatch {
  scene?: string
  shot?: Shot
  characterIds?: string[]
  bubbles?: Bubble[]
}

export interface PagePatch {
  layout?: string
  panelIds?: string[]
}

export type ComicPatch = Partial<Pick<Comic, 'title' | 'styleId'>>

export type CharacterPatch = Partial<Pick<Character, 'name' | 'role' | 'look' | 'referenceImage'>>

export type ActionKey =
  | 'text' | 'move' | 'resize' | 'tail' | 'kind' | 'speaker' | 'addBubble' | 'deleteBubble'
  | 'scene' | 'shot' | 'characters' | 'regenerate' | 'pickVersion' | 'reorderPanels' | 'reorderPages' | 'layout' | 'character'
  | 'title' | 'style' | 'redrawAll' | 'addPanel' | 'deletePanel' | 'addPage' | 'deletePage' | 'movePanel' | 'addCharacter' | 'deleteCharacter'

export interface Edit {
  action: ActionKey
  apply: Op
  revert: Op
  // Consecutive edits with the same key (typing in one field) fold into one undo step.
  mergeKey?: string
  // Pictures of one "redraw these panels" click, arriving one by one, gather into one undo step.
  group?: string
  at: number
}

function mapPanels(comic: Comic, panelId: string, change: (p: Panel) => Panel): Comic {
  return { ...comic, pages: comic.pages.map((page) => page.panels.some((p) => p.id === panelId) ? { ...page, panels: page.panels.map((p) => (p.id === panelId ? change(p) : p)) } : page) }
}

function mapPage(comic: Comic, pageId: string, change: (p: Page) => Page): Comic {
  return { ...comic, pages: comic.pages.map((page) => (page.id === pageId ? change(page) : page)) }
}

function insertAt<T>(items: readonly T[], index: number, item: T): T[] {
  return [...items.slice(0, index), item, ...items.slice(index)]
}

function reorder<T extends { id: string }>(items: T[], ids: string[]): T[] {
  const byId = new Map(items.map((i) => [i.id, i]))
  const out = ids.map((id) => byId.get(id)).filter((x): x is T => x !== undefined)
  return out.length === items.length ? out : items
}

// Pure: what the comic looks like once `op` is applied. Unknown ids leave it unchanged.
export function applyOp(comic: Comic, op: Op): Comic {
  switch (op.kind) {
    case 'panel':
      return mapPanels(comic, op.panelId, (p) => ({ ...p, ...op.patch }))
    case 'version':
      return mapPanels(comic, op.panelId, (p) => ({ ...p, image: op.image, seed: op.seed }))
    case 'page':
      return {
        ...comic,
        pages: comic.pages.map((page): Page => page.id !== op.pageId ? page : {
          ...page,
          layout: op.patch.layout ?? page.layout,
          panels: op.patch.panelIds ? reorder(page.panels, op.patch.panelIds) : page.panels,
        }),
      }
    case 'pages':
      return { ...comic, pages: reorder(comic.pages, op.pageIds) }
    case 'character':
      return { ...comic, characters: comic.characters.map((c) => (c.id === op.characterId ? { ...c, ...op.patch } : c)) }
    case 'comic':
      return { ...comic, ...op.patch }
    case 'addPanel':
      return mapPage(comic, op.pageId, (page) => ({ ...page, layout: op.layout, panels: insertAt(page.panels, op.index, op.panel) }))
    case 'deletePanel':
      return mapPage(comic, op.pageId, (page) => ({ ...page, layout: op.layout, panels: page.panels.filter((p) => p.id !== op.panelId) }))
    case 'addPage':
      return { ...comic, pages: insertAt(comic.pages, op.index, op.page) }
    case 'deletePage':
      return { ...comic, pages: comic.pages.filter((p) => p.id !== op.pageId) }
    case 'addCharacter':
      return { ...comic, characters: insertAt(comic.characters, op.index, op.character) }
    case 'deleteCharacter':
      return { ...comic, characters: comic.characters.filter((c) => c.id !== op.characterId) }
    case 'batch':
      return op.ops.reduce(applyOp, comic)
  }
}

export function findPanel(comic: Comic, panelId: string): { page: Page; pageIndex: number; panel: Panel; panelIndex: number } | null {
  for (let pageIndex = 0; pageIndex < comic.pages.length; pageIndex++) {
    const page = comic.pages[pageIndex]
    const panelIndex = page.panels.findIndex((p) => p.id === panelId)
    if (panelIndex >= 0) return { page, pageIndex, panel: page.panels[panelIndex], panelIndex }
  }
  return null
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = items.slice()
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item)
  return out
}

export interface History {
  undo: Edit[]
  redo: Edit[]
}

export const MERGE_WINDOW_MS = 2000
export const HISTORY_LIMIT = 200

// Records an edit: a new step, or folded into the last one when it continues the same gesture.
export function record(history: History, edit: Edit): History {
  const last = history.undo[history.undo.length - 1]
  if (last && edit.mergeKey && last.mergeKey === edit.mergeKey && edit.at - last.at < MERGE_WINDOW_MS) {
    return { undo: [...history.undo.slice(0, -1), { ...last, apply: edit.apply, at: edit.at }], redo: [] }
  }
  return { undo: [...history.undo, edit].slice(-HISTORY_LIMIT), redo: [] }
}

const opsOf = (op: Op): Op[] => (op.kind === 'batch' ? op.ops : [op])

// Records an edit that belongs to a group: joined to the last step when that step is the same group's, so
// undo takes every picture of one click back at once.
export function recordInGroup(history: History, edit: Edit & { group: string }): History {
  const last = history.undo[history.undo.length - 1]
  if (last?.group !== edit.group) return record(history, edit)
  const joined: Edit = { ...last, apply: { kind: 'batch', ops: [...opsOf(last.apply), edit.apply] }, revert: { kind: 'batch', ops: [edit.revert, ...opsOf(last.revert)] }, at: edit.at }
  return { undo: [...history.undo.slice(0, -1), joined], redo: [] }
}

export function stepBack(history: History): { history: History; edit: Edit } | null {
  const edit = history.undo[history.undo.length - 1]
  if (!edit) return null
  return { edit, history: { undo: history.undo.slice(0, -1), redo: [...history.redo, edit] } }
}

export function stepForward(history: History): { history: History; edit: Edit } | null {
  const edit = history.redo[history.redo.length - 1]
  if (!edit) return null
  return { edit, history: { undo: [...history.undo, edit], redo: history.redo.slice(0, -1) } }
}
