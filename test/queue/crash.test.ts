import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { systemClock } from '../../src/platform/clock.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import { costTable, openDb } from './helpers.ts'

const CHILD = fileURLToPath(new URL('./crash-worker.ts', import.meta.url))
const JOBS = 1_000
const KILLS = 5
// Long enough that a busy CI machine never stalls a live worker's lease; killed ones expire and are re-leased.
const LEASE_MS = 1_000

it('loses nothing and charges nothing twice when the worker is SIGKILLed five times', async () => {
  const { db, file } = openDb()
  costTable(db)
  db.exec('CREATE TABLE crash_runs (job_id TEXT NOT NULL)')
  const queue = new JobQueue(db, { clock: systemClock })
  const ids = queue.enqueueMany(Array.from({ length: JOBS }, (_, n) => ({ kind: 'work', payload: { n }, key: `image-${n}`, maxAttempts: 5 })))
  const rand = seededRandom(20_240_601)

  // Each run is killed after a random number of completions it reports (one byte each on stdout).
  const exits: (string | number | null)[] = []
  for (let run = 0; run <= KILLS; run++) {
    const killAfter = run < KILLS ? 20 + Math.floor(rand() * 100) : Infinity
    const child = spawn(process.execPath, [CHILD, file, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let reported = 0
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.stdout.on('data', (chunk: Buffer) => {
      reported += chunk.length
      if (reported >= killAfter) child.kill('SIGKILL')
    })
    exits.push(await new Promise<string | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code))))
    expect(stderr).toBe('')
  }

  expect(exits).toEqual([...Array(KILLS).fill('SIGKILL'), 0])
  const states = db.prepare('SELECT state, count(*) AS n FROM queue_jobs GROUP BY state').all()
  expect(states).toEqual([{ state: 'completed', n: JOBS }])
  const costs = db.prepare('SELECT count(*) AS n, count(DISTINCT job_id) AS jobs, count(DISTINCT key) AS keys FROM fake_costs').get() as { n: number; jobs: number; keys: number }
  expect(costs).toEqual({ n: JOBS, jobs: JOBS, keys: JOBS })
  expect(db.prepare('SELECT count(*) AS n FROM queue_results').get()).toEqual({ n: JOBS })
  ids.forEach((id, n) => expect(queue.result(id)).toEqual({ doubled: n * 2 }))
  // At-least-once: work that was cut off ran again, and stalls were counted, yet each job was charged once.
  const runs = (db.prepare('SELECT count(*) AS n FROM crash_runs').get() as { n: number }).n
  const stalls = (db.prepare('SELECT sum(stalls) AS n FROM queue_jobs').get() as { n: number }).n
  console.log(`crash test: ${JOBS} jobs, ${KILLS} SIGKILLs, ${runs} handler runs, ${stalls} stalls, ${costs.n} cost rows`)
  expect(runs).toBeGreaterThan(JOBS)
  expect(stalls).toBeGreaterThan(0)
})
