import { create } from 'zustand'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { applyOp, findPanel, record, stepBack, stepForward, type ActionKey, type Edit, type History, type Op } from './edits.ts'
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
  redrawing: Record<string, { image: string | null; seed: number; newSeed: number }>
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

async function send(comicId: string, op: Op): Promise<void> {
  switch (op.kind) {
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
    const still = s.panelId && findPanel(comic, s.panelId) ? s.panelId : comic.pages[0]?.panels[0]?.id ?? null
    return { comic, panelId: still, bubbleId: still === s.panelId ? s.bubbleId : null }
  })
}

export function closeEditor(): void {
  useEditor.setState(initial)
}

export function perform(action: ActionKey, apply: Op, revert: Op, mergeKey?: string): void {
  const { comic } = useEditor.getState()
  if (!comic) return
  useEditor.setState((s) => ({
    comic: applyOp(comic, apply),
    history: record(s.history, { action, apply, revert, mergeKey, at: Date.now() }),
    saveError: null,
  }))
  save(apply)
}

export function undo(): ActionKey | null {
  const { comic, history } = useEditor.getState()
  const step = comic ? stepBack(history) : null
  if (!comic || !step) return null
  useEditor.setState({ comic: applyOp(comic, step.edit.revert), history: step.history })
  save(step.edit.revert)
  return step.edit.action
}

export function redo(): ActionKey | null {
  const { comic, history } = useEditor.getState()
  const step = comic ? stepForward(history) : null
  if (!comic || !step) return null
  useEditor.setState({ comic: applyOp(comic, step.edit.apply), history: step.history })
  save(step.edit.apply)
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

export async function regenerate(panelId: string, seed: number): Promise<void> {
  const { comic, comicId } = useEditor.getState()
  const found = comic && findPanel(comic, panelId)
  if (!found || !comicId) return
  useEditor.setState((s) => ({ redrawing: { ...s.redrawing, [panelId]: { image: found.panel.image, seed: found.panel.seed, newSeed: seed } } }))
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
  if (!findPanel(s.comic, event.panelId)) {
    void reloadEditor()
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
  useEditor.setState({
    comic: drawn ? applyOp(comic, { kind: 'version', panelId: event.panelId, image: event.image as string, seed: redraw.newSeed }) : comic,
    redrawing,
    // A redraw becomes an undo step once its picture exists: undo picks the old version back.
    history: drawn ? record(s.history, {
      action: 'regenerate',
      apply: { kind: 'version', panelId: event.panelId, image: event.image as string, seed: redraw.newSeed },
      revert: { kind: 'version', panelId: event.panelId, image: redraw.image as string, seed: redraw.seed },
      at: Date.now(),
    }) : s.history,
  })
}
