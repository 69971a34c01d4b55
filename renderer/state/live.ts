import type { ComicStatus, EngineId, ErrorCode, ImageId, PanelStatus, StoryStep, StudioEvent } from '../../src/contract/index.ts'

// What the live view knows about one comic, built only from events.
export interface LiveComic {
  steps: Partial<Record<StoryStep, 'started' | 'done'>>
  // `waiting`: the engine whose line a pending panel is in (a pod booting or busy).
  panels: Record<string, { status: PanelStatus; image: ImageId | null; waiting?: EngineId }>
  current: number
  total: number
  queuePosition: number | null
  costUsd: number | null
  engine: EngineId | null
  status: ComicStatus | null
  failed: number
  complete: boolean
  errors: { code: ErrorCode; message: string }[]
  exporting: { done: number; total: number } | null
}

export interface PodBanner {
  podId: string
  state: 'booting' | 'ready' | 'preemption_warning'
  etaSeconds: number
  since: number
}

export interface Notice {
  id: number
  at: number
  event: StudioEvent
}

export interface LiveState {
  comics: Record<string, LiveComic>
  pods: Record<string, PodBanner>
  notices: Notice[]
  totalCostUsd: number | null
  seq: number
}

export const emptyLive: LiveState = { comics: {}, pods: {}, notices: [], totalCostUsd: null, seq: 0 }

export function emptyComic(): LiveComic {
  return { steps: {}, panels: {}, current: 0, total: 0, queuePosition: null, costUsd: null, engine: null, status: null, failed: 0, complete: false, errors: [], exporting: null }
}

const MAX_NOTICES = 5
export const TERMINAL: ReadonlySet<ComicStatus> = new Set(['done', 'partial', 'failed', 'cancelled'])

function withComic(state: LiveState, comicId: string, change: (c: LiveComic) => LiveComic): LiveState {
  const before = state.comics[comicId] ?? emptyComic()
  return { ...state, comics: { ...state.comics, [comicId]: change(before) } }
}

function notify(state: LiveState, event: StudioEvent, now: number): LiveState {
  const seq = state.seq + 1
  return { ...state, seq, notices: [...state.notices, { id: seq, at: now, event }].slice(-MAX_NOTICES) }
}

// Pure: the same events in the same order always give the same picture.
export function applyEvent(state: LiveState, event: StudioEvent, now: number): LiveState {
  switch (event.type) {
    case 'story_step':
      return withComic(state, event.comicId, (c) => ({ ...c, steps: { ...c.steps, [event.step]: event.status } }))
    case 'comic_updated':
      // Drawing again (missing panels retried) opens the comic's progress again.
      return withComic(state, event.comicId, (c) => ({ ...c, status: event.status, complete: TERMINAL.has(event.status) }))
    case 'panel_updated':
      return withComic(state, event.comicId, (c) => ({ ...c, panels: { ...c.panels, [event.panelId]: { status: event.status, image: event.image } } }))
    case 'panel_waiting':
      return withComic(state, event.comicId, (c) => ({ ...c, panels: { ...c.panels, [event.panelId]: { status: 'pending', image: c.panels[event.panelId]?.image ?? null, waiting: event.engine } } }))
    case 'generation_progress':
      return withComic(state, event.comicId, (c) => ({ ...c, current: Math.max(c.current, event.current), total: event.total, queuePosition: null }))
    case 'generation_complete':
      return withComic(state, event.comicId, (c) => ({ ...c, status: event.status, failed: event.failed, complete: true, queuePosition: null }))
    case 'queue_position':
      return event.comicId ? withComic(state, event.comicId, (c) => ({ ...c, queuePosition: event.position })) : state
    case 'route_decision':
      return event.comicId ? withComic(state, event.comicId, (c) => ({ ...c, engine: event.engine })) : state
    case 'cost_update':
      return event.comicId
        ? withComic(state, event.comicId, (c) => ({ ...c, costUsd: event.totalUsd }))
        : { ...state, totalCostUsd: event.totalUsd }
    case 'error': {
      const noticed = notify(state, event, now)
      return event.comicId
        ? withComic(noticed, event.comicId, (c) => ({ ...c, errors: [...c.errors, { code: event.code, message: event.message }].slice(-MAX_NOTICES) }))
        : noticed
    }
    case 'pod_booting':
      return { ...state, pods: { ...state.pods, [event.podId]: { podId: event.podId, state: 'booting', etaSeconds: event.etaSeconds, since: now } } }
    case 'pod_ready':
    case 'pod_preemption_warning': {
      const before = state.pods[event.podId]
      const podState = event.type === 'pod_ready' ? 'ready' : 'preemption_warning'
      return { ...state, pods: { ...state.pods, [event.podId]: { podId: event.podId, etaSeconds: before?.etaSeconds ?? 0, since: now, state: podState } } }
    }
    case 'pod_terminated': {
      const pods = { ...state.pods }
      delete pods[event.podId]
      return { ...state, pods }
    }
    case 'fallback_activated':
      return notify(state, event, now)
    case 'export_progress':
      return withComic(state, event.comicId, (c) => ({ ...c, exporting: event.done >= event.total ? null : { done: event.done, total: event.total } }))
    case 'menu':
      return state
  }
}

export function dismissNotice(state: LiveState, id: number): LiveState {
  return { ...state, notices: state.notices.filter((n) => n.id !== id) }
}

export function secondsLeft(pod: PodBanner, now: number): number {
  return Math.max(0, Math.ceil(pod.etaSeconds - (now - pod.since) / 1000))
}
