import { useEffect, useState } from 'react'
import type { CommandOutput } from '../../src/contract/index.ts'
import { call, onStudioEvent } from '../state/session.ts'

type ComicCost = CommandOutput<'costs.comic'>

// What one comic has cost, from the ledger, kept current while its images are being charged.
export function useComicCost(comicId: string): ComicCost | null {
  const [cost, setCost] = useState<ComicCost | null>(null)
  useEffect(() => {
    let live = true
    const load = () => call('costs.comic', { comicId }).then((c) => { if (live) setCost(c) }, () => undefined)
    load()
    const off = onStudioEvent((e) => { if (e.type === 'cost_update' && e.comicId === comicId) void load() })
    return () => {
      live = false
      off()
    }
  }, [comicId])
  return cost
}
