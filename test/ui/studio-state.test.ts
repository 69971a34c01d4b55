import { describe, expect, it } from 'vitest'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { applyEvent, emptyLive, secondsLeft, type LiveState } from '../../renderer/state/live.ts'
import { applyOp, moveItem, record, recordInGroup, stepBack, stepForward, MERGE_WINDOW_MS, type Edit, type History } from '../../renderer/state/edits.ts'
import { formatHash, parseHash, type Route } from '../../renderer/state/routes.ts'
import { cellsFor, gridCells, PAGE_W, panelFrames } from '../../renderer/state/layouts.ts'
import { normalizeBubble } from '../../renderer/components/bubbleGeometry.ts'
import { LAYOUTS, layoutRects } from '../../src/pages/layouts.ts'
import { pageSize } from '../../src/pages/trim.ts'

function fold(events: StudioEvent[], start: LiveState = emptyLive): LiveState {
  return events.reduce((s, e, i) => applyEvent(s, e, 1000 * i), start)
}

const bubble = { id: 'b1', kind: 'speech' as const, text: 'Hi', speakerId: null, x: 0.1, y: 0.1, w: 0.3, h: 0.2, tailX: 0.3, tailY: 0.8 }

function comic(): Comic {
  const panel = (id: string) => ({ id, shot: 'wide' as const, scene: `scene ${id}`, characterIds: [], seed: 1, image: null, status: 'done' as const, error: null, bubbles: [bubble] })
  return {
    id: 'c1', title: 'T', idea: 'idea', styleId: 'shonen', language: 'en', readingOrder: 'ltr', status: 'done', pageCount: 2, panelCount: 4, cover: null,
    createdAt: 1, updatedAt: 1, trashedAt: null, summary: '', seed: 1,
    characters: [{ id: 'k1', name: 'Mira', role: 'fox', look: { face: '', hair: '', build: '', outfit: '', colors: [] }, seed: 3, referenceImage: null }],
    pages: [
      { id: 'p1', layout: 'two-tiers', panels: [panel('a'), panel('b')] },
      { id: 'p2', layout: 'two-tiers', panels: [panel('c'), panel('d')] },
    ],
  }
}

describe('live progress from events', () => {
  it('builds the story steps, panel states, counter and completion of one comic', () => {
    const s = fold([
      { type: 'story_step', comicId: 'c1', step: 'plot', status: 'started' },
      { type: 'story_step', comicId: 'c1', step: 'plot', status: 'done' },
      { type: 'queue_position', jobId: 'j1', comicId: 'c1', position: 3 },
      { type: 'panel_updated', comicId: 'c1', panelId: 'a', status: 'generating', image: null },
      { type: 'generation_progress', comicId: 'c1', current: 1, total: 4 },
      { type: 'cost_update', comicId: 'c1', totalUsd: 0.02 },
      { type: 'generation_complete', comicId: 'c1', status: 'partial', failed: 1 },
    ])
    const c = s.comics.c1
    expect(c.steps).toEqual({ plot: 'done' })
    expect(c.panels.a).toEqual({ status: 'generating', image: null })
    expect([c.current, c.total, c.queuePosition, c.costUsd]).toEqual([1, 4, null, 0.02])
    expect([c.complete, c.status, c.failed]).toEqual([true, 'partial', 1])
  })

  it('tells a panel waiting in a pod\'s line until an engine takes it', () => {
    let s = fold([{ type: 'panel_waiting', comicId: 'c1', panelId: 'b', engine: 'pod' }])
    expect(s.comics.c1.panels.b).toEqual({ status: 'pending', image: null, waiting: 'pod' })
    s = applyEvent(s, { type: 'panel_updated', comicId: 'c1', panelId: 'b', status: 'generating', image: null }, 1)
    expect(s.comics.c1.panels.b).toEqual({ status: 'generating', image: null })
  })

  it('keeps a banner per pod and counts its boot time down', () => {
    let s = fold([{ type: 'pod_booting', podId: 'p', etaSeconds: 240 }])
    expect(secondsLeft(s.pods.p, 60_000)).toBe(180)
    s = applyEvent(s, { type: 'pod_preemption_warning', podId: 'p' }, 5)
    expect(s.pods.p.state).toBe('preemption_warning')
    s = applyEvent(s, { type: 'pod_terminated', podId: 'p', reason: 'gone' }, 6)
    expect(s.pods).toEqual({})
  })

  it('keeps the last few engine switches and errors as notices', () => {
    const events: StudioEvent[] = Array.from({ length: 8 }, (_, i) => ({ type: 'fallback_activated', from: 'pod', to: 'serverless', reason: `r${i}` }))
    const s = fold(events)
    expect(s.notices).toHaveLength(5)
    expect(s.notices.at(-1)?.event).toEqual(events[7])
  })
})

