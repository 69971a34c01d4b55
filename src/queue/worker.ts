import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import { GroupLimiter } from './group-limits.ts'
import type { GroupLimit } from './group-limits.ts'
import type { QueueSignal } from './events.ts'
import type { ClaimedJob, CompletionHook, JobQueue } from './job-queue.ts'

export interface HandlerContext {
  // Aborted when the job is cancelled, its lease is lost, or the worker gives up on it while draining.
  signal: AbortSignal
  progress(fraction: number): void
  // Runs inside the completion transaction, and only if this run's result is the first for its key:
  // the place to record what the run cost, so the charge and the completion commit together once.
  onComplete(hook: CompletionHook): void
}

export type Handler = (job: ClaimedJob, ctx: HandlerContext) => Promise<unknown>

export interface WorkerOptions {
  // Jobs run at once; a function is asked again each time the worker looks for work.
  concurrency: number | (() => number)
  groups?: Record<string, GroupLimit>
  clock: Clock
  stallCheckMs?: number
  // The queue's own bookkeeping failed (database locked or unwritable). The job's lease then runs
  // out and the job is run again, so this is for telling someone, not for recovering.
  onError?: (error: unknown) => void
}

interface Running {
  claim: ClaimedJob
  controller: AbortController
  released: boolean
  done: Promise<void>
}

const RETRY_AFTER_ERROR_MS = 1_000

// Runs handlers for claimed jobs. It never polls: enqueues wake it, and clock timers wake it for the
// next delayed job, the next rate-limit slot, lease renewal and the stall check.
export class Worker {
  private readonly queue: JobQueue
  private readonly handlers: Readonly<Record<string, Handler>>
  private readonly kinds: string[]
  private readonly concurrency: () => number
  private readonly clock: Clock
  private readonly limiter: GroupLimiter
  private readonly stallCheckMs: number
  private readonly onError: (error: unknown) => void
  private readonly running = new Map<string, Running>()
  private state: 'idle' | 'running' | 'draining' | 'stopped' = 'idle'
  private pumpQueued = false
  private wakeTimer: unknown = null
  private wakeAt: number | null = null
  private renewTimer: unknown = null
  private stallTimer: unknown = null
  private unwatch: (() => void) | null = null

  constructor(queue: JobQueue, handlers: Record<string, Handler>, opts: WorkerOptions) {
    const concurrency = opts.concurrency
    if (typeof concurrency === 'number' && !(concurrency >= 1)) throw new KitsumyError('bad_input', 'worker concurrency must be at least 1')
    this.queue = queue
    this.handlers = handlers
    this.kinds = Object.keys(handlers)
    this.concurrency = typeof concurrency === 'number' ? () => concurrency : () => Math.max(1, concurrency())
    this.clock = opts.clock
    this.limiter = new GroupLimiter(opts.groups ?? {})
    this.stallCheckMs = opts.stallCheckMs ?? Math.max(1, Math.floor(queue.leaseMs / 2))
    this.onError = opts.onError ?? ((error) => console.error('job queue:', error))
  }

  get activeCount(): number {
    return this.running.size
  }

  start(): void {
    if (this.state !== 'idle') throw new KitsumyError('conflict', 'worker already started')
    this.state = 'running'
    this.unwatch = this.queue.watch((s) => this.onSignal(s))
    this.checkStalls()
    this.pump()
  }

