// Job queue throughput on a real database file: bulk enqueue, claim + complete (with a cost row in
// the completion transaction, as the studio records it), and claim latency, under both WAL
// durability settings, with checkpoints on the WalCheckpointer thread and, for comparison, inside
// the writer's own commits (SQLite's default). The final JSON line reports what the queue ships with.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { systemClock } from '../src/platform/clock.ts'
import { seededRandom } from '../src/platform/random.ts'
import { JobQueue } from '../src/queue/job-queue.ts'
import type { JobSpec } from '../src/queue/job-queue.ts'
import { migrate, QUEUE_PRAGMAS } from '../src/queue/schema.ts'
import { WalCheckpointer } from '../src/library/wal-checkpointer.ts'
import { Worker } from '../src/queue/worker.ts'

// The studio's shape: each comic is a parent job whose panels arrive in one batch.
const COMICS = 500
const PANELS_PER_COMIC = 100
const BULK_JOBS = COMICS * PANELS_PER_COMIC
const CLAIM_JOBS = 10_000
const WORKER_JOBS = 10_000
// FULL pays an fsync per commit; a time budget keeps its runs short without changing the rates.
const PHASE_BUDGET_MS = 8_000

type Sync = 'NORMAL' | 'FULL'
type Checkpoints = 'thread' | 'writer'
const SHIPPED = QUEUE_PRAGMAS.find((p) => p.startsWith('synchronous'))!.split('=')[1].trim() as Sync

interface Figures {
  bulk_enqueue_per_s: number
  bulk_enqueue_cpu_us: number
  claim_complete_per_s: number
  claim_complete_cpu_us: number
  worker_per_s: number
  p50_claim_ms: number
  p99_claim_ms: number
  p99_complete_ms: number
}

function open(dir: string, name: string, sync: Sync): Database.Database {
  const db = new Database(join(dir, `queue-${name}.db`))
  for (const pragma of QUEUE_PRAGMAS) db.pragma(pragma)
  db.pragma(`synchronous = ${sync}`)
  migrate(db)
  db.exec('CREATE TABLE bench_costs (job_id TEXT NOT NULL, usd REAL NOT NULL)')
  return db
}

