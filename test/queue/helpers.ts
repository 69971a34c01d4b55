import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import type { JobQueueOptions } from '../../src/queue/job-queue.ts'
import type { QueueEvent } from '../../src/queue/events.ts'
import { migrate, QUEUE_PRAGMAS } from '../../src/queue/schema.ts'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn()
})

// A real WAL database file in a fresh folder, opened the way the library opens it.
export function openDb(dir = mkdtempSync(join(tmpdir(), 'kitsumy-queue-'))): { db: Database.Database; file: string; dir: string } {
  const file = join(dir, 'library.db')
  const db = openFile(file)
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return { db, file, dir }
}

export function openFile(file: string): Database.Database {
  const db = new Database(file)
  for (const pragma of QUEUE_PRAGMAS) db.pragma(pragma)
  migrate(db)
  cleanups.push(() => db.close())
  return db
}

export interface Setup {
  db: Database.Database
  file: string
  clock: ManualClock
  queue: JobQueue
  events: QueueEvent[]
}

export function setup(opts: Partial<JobQueueOptions> = {}): Setup {
  const { db, file } = openDb()
  const clock = new ManualClock()
  const queue = new JobQueue(db, { clock, random: seededRandom(42), leaseMs: 10_000, ...opts })
  const events: QueueEvent[] = []
  queue.on((e) => events.push(e))
  return { db, file, clock, queue, events }
}

// Lets promise callbacks and microtasks run; no wall-clock time is waited for.
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

// A promise the test resolves or rejects by hand: stands in for a long-running engine call.
export function deferred<T = unknown>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

export function costTable(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS fake_costs (job_id TEXT NOT NULL, key TEXT, usd REAL NOT NULL)')
}

export function costRows(db: Database.Database): { job_id: string; key: string | null; usd: number }[] {
  return db.prepare('SELECT job_id, key, usd FROM fake_costs ORDER BY rowid').all() as { job_id: string; key: string | null; usd: number }[]
}