describe('edits and history', () => {
  it('applies panel, page, page order, version and character changes', () => {
    let c = comic()
    c = applyOp(c, { kind: 'panel', panelId: 'c', patch: { scene: 'new', bubbles: [] } })
    c = applyOp(c, { kind: 'page', pageId: 'p1', patch: { panelIds: ['b', 'a'], layout: 'two-strips' } })
    c = applyOp(c, { kind: 'pages', pageIds: ['p2', 'p1'] })
    c = applyOp(c, { kind: 'version', panelId: 'd', image: `${'a'.repeat(64)}.svg`, seed: 9 })
    c = applyOp(c, { kind: 'character', characterId: 'k1', patch: { name: 'Mia' } })
    expect(c.pages.map((p) => p.id)).toEqual(['p2', 'p1'])
    expect(c.pages[1].panels.map((p) => p.id)).toEqual(['b', 'a'])
    expect(c.pages[1].layout).toBe('two-strips')
    expect(c.pages[0].panels[0]).toMatchObject({ scene: 'new', bubbles: [] })
    expect(c.pages[0].panels[1]).toMatchObject({ image: `${'a'.repeat(64)}.svg`, seed: 9 })
    expect(c.characters[0].name).toBe('Mia')
  })

  it('adds and deletes panels, pages and characters, renames, and each change is undone by its revert', () => {
    const start = comic()
    const extra = { ...start.pages[0].panels[0], id: 'e', image: null, status: 'pending' as const, bubbles: [] }
    const steps: Array<[Parameters<typeof applyOp>[1], Parameters<typeof applyOp>[1]]> = [
      [{ kind: 'addPanel', pageId: 'p1', index: 1, layout: 'three-tiers', panel: extra }, { kind: 'deletePanel', pageId: 'p1', panelId: 'e', layout: 'two-tiers' }],
      [{ kind: 'deletePanel', pageId: 'p2', panelId: 'c', layout: 'splash' }, { kind: 'addPanel', pageId: 'p2', index: 0, layout: 'two-tiers', panel: start.pages[1].panels[0] }],
      [{ kind: 'addPage', index: 1, page: { id: 'p3', layout: 'splash', panels: [extra] } }, { kind: 'deletePage', pageId: 'p3' }],
      [{ kind: 'deletePage', pageId: 'p1' }, { kind: 'addPage', index: 0, page: start.pages[0] }],
      [{ kind: 'comic', patch: { title: 'New name' } }, { kind: 'comic', patch: { title: 'T' } }],
      [{ kind: 'addCharacter', index: 0, character: { ...start.characters[0], id: 'k2', name: 'Zirka' } }, { kind: 'deleteCharacter', characterId: 'k2' }],
      [{ kind: 'deleteCharacter', characterId: 'k1' }, { kind: 'addCharacter', index: 1, character: start.characters[0] }],
      [
        { kind: 'batch', ops: [{ kind: 'deletePanel', pageId: 'p2', panelId: 'd', layout: 'splash' }, { kind: 'addPanel', pageId: 'p3', index: 0, layout: 'two-tiers', panel: start.pages[1].panels[1] }] },
        { kind: 'batch', ops: [{ kind: 'deletePanel', pageId: 'p3', panelId: 'd', layout: 'splash' }, { kind: 'addPanel', pageId: 'p2', index: 0, layout: 'splash', panel: start.pages[1].panels[1] }] },
      ],
    ]
    let c = start
    for (const [apply] of steps) c = applyOp(c, apply)
    expect(c.title).toBe('New name')
    expect(c.characters.map((x) => x.name)).toEqual(['Zirka'])
    expect(c.pages.map((p) => [p.id, p.layout, p.panels.map((x) => x.id).join('')])).toEqual([['p3', 'two-tiers', 'de'], ['p2', 'splash', '']])
    for (const [, revert] of [...steps].reverse()) c = applyOp(c, revert)
    expect(c).toEqual(start)
  })

  it('ignores a reorder that does not name every item exactly', () => {
    const c = applyOp(comic(), { kind: 'pages', pageIds: ['p2'] })
    expect(c.pages.map((p) => p.id)).toEqual(['p1', 'p2'])
  })

  it('undoes and redoes, folding one gesture into one step', () => {
    const edit = (at: number, text: string, mergeKey?: string): Edit => ({
      action: 'text', at, mergeKey,
      apply: { kind: 'panel', panelId: 'a', patch: { scene: text } },
      revert: { kind: 'panel', panelId: 'a', patch: { scene: 'old' } },
    })
    let h: History = { undo: [], redo: [] }
    h = record(h, edit(0, 'n', 'scene:a'))
    h = record(h, edit(100, 'ne', 'scene:a'))
    h = record(h, edit(200, 'new', 'scene:a'))
    expect(h.undo).toHaveLength(1)
    expect(h.undo[0].apply).toEqual({ kind: 'panel', panelId: 'a', patch: { scene: 'new' } })
    h = record(h, edit(200 + MERGE_WINDOW_MS + 1, 'newer', 'scene:a'))
    expect(h.undo).toHaveLength(2)
    const back = stepBack(h)!
    expect(back.edit.apply.kind).toBe('panel')
    expect(back.history.redo).toHaveLength(1)
    const forward = stepForward(back.history)!
    expect(forward.history.undo).toHaveLength(2)
    expect(stepBack({ undo: [], redo: [] })).toBeNull()
  })

  it('gathers the pictures of one redraw click into one undo step, whatever came before or after', () => {
    const version = (panelId: string, image: string) => ({ kind: 'version' as const, panelId, image: `${image.repeat(64)}.svg`, seed: 1 })
    const typed: Edit = { action: 'text', apply: { kind: 'comic', patch: { title: 'B' } }, revert: { kind: 'comic', patch: { title: 'A' } }, at: 0 }
    let h: History = record({ undo: [], redo: [] }, typed)
    for (const [panelId, image] of [['a', 'b'], ['c', 'd'], ['d', 'e']] as const) {
      h = recordInGroup(h, { action: 'redrawAll', apply: version(panelId, image), revert: version(panelId, 'f'), group: 'g1', at: 1 })
    }
    h = recordInGroup(h, { action: 'redrawAll', apply: version('a', 'c'), revert: version('a', 'b'), group: 'g2', at: 2 })
    expect(h.undo.map((e) => e.action)).toEqual(['text', 'redrawAll', 'redrawAll'])
    const redraw = h.undo[1]
    expect(redraw.apply).toEqual({ kind: 'batch', ops: [version('a', 'b'), version('c', 'd'), version('d', 'e')] })
    expect(redraw.revert).toEqual({ kind: 'batch', ops: [version('d', 'f'), version('c', 'f'), version('a', 'f')] })
    // Undone, the three panels show their old pictures at once.
    const c = applyOp(applyOp(comic(), redraw.apply), redraw.revert)
    expect(c.pages.flatMap((p) => p.panels).filter((p) => p.image === `${'f'.repeat(64)}.svg`).map((p) => p.id)).toEqual(['a', 'c', 'd'])
  })

  it('moves list items and leaves out-of-range moves alone', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a'])
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b'])
  })
})

