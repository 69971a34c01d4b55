import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseCloudSettings } from '../src/cloud/settings.ts'
import { describePrice, priceSheet } from '../src/costs/price-catalog.ts'
import { onTimeBound } from './sim/bound.ts'
import { describeConfig } from './sim/hindsight.ts'
import { meetsLevel, summarize } from './sim/metrics.ts'
import type { RunOutcome, Summary } from './sim/metrics.ts'
import { runPool } from './sim/pool.ts'
import { FLOOR_USD_PER_COMIC, LEVELS, SCENARIO } from './sim/scenario.ts'
import { poissonTrace } from './sim/trace.ts'
import type { Level } from './sim/scenario.ts'
import { LEASE_MS, scenarioPrices } from './sim/studio-sim.ts'
import type { StudioOutcome, Task, TaskResult } from './sim/tasks.ts'

// npm run bench:economics — what a comic really costs on each route, at 10, 100 and 500 comics a day.
// The scenario is fixed in bench/sim/scenario.ts; nothing here is tuned to it.

const started = performance.now()
const { rates, seeds } = SCENARIO
const threads = Math.max(1, Math.min(4, availableParallelism()))
const BASELINES = ['replicate', 'serverless', 'fixed_rule'] as const
type Policy = (typeof BASELINES)[number] | 'hindsight' | 'kitsumy'
const POLICIES: readonly Policy[] = [...BASELINES, 'hindsight', 'kitsumy']
// The full simulator's cross-check of the replay: every baseline on one trace.
const CHECK = { rate: 100, seed: 1 }

const sheet = priceSheet(scenarioPrices(), parseCloudSettings(), null, null)
console.log('Kitsumy Studio — cloud burst economics (issue 6)')
console.log(`Scenario: Poisson arrivals over ${SCENARIO.dayHours} h at ${rates.join(', ')} comics/day, seeds ${seeds.join(', ')}, ${SCENARIO.imagesPerComic} images per comic.`)
console.log(`  Pod: boot ${SCENARIO.pod.bootSeconds.min}–${SCENARIO.pod.bootSeconds.max} s, ${SCENARIO.pod.secondsPerImage} s/image, ≤ ${SCENARIO.pod.maxPods} pods; interruptible: preempted after Exp(mean ${SCENARIO.pod.preemptionMeanSeconds / 3600} h), ${SCENARIO.pod.noticeSeconds} s notice.`)
console.log(`  Serverless: ${SCENARIO.serverless.secondsPerImage} s/image, cold start ${SCENARIO.serverless.coldStartSeconds.min}–${SCENARIO.serverless.coldStartSeconds.max} s (not billed), ${SCENARIO.serverless.idleSeconds} s billed idle tail, ≤ ${SCENARIO.serverless.maxWorkers} workers. Replicate: ${SCENARIO.replicate.secondsPerImage} s, ${SCENARIO.replicate.concurrency} at once.`)
console.log(`  Prices: ${describePrice(sheet.pod)}; ${describePrice(sheet.serverless)}; ${describePrice(sheet.replicate)}.`)
console.log('Method:')
console.log('  kitsumy = the full simulator: the real JobQueue + Worker, the studio\'s Dispatcher with src/cloud/router.ts route, the real')
console.log('    PodManager (rent, boot, worker health over loopback HTTP, idle shutdown, loss detection), the shipped cloud settings,')
console.log('    every charge in the real CostLedger.')
console.log(`    The queue runs on an in-memory better-sqlite3 database with ${LEASE_MS / 60_000} min leases (no crash is simulated);`)
console.log('    worker health is checked every 120 s (pod status every 5 s, as shipped). Cost = what the simulated providers billed.')
console.log('    A serverless job is heard of when ServerlessEngine\'s poll would find it ended (src/art/poll-pace.ts), and a worker')
console.log('    with a next image bills the wait.')
console.log('    The library holds the day before (the same rate, drawn from its own stream), as it would for a studio this busy')
console.log('    every day: the studio starts from its last twelve hours of demand, as on every start; no pod is up at midnight.')
console.log('    "kitsumy, first day" is a new library with no history (urgent only: relaxed routing does not read the demand).')
console.log('  replicate, serverless, fixed_rule and the hindsight sweep use the analytic replay (same provider models and the same line')
console.log(`    of images, static dispatch, no SQLite); it is cross-checked against the full simulator at ${CHECK.rate}/day, seed ${CHECK.seed}, below.`)
console.log('  Each comic\'s first panel goes ahead of the line in every policy; percentiles pool all comics of the 5 seeds.')
console.log(`Running on ${threads} worker thread(s)…`)

