import { create } from 'zustand'
import type { Comic, NewPanel, Panel, StudioEvent } from '../../src/contract/index.ts'
import { applyOp, findPanel, record, recordInGroup, stepBack, stepForward, type ActionKey, type Edit, type History, type Op } from './edits.ts'
import { call } from './session.ts'

interface EditorState {
  comicId: string | null
  comic: Comic | null
  history: History
  panelId: string | null
  bubbleId: string | null
  saving: number
  saveError: string | null
  // Panels being redrawn, with the image they had, so the result can become an undo step.
  redrawing: Record<string, { image: string | null; seed: number; newSeed: number; group?: string }>
}

const initial: EditorState = {
  comicId: null,
  comic: null,
  history: { undo: [], redo: [] },
  panelId: null,
  bubbleId: null,
  saving: 0,
  saveError: null,
  redrawing: {},
}

export const useEditor = create<EditorState>(() => initial)

function asNew({ id, shot, scene, characterIds, seed, image, bubbles }: Panel): NewPanel {
  return { id, shot, scene, characterIds, seed, image, bubbles }
}

// The engine's word on panels that just joined: drawing now, or back with their picture. A panel whose picture
// already arrived as an event keeps it: that news is newer than this answer.
function settle(panels: Panel[]): void {
  const byId = new Map(panels.map((p) => [p.id, p]))
  const join = (p: Panel): Panel => {
    const engine = byId.get(p.id)
    return engine && p.image === null && p.status === 'pending' ? { ...p, status: engine.status, image: engine.image, seed: engine.seed } : p
  }
  useEditor.setState((s) => (s.comic ? { comic: { ...s.comic, pages: s.comic.pages.map((pg) => ({ ...pg, panels: pg.panels.map(join) })) } } : {}))
}

async function send(comicId: string, op: Op): Promise<void> {
  switch (op.kind) {
    case 'comic':
      await call('comics.update', { comicId, patch: op.patch })
      return
    case 'addPanel':
      settle([(await call('panels.add', { comicId, pageId: op.pageId, index: op.index, layout: op.layout, panel: asNew(op.panel) })).panel])
      return
    case 'deletePanel':
      await call('panels.delete', { comicId, panelId: op.panelId, layout: op.layout })
      return
    case 'addPage':
      settle((await call('pages.add', { comicId, index: op.index, page: { id: op.page.id, layout: op.page.layout, panels: op.page.panels.map(asNew) } })).page.panels)
      return
    case 'deletePage':
      await call('pages.delete', { comicId, pageId: op.pageId })
      return
    case 'addCharacter':
      await call('characters.add', { comicId, index: op.index, character: op.character })
      return
    case 'deleteCharacter':
      await call('characters.delete', { comicId, characterId: op.characterId })
      return
    case 'batch':
      for (const each of op.ops) await send(comicId, each)
      return
    case 'panel':
      await call('panels.update', { comicId, panelId: op.panelId, patch: op.patch })
      return
    case 'page':
      await call('pages.update', { comicId, pageId: op.pageId, patch: op.patch })
      return
    case 'pages':
      await call('comics.reorderPages', { comicId, pageIds: op.pageIds })
      return
    case 'version':
      await call('panels.pickVersion', { comicId, panelId: op.panelId, image: op.image })
      return
    case 'character':
      await call('characters.update', { comicId, characterId: op.characterId, patch: op.patch })
  }
}

// Saves go out one at a time, in the order the edits were made.
let queue: Promise<void> = Promise.resolve()

function save(op: Op): void {
  const { comicId } = useEditor.getState()
  if (!comicId) return
  useEditor.setState((s) => ({ saving: s.saving + 1 }))
  queue = queue
    .then(() => send(comicId, op))
    .then(
      () => useEditor.setState((s) => ({ saving: s.saving - 1 })),
      (err: unknown) => {
        useEditor.setState((s) => ({ saving: s.saving - 1, saveError: err instanceof Error ? err.message : String(err) }))
        void reloadEditor()
      },
    )
}

// Waits for every save made so far (tests and page changes use it).
export function flushSaves(): Promise<void> {
  return queue
}

export async function openEditor(comicId: string, panelId: string | null = null): Promise<void> {
  if (useEditor.getState().comicId !== comicId) useEditor.setState({ ...initial, comicId, panelId })
  await reloadEditor()
}

export async function reloadEditor(): Promise<void> {
  const { comicId } = useEditor.getState()
  if (!comicId) return
  const comic = await call('comics.get', { comicId })
  if (useEditor.getState().comicId !== comicId) return
  useEditor.setState((s) => {
    const still = neighbour(s.comic, comic, s.panelId)
    return { comic, panelId: still, bubbleId: still === s.panelId ? s.bubbleId : null }
  })
}

export function closeEditor(): void {
  useEditor.setState(initial)
}