function panels(parentId: string, comic: number): JobSpec[] {
  return Array.from({ length: PANELS_PER_COMIC }, (_, i) => ({
    kind: 'panel', payload: { panel: i, prompt: 'a fox in the rain, ink wash, close-up' },
    key: `${comic.toString(16).padStart(8, '0')}${i.toString(16).padStart(56, '0')}`, group: 'pod',
    parentId, comicId: `comic-${comic}`,
  }))
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
const round = (n: number, digits = 3) => Number(n.toFixed(digits))

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
// CPU time of this process (all threads) per job: what the work costs when the machine is shared.
const cpuUs = (since: NodeJS.CpuUsage, jobs: number) => {
  const used = process.cpuUsage(since)
  return round((used.user + used.system) / jobs, 1)
}

// Compiles the hot paths before anything is timed, on a throwaway file.
function warmUp(dir: string): void {
  const db = open(dir, 'warm-up', 'NORMAL')
  const queue = new JobQueue(db, { clock: systemClock })
  const parent = queue.enqueue({ kind: 'comic', payload: null })
  queue.claim({ kinds: ['comic'] })
  for (let round = 0; round < 20; round++) queue.enqueueMany(panels(parent, round))
  for (let job = queue.claim({ kinds: ['panel'] }); job; job = queue.claim({ kinds: ['panel'] })) queue.complete(job, {}, () => {})
  db.close()
}

async function measure(dir: string, sync: Sync, checkpoints: Checkpoints): Promise<Figures> {
  const db = open(dir, `${sync}-${checkpoints}`, sync)
  const checkpointer = checkpoints === 'thread' ? new WalCheckpointer(db, { clock: systemClock, intervalMs: 250 }) : null
  checkpointer?.start()
  const queue = new JobQueue(db, { clock: systemClock, random: seededRandom(1) })
  const charge = db.prepare('INSERT INTO bench_costs (job_id, usd) VALUES (?, ?)')

  queue.enqueueMany(Array.from({ length: COMICS }, (_, comic) => ({ kind: 'comic', payload: null, comicId: `comic-${comic}` })))
  const parents = Array.from({ length: COMICS }, () => queue.claim({ kinds: ['comic'] })!)
  const batches = parents.map((parent, comic) => panels(parent.id, comic))
  let cpu = process.cpuUsage()
  let start = performance.now()
  // A comic's panels arrive in one call and the event loop turns between comics, as in the app (the
  // story job ends, then the next one runs), so the checkpoint thread does its work between them.
  for (const batch of batches) {
    queue.enqueueMany(batch)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  const bulkPerS = BULK_JOBS / ((performance.now() - start) / 1000)
  const bulkCpuUs = cpuUs(cpu, BULK_JOBS)
  for (const parent of parents) queue.complete(parent, { title: 'story' })

  // The claim walks a line of BULK_JOBS waiting jobs, as a busy studio's would. The loop gives the
  // event loop a turn after each job, as the app does between jobs (timers, the checkpointer's replies).
  const claimMs: number[] = []
  const completeMs: number[] = []
  cpu = process.cpuUsage()
  start = performance.now()
  let claimed = 0
  for (; claimed < CLAIM_JOBS && performance.now() - start < PHASE_BUDGET_MS; claimed++) {
    const t0 = performance.now()
    const job = queue.claim({ kinds: ['panel'] })!
    const t1 = performance.now()
    queue.complete(job, { image: `${job.key}.png` }, () => { charge.run(job.id, 0.003) })
    completeMs.push(performance.now() - t1)
    claimMs.push(t1 - t0)
    await turn()
  }
  const claimCompletePerS = claimed / ((performance.now() - start) / 1000)
  const claimCompleteCpuUs = cpuUs(cpu, claimed)

  // The same path through the Worker: async handlers, lease renewal, wake-ups, group bookkeeping.
  queue.cancelComic(`comic-${COMICS - 1}`)
  const leftover = (db.prepare("SELECT count(*) AS n FROM queue_jobs WHERE state = 'queued'").get() as { n: number }).n
  const target = Math.min(WORKER_JOBS, leftover)
  let finished = 0
  let allDone: () => void = () => {}
  const done = new Promise<void>((resolve) => { allDone = resolve })
  const worker = new Worker(queue, {
    panel: async (job, ctx) => {
      ctx.onComplete(() => { charge.run(job.id, 0.003) })
      if (++finished === target || performance.now() - start > PHASE_BUDGET_MS) allDone()
      return { image: `${job.key}.png` }
    },
  }, { concurrency: 8, clock: systemClock, groups: { pod: { concurrency: 8 } } })
  start = performance.now()
  worker.start()
  await done
  const workerPerS = finished / ((performance.now() - start) / 1000)
  await worker.drain(5_000)
  await checkpointer?.stop()
  db.close()

  claimMs.sort((a, b) => a - b)
  completeMs.sort((a, b) => a - b)
  return {
    bulk_enqueue_per_s: Math.round(bulkPerS),
    bulk_enqueue_cpu_us: bulkCpuUs,
    claim_complete_per_s: Math.round(claimCompletePerS),
    claim_complete_cpu_us: claimCompleteCpuUs,
    worker_per_s: Math.round(workerPerS),
    p50_claim_ms: round(percentile(claimMs, 0.5)),
    p99_claim_ms: round(percentile(claimMs, 0.99)),
    p99_complete_ms: round(percentile(completeMs, 0.99)),
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kitsumy-bench-queue-'))
try {
  warmUp(dir)
  const runs: [Sync, Checkpoints][] = [['NORMAL', 'thread'], ['FULL', 'thread'], ['NORMAL', 'writer'], ['FULL', 'writer']]
  const results: Record<string, Figures> = {}
  for (const [sync, checkpoints] of runs) {
    const name = `${sync.toLowerCase()}_${checkpoints}_checkpoints`
    results[name] = await measure(dir, sync, checkpoints)
    console.log(`synchronous=${sync}, checkpoints in ${checkpoints}:`, results[name])
  }
  const shipped = `${SHIPPED.toLowerCase()}_thread_checkpoints`
  const { [shipped]: headline, ...others } = results
  console.log(JSON.stringify({
    bench: 'queue', synchronous: SHIPPED, checkpoints: 'thread', ...headline, ...others,
    jobs: { bulk: BULK_JOBS, claim_complete: CLAIM_JOBS, worker: WORKER_JOBS },
    // Figures are wall-clock; a loaded machine (other work on its cores) lowers them all.
    load_average: round(loadavg()[0], 2),
  }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