const tasks: Task[] = []
const index = new Map<string, number>()
const add = (key: string, task: Task) => {
  index.set(key, tasks.length)
  tasks.push(task)
}
// Longest first, so the threads finish together.
for (const rate of [...rates].sort((a, b) => b - a)) {
  for (const seed of seeds) {
    for (const level of LEVELS) {
      add(`kitsumy:${rate}:${seed}:${level}`, { kind: 'studio', rate, seed, policy: 'kitsumy', level, interruptible: false })
    }
    add(`first:${rate}:${seed}`, { kind: 'studio', rate, seed, policy: 'kitsumy', level: 'urgent', interruptible: false, firstDay: true })
    add(`hindsight:${rate}:${seed}`, { kind: 'hindsight', rate, seed })
    add(`baselines:${rate}:${seed}`, { kind: 'baselines', rate, seed })
  }
  for (const level of LEVELS) add(`spot:${rate}:${level}`, { kind: 'studio', rate, seed: seeds[0], policy: 'kitsumy', level, interruptible: true })
}
for (const policy of BASELINES) add(`check:${policy}`, { kind: 'studio', ...CHECK, policy, level: 'urgent', interruptible: false })

let lastReport = 0
const results = await runPool(tasks, threads, (done, total) => {
  const now = performance.now()
  if (now - lastReport > 15_000 || done === total) {
    lastReport = now
    console.log(`  ${done}/${total} runs done after ${((now - started) / 1000).toFixed(0)} s`)
  }
})
const get = (key: string): TaskResult => results[index.get(key)!]
const studio = (key: string): StudioOutcome => (get(key) as Extract<TaskResult, { kind: 'studio' }>).outcome
const baselines = (rate: number, seed: number) => get(`baselines:${rate}:${seed}`) as Extract<TaskResult, { kind: 'baselines' }>
const hindsight = (rate: number, seed: number) => get(`hindsight:${rate}:${seed}`) as Extract<TaskResult, { kind: 'hindsight' }>

function outcomes(policy: Policy, rate: number, level: Level): RunOutcome[] {
  return seeds.map((seed) => {
    if (policy === 'kitsumy') return studio(`kitsumy:${rate}:${seed}:${level}`)
    if (policy === 'hindsight') return hindsight(rate, seed).best[level]!.outcome
    return baselines(rate, seed)[policy]
  })
}

interface Row { rate: number; level: Level; policy: string; summary: Summary; meets: boolean }
const rows: Row[] = []
for (const rate of rates) {
  for (const level of LEVELS) {
    for (const policy of POLICIES) {
      const summary = summarize(outcomes(policy, rate, level), SCENARIO.levels[level].finishP95)
      rows.push({ rate, level, policy, summary, meets: meetsLevel(summary, level) })
    }
  }
}
const row = (rate: number, level: Level, policy: string) => rows.find((r) => r.rate === rate && r.level === level && r.policy === policy)!
const firstDays = new Map(rates.map((rate) => {
  const summary = summarize(seeds.map((seed) => studio(`first:${rate}:${seed}`)), SCENARIO.levels.urgent.finishP95)
  return [rate, { rate, level: 'urgent' as const, policy: 'kitsumy, first day', summary, meets: meetsLevel(summary, 'urgent') }]
}))

// The hindsight's own kind of configuration (pods up all day) with a perfect spill: every comic on time,
// spilled images free of cold starts and idle tails. What that whole family could reach at best.
const bounds = new Map<string, { usdPerComic: number; pods: number[] }>()
for (const rate of rates) {
  for (const level of LEVELS) {
    const picks = seeds.map((seed) => {
      const trace = poissonTrace(rate, seed)
      return { comics: trace.arrivals.length, ...onTimeBound(trace, SCENARIO.levels[level].finishP95) }
    })
    bounds.set(`${rate}:${level}`, { usdPerComic: picks.reduce((a, p) => a + p.usd, 0) / picks.reduce((a, p) => a + p.comics, 0), pods: picks.map((p) => p.pods) })
  }
}
const bound = (rate: number, level: Level) => bounds.get(`${rate}:${level}`)!