  // Stops claiming, lets active jobs finish for up to timeoutMs, then aborts the rest and hands
  // their leases back so the next start picks them up without counting a stall.
  async drain(timeoutMs: number): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'draining'
    this.clearWake()
    this.clock.clearTimeout(this.stallTimer)
    if (this.running.size > 0) {
      let timer: unknown = null
      const timedOut = await Promise.race([
        Promise.all([...this.running.values()].map((r) => r.done)).then(() => false),
        new Promise<boolean>((resolve) => { timer = this.clock.setTimeout(() => resolve(true), timeoutMs) }),
      ])
      this.clock.clearTimeout(timer)
      if (timedOut) {
        // A handler that ignores its signal must not hold up quitting: it is no longer ours.
        for (const r of this.running.values()) {
          r.released = true
          this.guard(() => this.queue.release(r.claim))
          r.controller.abort(new KitsumyError('cancelled', 'the studio is shutting down'))
        }
        this.running.clear()
      }
    }
    this.clock.clearTimeout(this.renewTimer)
    this.unwatch?.()
    this.state = 'stopped'
  }

  // The concurrency limit may have grown (it is a function): take more jobs now, not at the next queue event.
  wake(): void {
    this.schedulePump()
  }

  private onSignal(s: QueueSignal): void {
    if (s.type === 'wake') {
      this.schedulePump()
      return
    }
    const ids = new Set(s.ids)
    for (const r of this.running.values()) {
      if (ids.has(r.claim.id)) r.controller.abort(new KitsumyError('cancelled', 'job cancelled'))
    }
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.state !== 'running') return
    this.pumpQueued = true
    queueMicrotask(() => this.pump())
  }

  private pump(): void {
    this.pumpQueued = false
    if (this.state !== 'running' || this.queue.isPaused()) return
    try {
      this.queue.promoteDue()
      const limit = this.concurrency()
      while (this.running.size < limit) {
        const claim = this.queue.claim({ kinds: this.kinds, blockedGroups: this.limiter.blocked(this.clock.now()) })
        if (!claim) break
        this.limiter.started(claim.group, this.clock.now())
        this.run(claim)
      }
      this.scheduleWake(null)
    } catch (error) {
      this.onError(error)
      this.scheduleWake(this.clock.now() + RETRY_AFTER_ERROR_MS)
    }
  }

  private run(claim: ClaimedJob): void {
    const entry: Running = { claim, controller: new AbortController(), released: false, done: Promise.resolve() }
    this.running.set(claim.lease, entry)
    this.scheduleRenew()
    entry.done = this.execute(entry).finally(() => {
      this.running.delete(claim.lease)
      this.limiter.finished(claim.group)
      if (this.running.size === 0) {
        this.clock.clearTimeout(this.renewTimer)
        this.renewTimer = null
      }
      this.schedulePump()
    })
  }

  private async execute(entry: Running): Promise<void> {
    const { claim, controller } = entry
    const hooks: CompletionHook[] = []
    try {
      // At-least-once delivery: a rerun of work whose result is already stored finishes at no cost.
      const cached = claim.key === null ? undefined : this.queue.resultForKey(claim.key)
      if (cached !== undefined) {
        this.queue.complete(claim, cached)
        return
      }
      const result = await this.handlers[claim.kind](claim, {
        signal: controller.signal,
        progress: (fraction) => { if (!entry.released) this.guard(() => this.queue.progress(claim, fraction)) },
        onComplete: (hook) => { hooks.push(hook) },
      })
      if (entry.released) return
      this.queue.complete(claim, result, (db) => { for (const hook of hooks) hook(db) })
    } catch (error) {
      if (entry.released) return
      if (error instanceof KitsumyError && error.code === 'rate_limit' && error.retryAfterMs !== null) {
        this.limiter.hold(claim.group, this.clock.now() + error.retryAfterMs)
      }
      this.guard(() => this.queue.fail(claim, error))
    }
  }

  private scheduleRenew(): void {
    if (this.renewTimer !== null) return
    this.renewTimer = this.clock.setTimeout(() => {
      this.renewTimer = null
      const held = [...this.running.values()].filter((r) => !r.released)
      if (held.length === 0) return
      const lost = new Set(this.guard(() => this.queue.renew(held.map((r) => r.claim))) ?? [])
      for (const r of held) {
        if (lost.has(r.claim)) r.controller.abort(new KitsumyError('lost', 'job lease lost'))
      }
      this.scheduleRenew()
    }, Math.max(1, Math.floor(this.queue.leaseMs / 3)))
  }

  private checkStalls(): void {
    this.stallTimer = null
    if (this.state !== 'running') return
    this.guard(() => this.queue.recoverStalled())
    this.stallTimer = this.clock.setTimeout(() => this.checkStalls(), this.stallCheckMs)
  }

  // One timer, set for the earliest moment new work can start: a delayed job's run_at or the end of
  // a group's rate-limit pause.
  private scheduleWake(atLeast: number | null): void {
    const now = this.clock.now()
    const candidates = [atLeast, this.queue.nextRunAt(), this.limiter.nextUnblockAt(now)].filter((t): t is number => t !== null)
    const at = candidates.length > 0 ? Math.min(...candidates) : null
    if (at === this.wakeAt) return
    this.clearWake()
    if (at === null) return
    this.wakeAt = at
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null
      this.wakeAt = null
      this.pump()
    }, Math.max(0, at - now))
  }

  private clearWake(): void {
    this.clock.clearTimeout(this.wakeTimer)
    this.wakeTimer = null
    this.wakeAt = null
  }

  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn()
    } catch (error) {
      this.onError(error)
      return undefined
    }
  }
}
