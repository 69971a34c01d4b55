import { SCENARIO } from './scenario.ts'
import type { Level } from './scenario.ts'

export interface ComicTimes {
  firstPanelSeconds: number | null
  finishSeconds: number | null
}

export interface RunOutcome {
  comics: readonly ComicTimes[]
  usd: number
  imagesLost: number
}

export interface Summary {
  comics: number
  usdPerComic: number
  p95FirstPanel: number
  p50Finish: number
  p95Finish: number
  // Comics finished after this many seconds, or never (the service level's own finish target): how much of
  // its 5 % the policy spends.
  lateShare: number
  imagesLost: number
}

// Nearest-rank percentile; a comic that never finished counts as infinitely late.
export function percentile(values: readonly (number | null)[], q: number): number {
  if (values.length === 0) return 0
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

// Pools runs (the seeds of one rate): cost per comic over all comics, percentiles over all comics.
export function summarize(runs: readonly RunOutcome[], finishTargetSeconds = Infinity): Summary {
  const comics = runs.flatMap((r) => r.comics)
  const usd = runs.reduce((a, r) => a + r.usd, 0)
  return {
    comics: comics.length,
    usdPerComic: comics.length ? usd / comics.length : 0,
    p95FirstPanel: percentile(comics.map((c) => c.firstPanelSeconds), 0.95),
    p50Finish: percentile(comics.map((c) => c.finishSeconds), 0.5),
    p95Finish: percentile(comics.map((c) => c.finishSeconds), 0.95),
    lateShare: comics.length ? comics.filter((c) => (c.finishSeconds ?? Infinity) > finishTargetSeconds).length / comics.length : 0,
    imagesLost: runs.reduce((a, r) => a + r.imagesLost, 0),
  }
}

export function meetsLevel(s: Pick<Summary, 'p95FirstPanel' | 'p95Finish' | 'imagesLost'>, level: Level): boolean {
  const target = SCENARIO.levels[level]
  if (s.imagesLost > 0) return false
  if (target.firstPanelP95 !== null && s.p95FirstPanel > target.firstPanelP95) return false
  return s.p95Finish <= target.finishP95
}
