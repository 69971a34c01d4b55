import { sweepTrace } from './hindsight.ts'
import type { RunOutcome } from './metrics.ts'
import { FIXED_RULE, replay, REPLICATE_ONLY, SERVERLESS_ONLY } from './replay.ts'
import type { StaticConfig } from './replay.ts'
import type { Level } from './scenario.ts'
import { simulateStudio } from './studio-sim.ts'
import type { StudioPolicy } from './studio-sim.ts'
import { poissonTrace } from './trace.ts'

// Units of work for the bench, run in worker threads: plain data in, plain data out.
export type Task =
  | { kind: 'baselines'; rate: number; seed: number }
  | { kind: 'hindsight'; rate: number; seed: number }
  | { kind: 'studio'; rate: number; seed: number; policy: StudioPolicy; level: Level; interruptible: boolean; firstDay?: boolean }

export interface StudioOutcome extends RunOutcome {
  ledgerUsd: number
  ledgerRowsUsd: number
  pods: { created: number; preempted: number; maxAlive: number; lostJobs: number }
  cpuMs: number
}

export type TaskResult =
  | { kind: 'baselines'; replicate: RunOutcome; serverless: RunOutcome; fixed_rule: RunOutcome }
  | { kind: 'hindsight'; best: Record<Level, { config: StaticConfig; outcome: RunOutcome } | null>; replayed: number; pruned: number }
  | { kind: 'studio'; outcome: StudioOutcome }

const outcome = (r: { comics: RunOutcome['comics']; usd: number; imagesLost: number }): RunOutcome => ({
  comics: r.comics.map((c) => ({ firstPanelSeconds: c.firstPanelSeconds, finishSeconds: c.finishSeconds })),
  usd: r.usd,
  imagesLost: r.imagesLost,
})

export async function runTask(task: Task): Promise<TaskResult> {
  const trace = poissonTrace(task.rate, task.seed)
  if (task.kind === 'baselines') {
    return { kind: 'baselines', replicate: outcome(replay(trace, REPLICATE_ONLY)!), serverless: outcome(replay(trace, SERVERLESS_ONLY)!), fixed_rule: outcome(replay(trace, FIXED_RULE)!) }
  }
  if (task.kind === 'hindsight') {
    const swept = sweepTrace(trace)
    const pick = (level: Level) => {
      const b = swept.best[level]
      return b ? { config: b.config, outcome: outcome(b.result) } : null
    }
    return { kind: 'hindsight', best: { urgent: pick('urgent'), relaxed: pick('relaxed') }, replayed: swept.replayed, pruned: swept.pruned }
  }
  const cpu = process.cpuUsage()
  const r = await simulateStudio({ trace, policy: task.policy, level: task.level, interruptible: task.interruptible, firstDay: task.firstDay })
  const used = process.cpuUsage(cpu)
  return {
    kind: 'studio',
    outcome: {
      ...outcome({ comics: r.comics, usd: r.invoiceUsd, imagesLost: r.imagesLost }),
      ledgerUsd: r.ledgerUsd, ledgerRowsUsd: r.ledgerRowsUsd, pods: r.pods, cpuMs: (used.user + used.system) / 1000,
    },
  }
}
