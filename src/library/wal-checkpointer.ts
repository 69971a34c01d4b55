import { createRequire } from 'node:module'
import { Worker as Thread } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import type { Clock } from '../platform/clock.ts'

export interface CheckpointResult {
  // Frames in the WAL, and how many of them are now copied into the database file.
  log: number
  checkpointed: number
}

// Plain CommonJS so it runs from a string in any build (Vite, Electron, Node): no worker file to ship.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 1000')
parentPort.on('message', (id) => {
  if (id === 'stop') {
    db.close()
    parentPort.close()
    return
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ id, log: r.log, checkpointed: r.checkpointed })
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) })
  }
})
`

type Reply = { id: number; log: number; checkpointed: number } | { id: number; error: string }

// SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, and under
// synchronous=NORMAL it fsyncs the WAL and the database there: milliseconds on the event loop, every
// few hundred jobs. This moves checkpoints to a thread with its own connection (PASSIVE: it never
// blocks the writer), on a clock timer. The writer keeps a far threshold as a backstop, because a
// writer that never pauses gives the WAL no moment to start over and only its own checkpoint bounds it.
export const BACKSTOP_PAGES = 10_000
const STOP_GRACE_MS = 5_000
export class WalCheckpointer {
  private readonly db: Database.Database
  private readonly clock: Clock
  private readonly intervalMs: number
  private readonly onError: (error: unknown) => void
  private thread: Thread | null = null
  private timer: unknown = null
  private previousAutocheckpoint = 1000
  private seq = 0
  private readonly waiting = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>()
  lastResult: CheckpointResult | null = null

  constructor(db: Database.Database, opts: { clock: Clock; intervalMs?: number; onError?: (error: unknown) => void }) {
    this.db = db
    this.clock = opts.clock
    this.intervalMs = opts.intervalMs ?? 1_000
    this.onError = opts.onError ?? ((error) => console.error('WAL checkpoint:', error))
  }

  start(): void {
    if (this.thread) return
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.thread = new Thread(THREAD_SOURCE, { eval: true, workerData: { file: this.db.name, driver } })
    this.thread.unref()
    this.thread.on('message', (reply: Reply) => this.settle(reply))
    this.thread.on('error', (error) => {
      // Without the thread the writer goes back to checkpointing for itself at the usual threshold.
      this.stopThread(error)
      this.onError(error)
    })
    this.previousAutocheckpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
    this.schedule()
  }

  checkpoint(): Promise<CheckpointResult> {
    const thread = this.thread
    if (!thread) return Promise.reject(new Error('the checkpointer is not running'))
    const id = ++this.seq
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      thread.postMessage(id)
    })
  }

  // The thread is asked to close its connection and end. Terminating it instead can catch it still loading the
  // SQLite addon (a library closed right after it opened), and Node then aborts the whole process.
  async stop(): Promise<void> {
    const thread = this.thread
    if (!thread) return
    this.stopThread(new Error('the checkpointer stopped'))
    const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()))
    // Held until it has ended, so a closing process waits for it.
    thread.ref()
    thread.postMessage('stop')
    // A thread stuck in a checkpoint on a dead disk never reads the message: it is ended by force. Wall time on
    // purpose: this bounds a shutdown, whatever clock the studio runs on.
    const force = setTimeout(() => void thread.terminate(), STOP_GRACE_MS)
    force.unref()
    await exited
    clearTimeout(force)
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      // One at a time: a slow disk must not pile up requests.
      if (this.waiting.size === 0) {
        this.checkpoint().then((r) => { this.lastResult = r }, (error) => { if (this.thread) this.onError(error) })
      }
      if (this.thread) this.schedule()
    }, this.intervalMs)
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id)
    if (!waiter) return
    this.waiting.delete(reply.id)
    if ('error' in reply) waiter.reject(new Error(reply.error))
    else waiter.resolve({ log: reply.log, checkpointed: reply.checkpointed })
  }

  private stopThread(reason: unknown): void {
    this.clock.clearTimeout(this.timer)
    this.timer = null
    this.thread = null
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.previousAutocheckpoint}`)
    for (const waiter of this.waiting.values()) waiter.reject(reason instanceof Error ? reason : new Error(String(reason)))
    this.waiting.clear()
  }
}
