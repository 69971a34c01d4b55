import { useCallback, useEffect, useRef, useState } from 'react'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { isClientError, type ClientError } from '../client/index.ts'
import { call, onStudioEvent } from '../state/session.ts'

// Which events mean "what comics.get returns has changed" for this comic.
function touches(event: StudioEvent, comicId: string): boolean {
  switch (event.type) {
    case 'story_step': return event.comicId === comicId && event.status === 'done'
    case 'comic_updated':
    case 'generation_complete':
    case 'panel_updated': return event.comicId === comicId
    default: return false
  }
}

// One comic, re-read (at most every `throttleMs`) when the engine says it changed.
export function useComic(comicId: string, opts: { follow?: boolean; throttleMs?: number } = {}) {
  const { follow = true, throttleMs = 400 } = opts
  const [comic, setComic] = useState<Comic | null>(null)
  const [error, setError] = useState<ClientError | null>(null)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const seq = useRef(0)

  const reload = useCallback(() => {
    const mine = ++seq.current
    call('comics.get', { comicId }).then(
      (c) => { if (mine === seq.current) { setComic(c); setError(null) } },
      (err: unknown) => { if (mine === seq.current && isClientError(err)) setError(err) },
    )
  }, [comicId])

  useEffect(() => {
    reload()
    if (!follow) return
    const off = onStudioEvent((event) => {
      if (!touches(event, comicId) || pending.current) return
      pending.current = setTimeout(() => {
        pending.current = null
        reload()
      }, throttleMs)
    })
    return () => {
      off()
      if (pending.current) clearTimeout(pending.current)
      pending.current = null
    }
  }, [comicId, follow, throttleMs, reload])

  return { comic, setComic, error, reload }
}
