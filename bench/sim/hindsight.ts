import { meetsLevel, summarize } from './metrics.ts'
import { replay, REPLICATE_ONLY } from './replay.ts'
import type { ReplayResult, StaticConfig } from './replay.ts'
import { LEVELS, SCENARIO } from './scenario.ts'
import type { Level } from './scenario.ts'
import type { Trace } from './trace.ts'

// The hindsight sweep: always-on pods 0–8 × idle timeout × boot trigger (× how long images may wait for a
// pod before spilling to serverless), each replayed on the very trace; the cheapest that meets the level wins.
export const TRIGGERS: readonly (number | null)[] = [null, 0, 20, 40]
export const SPILLS: readonly number[] = [240, 120, 60, 0, 600, Infinity]

export function hindsightConfigs(): StaticConfig[] {
  const out: StaticConfig[] = []
  for (const alwaysOn of SCENARIO.hindsight.alwaysOnPods) {
    for (const trigger of TRIGGERS) {
      if (trigger !== null && alwaysOn >= SCENARIO.pod.maxPods) continue
      for (const idleSeconds of trigger === null ? [0] : SCENARIO.hindsight.idleSeconds) {
        for (const spillSeconds of alwaysOn === 0 && trigger === null ? [0] : SPILLS) {
          out.push({ alwaysOn, trigger, idleSeconds, spillSeconds, overflow: 'serverless' })
        }
      }
    }
  }
  return out
}

export interface HindsightPick {
  config: StaticConfig
  result: ReplayResult
}

export interface HindsightOutcome {
  best: Record<Level, HindsightPick | null>
  replayed: number
  pruned: number
}

export function describeConfig(c: StaticConfig): string {
  if (c.overflow === 'replicate' && c.alwaysOn === 0 && c.trigger === null) return 'replicate only'
  const parts = [`${c.alwaysOn} always-on`]
  parts.push(c.trigger === null ? 'no boot trigger' : `boot when > ${c.trigger} waiting, ${c.idleSeconds} s idle`)
  if (c.alwaysOn > 0 || c.trigger !== null) parts.push(c.spillSeconds === Infinity ? 'wait for pods' : `spill after ${c.spillSeconds} s`)
  return parts.join(', ')
}

// Branch and bound: a configuration that is sure to cost more than the dearest level's best so far is dropped mid-day.
export function sweepTrace(trace: Trace, configs: readonly StaticConfig[] = hindsightConfigs()): HindsightOutcome {
  const best: Record<Level, HindsightPick | null> = { urgent: null, relaxed: null }
  let replayed = 0
  let pruned = 0
  const consider = (config: StaticConfig, result: ReplayResult) => {
    const summary = summarize([result])
    for (const level of LEVELS) {
      if (!meetsLevel(summary, level)) continue
      const current = best[level]
      if (!current || result.usd < current.result.usd) best[level] = { config, result }
    }
  }
  const initial = replay(trace, REPLICATE_ONLY)!
  consider(REPLICATE_ONLY, initial)
  for (const config of configs) {
    const bound = Math.max(...LEVELS.map((l) => best[l]?.result.usd ?? Infinity))
    const result = replay(trace, config, { abortAboveUsd: bound })
    replayed++
    if (!result) {
      pruned++
      continue
    }
    consider(config, result)
  }
  return { best, replayed, pruned }
}