const fmtS = (s: number) => (Number.isFinite(s) ? `${Math.round(s)} s` : 'never')
const line = (name: string, r: Row) =>
  `  ${name.padEnd(26)} $${r.summary.usdPerComic.toFixed(4).padStart(7)}  ${fmtS(r.summary.p95FirstPanel).padStart(8)}  ${fmtS(r.summary.p50Finish).padStart(8)}  ${fmtS(r.summary.p95Finish).padStart(8)}  ${`${(100 * r.summary.lateShare).toFixed(1)} %`.padStart(7)}  ${String(r.summary.imagesLost).padStart(5)}  ${r.meets ? 'yes' : 'NO'}`
for (const rate of rates) {
  for (const level of LEVELS) {
    const t = SCENARIO.levels[level]
    const target = t.firstPanelP95 === null ? `p95 finish ≤ ${t.finishP95} s` : `p95 first panel ≤ ${t.firstPanelP95} s, p95 finish ≤ ${t.finishP95} s`
    const comics = row(rate, level, 'serverless').summary.comics
    console.log(`\n${rate} comics/day, ${level} (${target}); ${comics} comics over ${seeds.length} seeds`)
    console.log(`  ${'policy'.padEnd(26)} ${'$/comic'.padStart(8)}  ${'p95 1st'.padStart(8)}  ${'p50 end'.padStart(8)}  ${'p95 end'.padStart(8)}  ${'late'.padStart(7)}  ${'lost'.padStart(5)}  meets`)
    for (const policy of POLICIES) console.log(line(policy, row(rate, level, policy)))
    if (level === 'urgent') console.log(line('kitsumy, first day', firstDays.get(rate)!))
    const picks = seeds.map((seed) => describeConfig(hindsight(rate, seed).best[level]!.config))
    console.log(`  hindsight picks per seed: ${[...new Set(picks)].map((p) => `${p} ×${picks.filter((x) => x === p).length}`).join('; ')}`)
    const b = bound(rate, level)
    console.log(`  best fleet kept up all day (0: none) with a perfect spill (every comic on time, no cold start or idle tail): $${b.usdPerComic.toFixed(4)}/comic = ${(b.usdPerComic / row(rate, level, 'serverless').summary.usdPerComic).toFixed(3)} × serverless (pods per seed: ${b.pods.join(', ')})`)
  }
}

// The targets for ours, checked one by one.
interface Check { rate: number; level: Level; target: string; ok: boolean; detail: string }
const checks: Check[] = []
for (const rate of rates) {
  for (const level of LEVELS) {
    const k = row(rate, level, 'kitsumy').summary
    const h = row(rate, level, 'hindsight').summary
    const s = row(rate, level, 'serverless').summary
    const add = (target: string, ok: boolean, detail: string) => checks.push({ rate, level, target, ok, detail })
    add('meets the service level', row(rate, level, 'kitsumy').meets, `p95 first ${fmtS(k.p95FirstPanel)}, p95 finish ${fmtS(k.p95Finish)}`)
    add('≤ 1.15 × hindsight', k.usdPerComic <= 1.15 * h.usdPerComic, `${(k.usdPerComic / h.usdPerComic).toFixed(3)} ×`)
    add('≤ serverless only', k.usdPerComic <= s.usdPerComic, `${(k.usdPerComic / s.usdPerComic).toFixed(3)} ×`)
    if (rate === 500) add('≤ 0.6 × serverless only', k.usdPerComic <= 0.6 * s.usdPerComic, `${(k.usdPerComic / s.usdPerComic).toFixed(3)} × (hindsight ${(h.usdPerComic / s.usdPerComic).toFixed(3)} ×, all-day pods with a perfect spill ${(bound(rate, level).usdPerComic / s.usdPerComic).toFixed(3)} ×)`)
    if (level === 'urgent') {
      const f = firstDays.get(rate)!
      add('meets the level, first day', f.meets, `${(f.summary.usdPerComic / s.usdPerComic).toFixed(3)} × serverless, p95 first ${fmtS(f.summary.p95FirstPanel)}, p95 finish ${fmtS(f.summary.p95Finish)}, ${(100 * f.summary.lateShare).toFixed(1)} % late`)
    }
    const spot = studio(`spot:${rate}:${level}`)
    add('0 images lost, interruptible pods', spot.imagesLost === 0, `${spot.imagesLost} lost, ${spot.pods.preempted} preemption(s), ${spot.pods.lostJobs} image(s) redone elsewhere, $${(spot.usd / spot.comics.length).toFixed(4)}/comic (seed ${seeds[0]})`)
  }
}
console.log('\nTargets for kitsumy:')
for (const c of checks) console.log(`  ${c.ok ? 'met   ' : 'NOT MET'} ${String(c.rate).padStart(3)}/day ${c.level.padEnd(7)} ${c.target.padEnd(34)} ${c.detail}`)

