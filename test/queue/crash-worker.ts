// Child process for crash.test.ts: works the queue in a real database file until no job is left.
// The test kills it with SIGKILL at random moments and starts it again.
import Database from 'better-sqlite3'
import { KitsumyError } from '../../src/contract/errors.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import { migrate, QUEUE_PRAGMAS } from '../../src/queue/schema.ts'
import { Worker } from '../../src/queue/worker.ts'

const [file, leaseMs] = process.argv.slice(2)
const db = new Database(file)
for (const pragma of QUEUE_PRAGMAS) db.pragma(pragma)
migrate(db)

const queue = new JobQueue(db, { clock: systemClock, leaseMs: Number(leaseMs), maxStalls: 1_000, backoff: { baseMs: 5, maxMs: 20 } })
const recordRun = db.prepare('INSERT INTO crash_runs (job_id) VALUES (?)')
const recordCost = db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)')
const live = db.prepare("SELECT count(*) AS n FROM queue_jobs WHERE state IN ('queued','delayed','active','waiting')")

const worker = new Worker(queue, {
  work: async (job, ctx) => {
    const { n } = job.payload as { n: number }
    // Outside the completion transaction on purpose: it counts how often work really ran.
    recordRun.run(job.id)
    await new Promise((resolve) => setImmediate(resolve))
    if (n % 10 === 0 && job.attempts === 1) throw new KitsumyError('timeout', 'engine took too long')
    ctx.onComplete(() => { recordCost.run(job.id, job.key, 0.001) })
    return { doubled: n * 2 }
  },
}, { concurrency: 8, clock: systemClock })

const exitWhenDone = () => {
  if ((live.get() as { n: number }).n === 0) {
    db.close()
    process.exit(0)
  }
}
// One byte per committed completion tells the test how far this run got, so it can kill it mid-stride.
queue.on((e) => {
  if (e.type !== 'job_updated' || (e.job.state !== 'completed' && e.job.state !== 'failed')) return
  process.stdout.write('.')
  exitWhenDone()
})
// The queue's timers are unref'd (they never hold an app open); this run must stay up until the
// jobs a killed run left leased have expired and been worked, so it holds the process itself.
setInterval(exitWhenDone, 100)
worker.start()
exitWhenDone()