describe('routes', () => {
  it('round-trips every screen through the address hash', () => {
    const routes: Route[] = [
      { name: 'library', trash: false }, { name: 'library', trash: true }, { name: 'new' }, { name: 'progress', comicId: 'c_1' },
      { name: 'reader', comicId: 'c1', page: 0 }, { name: 'reader', comicId: 'c1', page: 3 }, { name: 'editor', comicId: 'c1' },
      { name: 'editor', comicId: 'c1', panelId: 'p9' }, { name: 'characters', comicId: 'c1' }, { name: 'costs' }, { name: 'settings' },
    ]
    for (const r of routes) expect(parseHash(formatHash(r))).toEqual(r)
    expect(parseHash('#/comic/../../etc')).toEqual({ name: 'library', trash: false })
  })
})

describe('layout and bubble geometry', () => {
  it('falls back to a two-column grid and mirrors cells for right-to-left pages', () => {
    expect(gridCells(3)).toEqual([{ x: 0, y: 0, w: 0.5, h: 0.5 }, { x: 0.5, y: 0, w: 0.5, h: 0.5 }, { x: 0, y: 0.5, w: 1, h: 0.5 }])
    const rtl = cellsFor('unknown', 2, [], 'rtl')
    expect(rtl[0].x).toBe(0.5)
  })

  it('keeps bubbles inside the contract limits', () => {
    expect(normalizeBubble({ ...bubble, x: 0.95, w: 0.5, h: 0, tailX: 3 })).toMatchObject({ x: 0.5, w: 0.5, h: 0.02, tailX: 1.5 })
  })

  it('frames panels where the engine puts them, so the editor letters each in the page\'s own points', () => {
    const infos = LAYOUTS.map((l) => ({ id: l.id, name: l.name, panelCount: l.panelCount, cells: l.cells }))
    const unit = PAGE_W / pageSize().width
    for (const layout of LAYOUTS) {
      const panels = layout.cells.map((_, i) => ({ id: `p${i}` }))
      for (const order of ['ltr', 'rtl'] as const) {
        const frames = panelFrames({ layout: layout.id, panels } as never, order, infos)
        const engine = layoutRects(layout.id, undefined, order)
        frames.forEach((f, i) => {
          expect(f.points).toEqual(engine[i])
          expect([f.x, f.y, f.w, f.h]).toEqual([engine[i].x * unit, engine[i].y * unit, engine[i].width * unit, engine[i].height * unit])
        })
      }
    }
  })
})