// Where pods start paying: the lowest volume at which the best configuration with pods beats serverless alone.
console.log('\nWhen pods pay off:')
for (const level of LEVELS) {
  const paying = rates.filter((rate) => {
    const h = row(rate, level, 'hindsight').summary.usdPerComic
    const usesPods = seeds.some((seed) => {
      const c = hindsight(rate, seed).best[level]!.config
      return c.alwaysOn > 0 || c.trigger !== null
    })
    return usesPods && h < 0.95 * row(rate, level, 'serverless').summary.usdPerComic
  })
  const first = paying[0]
  const saving = (rate: number) => Math.round(100 * (1 - row(rate, level, 'kitsumy').summary.usdPerComic / row(rate, level, 'serverless').summary.usdPerComic))
  console.log(first === undefined
    ? `  ${level}: pods never beat serverless alone at ${rates.join('/')} comics/day.`
    : `  ${level}: pods pay from ${first} comics/day (ours saves ${paying.map((r) => `${saving(r)} % at ${r}/day`).join(', ')} against serverless alone)${first === rates[0] ? '' : `; below that, serverless alone is cheapest`}.`)
}

// Cross-check: the replay against the full simulator on the same trace.
console.log(`\nReplay vs full simulator (${CHECK.rate}/day, seed ${CHECK.seed}):`)
for (const policy of BASELINES) {
  const full = summarize([studio(`check:${policy}`)])
  const fast = summarize([baselines(CHECK.rate, CHECK.seed)[policy]])
  console.log(`  ${policy.padEnd(11)} full $${full.usdPerComic.toFixed(4)} p95 end ${fmtS(full.p95Finish)} | replay $${fast.usdPerComic.toFixed(4)} p95 end ${fmtS(fast.p95Finish)}`)
}
const ledgerGap = Math.max(...[...index.keys()].filter((k) => k.startsWith('kitsumy:')).map((k) => Math.abs(studio(k).ledgerUsd - studio(k).usd)))
const rowsGap = Math.max(...[...index.keys()].filter((k) => k.startsWith('kitsumy:')).map((k) => Math.abs(studio(k).ledgerUsd - studio(k).ledgerRowsUsd)))
console.log(`Ledger vs providers' bills (kitsumy runs): largest gap $${ledgerGap.toFixed(6)}; ledger total vs sum of its rows: $${rowsGap.toFixed(9)}.`)
const cpu = [...index.keys()].filter((k) => k.startsWith('kitsumy:500')).map((k) => studio(k).cpuMs)
console.log(`Full simulator: ${(cpu.reduce((a, b) => a + b, 0) / cpu.length / 1000).toFixed(1)} s of CPU per simulated day at 500 comics/day. Bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s.`)
console.log(`Floor (every image at the pod's per-second price): $${FLOOR_USD_PER_COMIC.toFixed(4)}/comic.`)

const round = (x: number, d: number) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null)
const json = (r: Row) => ({
  rate: r.rate, level: r.level, policy: r.policy,
  usd_per_comic: round(r.summary.usdPerComic, 5),
  p95_first_panel_s: round(r.summary.p95FirstPanel, 1),
  p50_finish_s: round(r.summary.p50Finish, 1),
  p95_finish_s: round(r.summary.p95Finish, 1),
  images_lost: r.summary.imagesLost,
})
console.log(JSON.stringify({
  bench: 'economics',
  rows: rows.map(json),
  kitsumy_first_day: [...firstDays.values()].map(json),
  floor_usd_per_comic: round(FLOOR_USD_PER_COMIC, 5),
  targets: checks.map((c) => ({ rate: c.rate, level: c.level, target: c.target, ok: c.ok })),
}))
