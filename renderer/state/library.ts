import { create } from 'zustand'
import type { ComicSummary } from '../../src/contract/index.ts'
import { call } from './session.ts'
import { CHUNK, DEFAULT_SORT, chunkInput, type LibrarySort } from './shelf.ts'

export type { LibrarySort } from './shelf.ts'

interface LibraryState {
  query: string
  sort: LibrarySort
  trashed: boolean
  total: number | null
  // Sparse by position: the virtual grid asks only for the rows it shows.
  items: (ComicSummary | undefined)[]
  generation: number
  failed: boolean
  // No key at all: everything is drawn offline, and the library says so.
  offlineOnly: boolean
}

export const useLibrary = create<LibraryState>(() => ({
  query: '',
  sort: DEFAULT_SORT,
  trashed: false,
  total: null,
  items: [],
  generation: 0,
  failed: false,
  offlineOnly: false,
}))

const inFlight = new Set<string>()

async function loadChunk(chunk: number): Promise<void> {
  const { query, sort, trashed, generation } = useLibrary.getState()
  const key = `${generation}:${chunk}`
  if (inFlight.has(key)) return
  inFlight.add(key)
  try {
    const page = await call('comics.list', chunkInput(query, sort, trashed, chunk))
    if (useLibrary.getState().generation !== generation) return
    useLibrary.setState((s) => {
      const items = s.items.slice()
      page.items.forEach((item, i) => { items[chunk * CHUNK + i] = item })
      items.length = page.total
      return { items, total: page.total, failed: false }
    })
  } catch {
    if (useLibrary.getState().generation === generation) useLibrary.setState({ failed: true })
  } finally {
    inFlight.delete(key)
  }
}

// Asks for every chunk the range [start, end) touches that is not loaded yet.
export function ensureRange(start: number, end: number): void {
  const { items, total } = useLibrary.getState()
  const last = total === null ? end : Math.min(end, total)
  for (let chunk = Math.floor(start / CHUNK); chunk * CHUNK < Math.max(last, 1); chunk++) {
    const from = chunk * CHUNK
    const to = Math.min(from + CHUNK, last)
    let missing = total === null
    for (let i = from; i < to && !missing; i++) if (!items[i]) missing = true
    if (missing) void loadChunk(chunk)
  }
}

function restart(patch: Partial<LibraryState>): void {
  useLibrary.setState((s) => ({ ...patch, generation: s.generation + 1, items: [], total: null, failed: false }))
  void loadChunk(0)
}

export function setQuery(query: string): void {
  if (query !== useLibrary.getState().query) restart({ query })
}

export function setSort(sort: LibrarySort): void {
  if (sort !== useLibrary.getState().sort) restart({ sort })
}

export function setTrashed(trashed: boolean): void {
  if (trashed !== useLibrary.getState().trashed) restart({ trashed })
}

// Re-reads what was loaded after a change elsewhere (a cover arrived, a comic was trashed),
// keeping the old cards on screen until the new ones land.
export function reloadLibrary(): void {
  const { items } = useLibrary.getState()
  const chunks = new Set<number>([0])
  items.forEach((item, i) => { if (item) chunks.add(Math.floor(i / CHUNK)) })
  useLibrary.setState((s) => ({ generation: s.generation + 1 }))
  for (const chunk of chunks) void loadChunk(chunk)
}

function loadOfflineHint(): Promise<void> {
  return call('settings.get', {}).then(
    (view) => useLibrary.setState({ offlineOnly: view.keys.every((k) => !k.set) }),
    () => useLibrary.setState({ offlineOnly: false }),
  )
}

// What boot fetched is fresh when the screen first opens; later openings re-read what may have changed.
let prefetched = false
let hintPrefetched = false

// Started before the first render, so the shelf's first cards are on their way while React boots.
export function prefetchLibrary(trashed: boolean): Promise<void> {
  useLibrary.setState({ trashed })
  prefetched = true
  hintPrefetched = true
  return Promise.all([loadChunk(0), loadOfflineHint()]).then(() => {})
}

// The library screen opening (or switching between shelf and trash).
export function openLibrary(trashed: boolean): void {
  const state = useLibrary.getState()
  const fresh = prefetched
  prefetched = false
  if (state.trashed !== trashed) setTrashed(trashed)
  else if (state.total === null) ensureRange(0, 1)
  else if (!fresh) reloadLibrary()
}

// The library screen mounting: keys may have been added in the settings since.
export function openOfflineHint(): void {
  if (!hintPrefetched) void loadOfflineHint()
  hintPrefetched = false
}