// When an edit, its undo or a reload takes the selected panel away, a neighbour on its page is selected, or on
// the page before when the page went too (the first panel when nothing was selected).
function neighbour(before: Comic | null, after: Comic, panelId: string | null): string | null {
  if (panelId && findPanel(after, panelId)) return panelId
  const was = panelId && before ? findPanel(before, panelId) : null
  const page = (was && after.pages.find((p) => p.id === was.page.id)) ?? after.pages[Math.max(0, Math.min((was?.pageIndex ?? 0) - 1, after.pages.length - 1))]
  return page?.panels[Math.max(0, Math.min((was?.panelIndex ?? 0) - 1, page.panels.length - 1))]?.id ?? null
}

function show(comic: Comic, op: Op, history: History): void {
  const next = applyOp(comic, op)
  useEditor.setState((s) => {
    const panelId = neighbour(comic, next, s.panelId)
    return { comic: next, history, panelId, bubbleId: panelId === s.panelId ? s.bubbleId : null }
  })
  save(op)
}

export function perform(action: ActionKey, apply: Op, revert: Op, mergeKey?: string): void {
  const { comic, history } = useEditor.getState()
  if (!comic) return
  useEditor.setState({ saveError: null })
  show(comic, apply, record(history, { action, apply, revert, mergeKey, at: Date.now() }))
}

export function undo(): ActionKey | null {
  const { comic, history } = useEditor.getState()
  const step = comic ? stepBack(history) : null
  if (!comic || !step) return null
  show(comic, step.edit.revert, step.history)
  return step.edit.action
}

export function redo(): ActionKey | null {
  const { comic, history } = useEditor.getState()
  const step = comic ? stepForward(history) : null
  if (!comic || !step) return null
  show(comic, step.edit.apply, step.history)
  return step.edit.action
}

export function lastAction(kind: 'undo' | 'redo'): Edit | undefined {
  const { history } = useEditor.getState()
  const stack = kind === 'undo' ? history.undo : history.redo
  return stack[stack.length - 1]
}

export function select(panelId: string | null, bubbleId: string | null = null): void {
  useEditor.setState({ panelId, bubbleId })
}

// `group`: one name for every panel of one "redraw these" click, so their pictures undo as one step.
export async function regenerate(panelId: string, seed: number, group?: string): Promise<void> {
  const { comic, comicId } = useEditor.getState()
  const found = comic && findPanel(comic, panelId)
  if (!found || !comicId) return
  useEditor.setState((s) => ({ redrawing: { ...s.redrawing, [panelId]: { image: found.panel.image, seed: found.panel.seed, newSeed: seed, group } } }))
  try {
    await call('panels.regenerate', { comicId, panelId, seed })
  } catch (err) {
    useEditor.setState((s) => {
      const redrawing = { ...s.redrawing }
      delete redrawing[panelId]
      return { redrawing }
    })
    throw err
  }
}

// Engine news about this comic: images arriving, redraws finishing, the story landing mid-edit.
export function editorEvent(event: StudioEvent): void {
  const s = useEditor.getState()
  if (!s.comic || !('comicId' in event) || event.comicId !== s.comicId) return
  if (event.type === 'story_step' && event.status === 'done' && s.comic.pages.length === 0) {
    void reloadEditor()
    return
  }
  if (event.type !== 'panel_updated') return
  // News of a panel this editor does not show (a deleted panel's drawing finishing, a panel added elsewhere): read
  // the comic again once the edits already made are saved, so the reload cannot undo them on screen.
  if (!findPanel(s.comic, event.panelId)) {
    void flushSaves().then(reloadEditor)
    return
  }
  const comic: Comic = {
    ...s.comic,
    pages: s.comic.pages.map((pg) => ({ ...pg, panels: pg.panels.map((p) => (p.id === event.panelId ? { ...p, status: event.status, image: event.image ?? p.image } : p)) })),
  }
  const redraw = s.redrawing[event.panelId]
  if (!redraw || (event.status !== 'done' && event.status !== 'failed')) {
    useEditor.setState({ comic })
    return
  }
  const redrawing = { ...s.redrawing }
  delete redrawing[event.panelId]
  const drawn = event.status === 'done' && event.image !== null && redraw.image !== null && event.image !== redraw.image
  if (!drawn) {
    useEditor.setState({ comic, redrawing })
    return
  }
  // A redraw becomes an undo step once its picture exists: undo picks the old version back.
  const apply: Op = { kind: 'version', panelId: event.panelId, image: event.image as string, seed: redraw.newSeed }
  const revert: Op = { kind: 'version', panelId: event.panelId, image: redraw.image as string, seed: redraw.seed }
  const { group } = redraw
  useEditor.setState({
    comic: applyOp(comic, apply),
    redrawing,
    history: group ? recordInGroup(s.history, { action: 'redrawAll', apply, revert, group, at: Date.now() }) : record(s.history, { action: 'regenerate', apply, revert, at: Date.now() }),
  })
}
