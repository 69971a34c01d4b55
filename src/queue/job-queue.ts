import { randomBytes } from 'node:crypto'
import type Database from 'better-sqlite3'
import { z } from 'zod'
import { Id } from '../contract/domain.ts'
import type { Job, JobState } from '../contract/domain.ts'
import { KitsumyError } from '../contract/errors.ts'
import { storedError } from '../contract/stored-error.ts'
import type { Clock } from '../platform/clock.ts'
import type { Random } from '../platform/random.ts'
import { decideRetry } from './retry-policy.ts'
import type { Backoff } from './retry-policy.ts'
import type { ChildrenDoneEvent, QueueEvent, QueueSignal } from './events.ts'

export const JobSpec = z.object({
  kind: z.string().min(1).max(64),
  payload: z.unknown(),
  // Idempotency key (an image's cache key): one stored result per key; one live top-level job per
  // key, one child per key under a parent; and never two runs of a key at once.
  key: z.string().min(1).max(256).optional(),
  // Higher runs first; FIFO within a priority.
  priority: z.number().int().min(-1000).max(1000).optional(),
  parentId: Id.optional(),
  comicId: Id.optional(),
  // Engine name: workers limit concurrency and rate per group.
  group: z.string().min(1).max(64).optional(),
  delayMs: z.number().nonnegative().optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
})
export type JobSpec = z.input<typeof JobSpec>
type ParsedSpec = z.infer<typeof JobSpec>

const ID = /^[A-Za-z0-9_-]{1,64}$/
const text = (v: unknown, max: number): boolean => typeof v === 'string' && v.length >= 1 && v.length <= max
const intIn = (v: unknown, min: number, max: number): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) <= max

// JobSpec's rules checked by hand: zod costs microseconds per job, a comic's panels arrive by the
// hundred. Anything this does not accept goes through zod, which rejects it with the reason.
function fastValid(spec: unknown): spec is ParsedSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return false
  const s = spec as Record<string, unknown>
  return text(s.kind, 64)
    && (s.key === undefined || text(s.key, 256))
    && (s.priority === undefined || intIn(s.priority, -1000, 1000))
    && (s.parentId === undefined || (typeof s.parentId === 'string' && ID.test(s.parentId)))
    && (s.comicId === undefined || (typeof s.comicId === 'string' && ID.test(s.comicId)))
    && (s.group === undefined || text(s.group, 64))
    && (s.delayMs === undefined || (typeof s.delayMs === 'number' && Number.isFinite(s.delayMs) && s.delayMs >= 0))
    && (s.maxAttempts === undefined || intIn(s.maxAttempts, 1, 100))
}

function validSpec(spec: unknown, index: number): ParsedSpec {
  if (fastValid(spec)) return spec
  const parsed = JobSpec.safeParse(spec)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => `${[index, ...i.path].join('.')}: ${i.message}`).join('; ')
  throw new KitsumyError('bad_input', `invalid job spec: ${issues}`)
}

export interface ClaimedJob {
  id: string
  kind: string
  payload: unknown
  key: string | null
  group: string | null
  priority: number
  attempts: number
  maxAttempts: number
  stalls: number
  parentId: string | null
  comicId: string | null
  lease: string
  // When the job was first queued: how long its requester has been waiting, across retries.
  createdAt: number
}

export interface Lease {
  id: string
  lease: string
}

export interface ChildCounts {
  total: number
  done: number
  completed: number
  failed: number
  cancelled: number
}

export type CompletionHook = (db: Database.Database) => void

export interface CompleteOutcome {
  // waiting: the job's own work is done and it now waits for its children.
  outcome: 'completed' | 'waiting' | 'gone'
  // false when an earlier job with the same key already stored a result: nothing new was recorded.
  fresh: boolean
}

export type FailOutcome =
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry'; delayMs: number; consumedAttempt: boolean }
  | { outcome: 'gone' }

export interface JobQueueOptions {
  clock: Clock
  random?: Random
  leaseMs?: number
  maxStalls?: number
  backoff?: Backoff
  defaultMaxAttempts?: number
}

type RowState = JobState | 'waiting'

interface JobRow {
  seq: number
  kind: string
  payload: string
  key: string | null
  grp: string | null
  state: RowState
  priority: number
  run_at: number
  attempts: number
  max_attempts: number
  stalls: number
  progress: number
  parent: number | null
  comic_id: string | null
  children_total: number
  children_completed: number
  children_failed: number
  children_cancelled: number
  lease: string | null
  lease_until: number | null
  error: string | null
  result: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

// What the write paths need of a job; narrower than the row, so hot statements move less data.
const CORE_COLUMNS = `seq, state, key, lease, parent, comic_id, attempts, max_attempts,
  children_total, children_completed, children_failed, children_cancelled`
type CoreRow = Pick<JobRow, 'seq' | 'state' | 'key' | 'lease' | 'parent' | 'comic_id' | 'attempts' | 'max_attempts'
  | 'children_total' | 'children_completed' | 'children_failed' | 'children_cancelled'>

interface Pending {
  // The set of waiting jobs changed, so waiting comics may have moved in the line.
  reordered: boolean
  updated: Set<number>
  parents: Set<number>
  events: ChildrenDoneEvent[]
  cancelled: string[]
  wake: boolean
}

const LIVE = "('queued','delayed','active','waiting')"
const FINAL: ReadonlySet<RowState> = new Set(['completed', 'failed', 'cancelled'])

const newPending = (): Pending => ({ reordered: false, updated: new Set(), parents: new Set(), events: [], cancelled: [], wake: false })

// A job id is its row's seq behind a letter: lookups go straight to the primary key.
const jobId = (seq: number): string => `j${seq}`
const seqOf = (id: string): number => (/^j[1-9][0-9]{0,14}$/.test(id) ? Number(id.slice(1)) : 0)

// The persistent queue on the library's SQLite file. Every method is one short transaction on the
// single writer connection; listeners hear about a change only after it is committed.
export class JobQueue {
  readonly db: Database.Database
  readonly leaseMs: number
  private readonly clock: Clock
  private readonly random: Random
  private readonly maxStalls: number
  private readonly backoff: Backoff
  private readonly defaultMaxAttempts: number
  private readonly listeners = new Set<(e: QueueEvent) => void>()
  private readonly watchers = new Set<(s: QueueSignal) => void>()
  private readonly lastPositions = new Map<number, number>()
  private readonly leasePrefix = randomBytes(6).toString('base64url')
  private leaseCounter = 0
  private pending = newPending()
  private depth = 0
  private paused: boolean
  private readonly txn: Database.Transaction<(fn: () => unknown) => unknown>
  private readonly s: ReturnType<typeof prepare>

  constructor(db: Database.Database, opts: JobQueueOptions) {
    this.db = db
    this.clock = opts.clock
    this.random = opts.random ?? Math.random
    this.leaseMs = opts.leaseMs ?? 30_000
    this.maxStalls = opts.maxStalls ?? 2
    this.backoff = opts.backoff ?? { baseMs: 2_000, maxMs: 120_000 }
    this.defaultMaxAttempts = opts.defaultMaxAttempts ?? 3
    this.txn = db.transaction((fn: () => unknown) => fn())
    this.s = prepare(db)
    this.paused = this.s.getMeta.get('paused')?.value === '1'
  }

  enqueue(spec: JobSpec): string {
    return this.enqueueMany([spec])[0]
  }

  // One transaction for the whole batch: a comic's panels appear together or not at all.
  enqueueMany(specs: JobSpec[]): string[] {
    const parsed = specs.map(validSpec)
    return this.write((p) => {
      const now = this.clock.now()
      const added = new Map<number, number>()
      const ids = parsed.map((spec) => this.insert(spec, now, added, p))
      for (const [seq, n] of added) {
        if (n === 0) continue
        this.s.addChildren.run({ seq, n, now })
        p.parents.add(seq)
      }
      return ids
    })
  }

  status(id: string): Job | null {
    const row = this.s.bySeq.get(seqOf(id))
    return row ? this.toJobs([row])[0] : null
  }

  // When the work a claimed job is part of was asked for: a comic's panels were asked for with the comic, so a
  // deadline counts from its parent's creation (however long the parent waited to run), else from its own. Asked
  // for every panel drawn: one column by primary key, not the parent's whole job.
  askedAt(job: Pick<ClaimedJob, 'parentId' | 'createdAt'>): number {
    return (job.parentId === null ? undefined : this.s.createdAt.get(seqOf(job.parentId))) ?? job.createdAt
  }

  children(parentId: string): Job[] {
    return this.toJobs(this.s.children.all(seqOf(parentId)))
  }

  // Jobs of a kind waiting to be claimed: the backlog a scheduler weighs.
  queuedCount(kind: string): number {
    return this.s.queuedOfKind.get(kind)!.n
  }

  // When each job of a kind done since `since` was asked for (created since then too), oldest first: what a studio
  // reopened on this library was asked for lately. Read through the finished-jobs index.
  askedSince(kind: string, since: number): number[] {
    return this.s.askedSince.all(since, kind, since)
  }

  // A comic's own jobs (its script, redraws of single panels) not finished yet.
  liveForComic(comicId: string): number {
    return this.s.liveForComic.get(comicId)!.n
  }

  childCounts(parentId: string): ChildCounts {
    const row = this.s.core.get(seqOf(parentId))
    return row ? countsOf(row) : { total: 0, done: 0, completed: 0, failed: 0, cancelled: 0 }
  }

  result(id: string): unknown {
    const row = this.s.bySeq.get(seqOf(id))
    return row?.result == null ? undefined : JSON.parse(row.result)
  }

  resultForKey(key: string): unknown {
    const row = this.s.resultByKey.get(key)
    return row ? JSON.parse(row.result) : undefined
  }

  // Claims the most urgent ready job in one UPDATE … RETURNING, skipping groups the caller is holding
  // back and keys already running (the twin waits, then finishes from the stored result for free).
  claim(opts: { kinds: readonly string[]; blockedGroups?: readonly string[] }): ClaimedJob | null {
    return this.write((p) => {
      const now = this.clock.now()
      const row = this.s.claim.get({
        lease: `${this.leasePrefix}${(this.leaseCounter++).toString(36)}`,
        until: now + this.leaseMs,
        now,
        kinds: JSON.stringify(opts.kinds),
        blocked: JSON.stringify(opts.blockedGroups ?? []),
      })
      if (!row) return null
      this.touched(row.seq, p)
      p.reordered = true
      return {
        id: jobId(row.seq), kind: row.kind, payload: JSON.parse(row.payload), key: row.key, group: row.grp,
        priority: row.priority, attempts: row.attempts, maxAttempts: row.max_attempts, stalls: row.stalls,
        parentId: row.parent === null ? null : jobId(row.parent), comicId: row.comic_id, lease: row.lease!,
        createdAt: row.created_at,
      }
    }, true)
  }

  // Moves delayed jobs whose time has come into the ready set; returns how many moved.
  promoteDue(): number {
    // Most calls find nothing due: a read is enough to know, without taking the write lock.
    const next = this.nextRunAt()
    if (next === null || next > this.clock.now()) return 0
    return this.write((p) => {
      const seqs = this.s.promote.all(this.clock.now())
      for (const seq of seqs) this.touched(seq, p)
      if (seqs.length > 0) p.reordered = true
      return seqs.length
    }, true)
  }

  nextRunAt(): number | null {
    return this.s.nextDelayed.get()!.at
  }

  progress(lease: Lease, fraction: number): void {
    const value = Math.min(1, Math.max(0, fraction))
    const seq = seqOf(lease.id)
    this.write((p) => {
      if (this.s.setProgress.run(value, this.clock.now(), seq, lease.lease).changes > 0) this.touched(seq, p)
    }, true)
  }

  // Extends the leases still held; returns those that are gone (cancelled, stalled, taken over).
  renew<L extends Lease>(leases: readonly L[]): L[] {
    return this.write(() => {
      const until = this.clock.now() + this.leaseMs
      return leases.filter((l) => this.s.renew.run(until, seqOf(l.id), l.lease).changes === 0)
    })
  }

  // Stores the result, runs onComplete and finishes the job in one transaction. A result that arrives
  // after its lease was lost still counts (the work is done and paid for); one already stored for the
  // same key wins and onComplete does not run, so a cost is recorded exactly once per key.
  complete(lease: Lease, result: unknown, onComplete?: CompletionHook): CompleteOutcome {
    return this.write((p) => {
      const row = this.s.core.get(seqOf(lease.id))
      if (!row || (row.state !== 'active' && row.state !== 'queued' && row.state !== 'delayed')) {
        return { outcome: 'gone', fresh: false }
      }
      const now = this.clock.now()
      let text = JSON.stringify(result ?? null)
      let fresh = true
      if (row.key !== null && this.s.insertResult.run(row.key, row.seq, text, now).changes === 0) {
        text = this.s.resultByKey.get(row.key)!.result
        fresh = false
      }
      if (fresh) onComplete?.(this.db)
      // Someone else is running it again after a lost lease: that run can stop now.
      if (row.state === 'active' && row.lease !== lease.lease) p.cancelled.push(lease.id)
      const counts = countsOf(row)
      this.touched(row.seq, p)
      if (row.state === 'queued') p.reordered = true
      if (counts.done < counts.total) {
        this.s.toWaiting.run(text, counts.done / counts.total, now, row.seq)
        return { outcome: 'waiting', fresh }
      }
      this.s.toCompleted.run({ result: text, now, seq: row.seq })
      if (counts.total > 0) p.events.push(childrenDone(row, counts))
      if (row.parent !== null) this.childFinished(row.parent, 'completed', 1, p)
      return { outcome: 'completed', fresh }
    })
  }

  fail(lease: Lease, error: unknown): FailOutcome {
    return this.write((p): FailOutcome => {
      const row = this.s.core.get(seqOf(lease.id))
      if (!row || row.state !== 'active' || row.lease !== lease.lease) return { outcome: 'gone' }
      const decision = decideRetry(error, row.attempts, row.max_attempts, this.backoff, this.random)
      const message = storedError(decision.code, decision.message)
      if (decision.action === 'fail') {
        this.finish(row, 'failed', message, p)
        return { outcome: 'failed', error: message }
      }
      const now = this.clock.now()
      this.s.toDelayed.run(now + decision.delayMs, decision.consumesAttempt ? 0 : 1, message, now, row.seq)
      this.touched(row.seq, p)
      p.wake = true
      return { outcome: 'retry', delayMs: decision.delayMs, consumedAttempt: decision.consumesAttempt }
    })
  }

  // Gives a job back without counting a stall or an attempt (graceful shutdown).
  release(lease: Lease): boolean {
    const seq = seqOf(lease.id)
    return this.write((p) => {
      const changed = this.s.release.run(this.clock.now(), seq, lease.lease).changes > 0
      if (changed) {
        this.touched(seq, p)
        p.wake = true
        p.reordered = true
      }
      return changed
    }, true)
  }

  // Active jobs whose lease ran out belong to a worker that died or hung: back to the queue, or
  // failed once they have stalled more than maxStalls times (a job that kills its worker).
  recoverStalled(): number {
    return this.write((p) => {
      const now = this.clock.now()
      const rows = this.s.expired.all(now)
      for (const row of rows) {
        // Abort the run here too, in case its worker is this process and only its timers fell behind.
        p.cancelled.push(jobId(row.seq))
        if (row.stalls + 1 > this.maxStalls) {
          this.s.bumpStalls.run(row.seq)
          this.finish(row, 'failed', `lost: stalled ${row.stalls + 1} times`, p)
        } else {
          this.s.requeueStalled.run(now, row.seq)
          this.touched(row.seq, p)
          p.wake = true
          p.reordered = true
        }
      }
      return rows.length
    })
  }

  cancel(id: string): number {
    return this.write((p) => this.cancelTree(this.s.cancelTree.all({ seq: seqOf(id), now: this.clock.now() }), p))
  }

  cancelComic(comicId: string): number {
    return this.write((p) => this.cancelTree(this.s.cancelComic.all({ comicId, now: this.clock.now() }), p))
  }

  isPaused(): boolean {
    return this.paused
  }

  pause(): void {
    this.setPaused(true)
  }

  resume(): void {
    this.setPaused(false)
  }

  // Deletes finished jobs older than maxAgeMs and beyond the newest maxCount. Children go only with
  // (or after) their parent, so a live parent's counts never change under it. Returns rows deleted.
  prune(opts: { maxAgeMs?: number; maxCount?: number }): number {
    return this.write(() => {
      let deleted = 0
      if (opts.maxAgeMs !== undefined) deleted += this.s.pruneOlder.run(this.clock.now() - opts.maxAgeMs).changes
      if (opts.maxCount !== undefined) deleted += this.s.pruneBeyond.run(opts.maxCount).changes
      if (deleted > 0) this.s.pruneResults.run()
      return deleted
    })
  }

  on(listener: (e: QueueEvent) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.lastPositions.clear()
    }
  }

  watch(watcher: (s: QueueSignal) => void): () => void {
    this.watchers.add(watcher)
    return () => this.watchers.delete(watcher)
  }

  // added: children added per parent in this batch (a parent listed there was already checked).
  private insert(spec: ParsedSpec, now: number, added: Map<number, number>, p: Pending): string {
    const parent = spec.parentId === undefined ? null : seqOf(spec.parentId)
    let count = parent === null ? undefined : added.get(parent)
    if (parent !== null && count === undefined) {
      const row = this.s.core.get(parent)
      if (!row) throw new KitsumyError('not_found', `parent job ${spec.parentId} does not exist`)
      if (FINAL.has(row.state)) throw new KitsumyError('conflict', `parent job ${spec.parentId} is already ${row.state}`)
      count = 0
      added.set(parent, 0)
    }
    const delay = spec.delayMs ?? 0
    const key = spec.key ?? null
    // The unique key indexes decide deduplication, so the common case (a new job) costs one statement.
    const info = this.s.insert.run(
      spec.kind, JSON.stringify(spec.payload ?? null), key, spec.group ?? null, delay > 0 ? 'delayed' : 'queued',
      spec.priority ?? 0, now + delay, spec.maxAttempts ?? this.defaultMaxAttempts, parent, spec.comicId ?? null, now, now,
    )
    if (info.changes === 0) {
      // A child stays its own parent's even when another comic wants the same image: each parent
      // counts its own children, and the claim lets only one job per key run at a time.
      return jobId(parent !== null ? this.s.childByKey.get(parent, key!)! : this.s.liveByKey.get(key!)!)
    }
    const seq = Number(info.lastInsertRowid)
    if (parent !== null) added.set(parent, count! + 1)
    this.touched(seq, p)
    p.wake = true
    if (delay === 0) p.reordered = true
    return jobId(seq)
  }

  private finish(row: CoreRow, state: 'failed' | 'cancelled', error: string, p: Pending): void {
    this.s.toFinal.run({ state, error, now: this.clock.now(), seq: row.seq })
    this.touched(row.seq, p)
    // A comic that failed has no use for the panels it has not drawn yet.
    this.cancelTree(this.s.cancelDescendants.all({ seq: row.seq, now: this.clock.now() }), p)
    if (row.parent !== null) this.childFinished(row.parent, state, 1, p)
  }

  // rows: the jobs this statement moved from a live state to cancelled.
  private cancelTree(rows: { seq: number; parent: number | null }[], p: Pending): number {
    const perParent = new Map<number, number>()
    if (rows.length > 0) p.reordered = true
    for (const r of rows) {
      this.touched(r.seq, p)
      p.cancelled.push(jobId(r.seq))
      if (r.parent !== null) perParent.set(r.parent, (perParent.get(r.parent) ?? 0) + 1)
    }
    for (const [parent, n] of perParent) this.childFinished(parent, 'cancelled', n, p)
    return rows.length
  }

  // Every move of a child into a final state comes through here, in the transaction that makes it.
  private childFinished(seq: number, state: 'completed' | 'failed' | 'cancelled', n: number, p: Pending): void {
    const parent = this.s.childFinished.get({
      seq, now: this.clock.now(),
      completed: state === 'completed' ? n : 0, failed: state === 'failed' ? n : 0, cancelled: state === 'cancelled' ? n : 0,
    })
    if (!parent || FINAL.has(parent.state)) return
    this.touched(seq, p)
    p.parents.add(seq)
    const counts = countsOf(parent)
    // A parent whose own work is done completes with its last child.
    if (parent.state === 'waiting' && counts.done === counts.total) {
      this.s.parentCompleted.run({ now: this.clock.now(), seq })
      p.events.push(childrenDone(parent, counts))
      if (parent.parent !== null) this.childFinished(parent.parent, 'completed', 1, p)
    }
  }

  private setPaused(paused: boolean): void {
    if (paused === this.paused) return
    this.write((p) => {
      this.s.setMeta.run('paused', paused ? '1' : '0')
      if (!paused) p.wake = true
    })
    this.paused = paused
    this.emit({ type: paused ? 'paused' : 'resumed' })
  }

  private touched(seq: number, p: Pending): void {
    if (this.listeners.size > 0) p.updated.add(seq)
  }

  // oneStatement: fn runs a single write statement, atomic on its own, so no BEGIN/COMMIT around it.
  private write<T>(fn: (p: Pending) => T, oneStatement = false): T {
    // A completion hook may enqueue: it joins the outer transaction and its events wait for that commit.
    if (this.depth > 0) return fn(this.pending)
    this.depth++
    let out: T
    try {
      out = oneStatement ? fn(this.pending) : this.txn.immediate(() => fn(this.pending)) as T
    } catch (err) {
      this.pending = newPending()
      throw err
    } finally {
      this.depth--
    }
    this.flush()
    return out
  }

  private flush(): void {
    const p = this.pending
    this.pending = newPending()
    if (p.cancelled.length > 0) this.signal({ type: 'cancelled', ids: p.cancelled })
    if (p.wake) this.signal({ type: 'wake' })
    if (this.listeners.size === 0) return
    const rows = [...p.updated].map((seq) => this.s.bySeq.get(seq)).filter((row) => row !== undefined)
    for (const job of this.toJobs(rows)) this.emit({ type: 'job_updated', job })
    for (const seq of p.parents) {
      const parent = this.s.core.get(seq)
      if (!parent?.comic_id) continue
      const counts = countsOf(parent)
      this.emit({ type: 'generation_progress', comicId: parent.comic_id, current: counts.done, total: counts.total })
    }
    for (const e of p.events) this.emit(e)
    if (p.reordered) this.emitPositions()
  }

  // Only positions that changed are sent.
  private emitPositions(): void {
    const comics = this.s.comicsWaiting.all()
    const positions = this.positions(comics)
    const seen = new Set<number>()
    for (const row of comics) {
      const position = positions.get(row.seq)!
      seen.add(row.seq)
      if (this.lastPositions.get(row.seq) === position) continue
      this.lastPositions.set(row.seq, position)
      this.emit({ type: 'queue_position', jobId: jobId(row.seq), comicId: row.comic_id, position })
    }
    for (const seq of this.lastPositions.keys()) if (!seen.has(seq)) this.lastPositions.delete(seq)
  }

  // Positions (1 = next) of waiting jobs, by seq. A few are counted one by one through the index; for
  // many (a comic's panels arriving at once) one walk of the waiting line is cheaper.
  private positions(rows: readonly { state: RowState; priority: number; seq: number }[]): Map<number, number> {
    const waiting = rows.filter((row) => row.state === 'queued')
    const out = new Map<number, number>()
    if (waiting.length <= 8) {
      for (const row of waiting) out.set(row.seq, this.s.position.get({ priority: row.priority, seq: row.seq })!.position)
      return out
    }
    const wanted = new Set(waiting.map((row) => row.seq))
    let position = 0
    for (const seq of this.s.waitingLine.iterate()) {
      position++
      if (wanted.has(seq)) out.set(seq, position)
    }
    return out
  }

  private toJobs(rows: readonly JobRow[]): Job[] {
    const positions = this.positions(rows)
    return rows.map((row) => this.toJob(row, positions.get(row.seq) ?? null))
  }

  private emit(e: QueueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(e)
      } catch (err) {
        // A broken listener must not undo bookkeeping that is already committed; surface it loudly.
        queueMicrotask(() => { throw err })
      }
    }
  }

  private signal(s: QueueSignal): void {
    for (const watcher of this.watchers) watcher(s)
  }

  private toJob(row: JobRow, position: number | null): Job {
    return {
      id: jobId(row.seq),
      kind: row.kind,
      state: row.state === 'waiting' ? 'active' : row.state,
      priority: row.priority,
      progress: row.progress,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      stalls: row.stalls,
      parentId: row.parent === null ? null : jobId(row.parent),
      comicId: row.comic_id,
      key: row.key,
      position,
      error: row.error,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  }
}

function countsOf(row: CoreRow): ChildCounts {
  const { children_total: total, children_completed: completed, children_failed: failed, children_cancelled: cancelled } = row
  return { total, done: completed + failed + cancelled, completed, failed, cancelled }
}

function childrenDone(parent: CoreRow, counts: ChildCounts): ChildrenDoneEvent {
  return {
    type: 'children_done', parentId: jobId(parent.seq), comicId: parent.comic_id,
    total: counts.total, completed: counts.completed, failed: counts.failed, cancelled: counts.cancelled,
  }
}

function prepare(db: Database.Database) {
  type Tree = { seq: number; parent: number | null }
  const cancelSet = `state = 'cancelled', error = coalesce(error, 'cancelled'), lease = NULL, lease_until = NULL,
    finished_at = @now, updated_at = @now`
  const cancelWalk = (seed: string) => `
    WITH RECURSIVE tree(seq) AS (${seed} UNION SELECT j.seq FROM queue_jobs j JOIN tree t ON j.parent = t.seq)
    UPDATE queue_jobs SET ${cancelSet} WHERE seq IN (SELECT seq FROM tree) AND state IN ${LIVE} RETURNING seq, parent`
  const keepsParent = `(parent IS NULL OR NOT EXISTS (SELECT 1 FROM queue_jobs p WHERE p.seq = queue_jobs.parent AND p.finished_at IS NULL))`
  return {
    queuedOfKind: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM queue_jobs WHERE state = 'queued' AND kind = ?"),
    askedSince: db.prepare<[number, string, number], number>(
      "SELECT created_at FROM queue_jobs WHERE finished_at >= ? AND kind = ? AND state = 'completed' AND created_at >= ? ORDER BY created_at").pluck(),
    liveForComic: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM queue_jobs WHERE comic_id = ? AND parent IS NULL AND state IN ${LIVE}`),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM queue_meta WHERE name = ?'),
    setMeta: db.prepare<[string, string]>('INSERT INTO queue_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    insert: db.prepare<[string, string, string | null, string | null, RowState, number, number, number, number | null, string | null, number, number]>(`
      INSERT INTO queue_jobs (kind, payload, key, grp, state, priority, run_at, max_attempts, parent, comic_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    bySeq: db.prepare<[number], JobRow>('SELECT * FROM queue_jobs WHERE seq = ?'),
    createdAt: db.prepare<[number], number>('SELECT created_at FROM queue_jobs WHERE seq = ?').pluck(),
    core: db.prepare<[number], CoreRow>(`SELECT ${CORE_COLUMNS} FROM queue_jobs WHERE seq = ?`),
    children: db.prepare<[number], JobRow>('SELECT * FROM queue_jobs WHERE parent = ? ORDER BY seq'),
    liveByKey: db.prepare<[string], number>(`SELECT seq FROM queue_jobs WHERE key = ? AND parent IS NULL AND state IN ${LIVE}`).pluck(),
    childByKey: db.prepare<[number, string], number>('SELECT seq FROM queue_jobs WHERE parent = ? AND key = ?').pluck(),
    addChildren: db.prepare<[{ seq: number; n: number; now: number }]>(`UPDATE queue_jobs SET children_total = children_total + @n,
      progress = CAST(children_completed + children_failed + children_cancelled AS REAL) / (children_total + @n), updated_at = @now
      WHERE seq = @seq`),
    childFinished: db.prepare<[{ seq: number; completed: number; failed: number; cancelled: number; now: number }], CoreRow>(`
      UPDATE queue_jobs SET children_completed = children_completed + @completed, children_failed = children_failed + @failed,
        children_cancelled = children_cancelled + @cancelled, updated_at = @now,
        progress = CASE WHEN state = 'completed' OR state = 'failed' OR state = 'cancelled' THEN progress
          ELSE CAST(children_completed + children_failed + children_cancelled + @completed + @failed + @cancelled AS REAL)
            / max(children_total, 1) END
      WHERE seq = @seq RETURNING ${CORE_COLUMNS}`),
    resultByKey: db.prepare<[string], { result: string }>('SELECT result FROM queue_results WHERE key = ?'),
    insertResult: db.prepare<[string, number, string, number]>(`INSERT INTO queue_results (key, job, result, created_at)
      VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`),
    claim: db.prepare<[{ lease: string; until: number; now: number; kinds: string; blocked: string }], JobRow>(`
      UPDATE queue_jobs SET state = 'active', attempts = attempts + 1, lease = @lease, lease_until = @until, updated_at = @now
      WHERE seq = (SELECT seq FROM queue_jobs j WHERE state = 'queued'
        AND kind IN (SELECT value FROM json_each(@kinds))
        AND (grp IS NULL OR grp NOT IN (SELECT value FROM json_each(@blocked)))
        AND (key IS NULL OR NOT EXISTS (SELECT 1 FROM queue_jobs a INDEXED BY queue_jobs_active WHERE a.key = j.key AND a.state = 'active'))
        ORDER BY priority DESC, seq LIMIT 1)
      RETURNING *`),
    promote: db.prepare<[number], number>(`UPDATE queue_jobs SET state = 'queued', updated_at = run_at
      WHERE state = 'delayed' AND run_at <= ? RETURNING seq`).pluck(),
    nextDelayed: db.prepare<[], { at: number | null }>("SELECT min(run_at) AS at FROM queue_jobs WHERE state = 'delayed'"),
    setProgress: db.prepare<[number, number, number, string]>(`UPDATE queue_jobs SET progress = ?, updated_at = ?
      WHERE seq = ? AND lease = ? AND state = 'active'`),
    renew: db.prepare<[number, number, string]>("UPDATE queue_jobs SET lease_until = ? WHERE seq = ? AND lease = ? AND state = 'active'"),
    toWaiting: db.prepare<[string, number, number, number]>(`UPDATE queue_jobs SET state = 'waiting', result = ?, progress = ?,
      lease = NULL, lease_until = NULL, updated_at = ? WHERE seq = ?`),
    toCompleted: db.prepare<[{ result: string; now: number; seq: number }]>(`UPDATE queue_jobs SET state = 'completed',
      result = @result, progress = 1, error = NULL, lease = NULL, lease_until = NULL, finished_at = @now, updated_at = @now
      WHERE seq = @seq`),
    parentCompleted: db.prepare<[{ now: number; seq: number }]>(`UPDATE queue_jobs SET state = 'completed', progress = 1,
      lease = NULL, lease_until = NULL, finished_at = @now, updated_at = @now WHERE seq = @seq`),
    toDelayed: db.prepare<[number, number, string, number, number]>(`UPDATE queue_jobs SET state = 'delayed', run_at = ?,
      attempts = attempts - ?, error = ?, lease = NULL, lease_until = NULL, updated_at = ? WHERE seq = ?`),
    toFinal: db.prepare<[{ state: string; error: string; now: number; seq: number }]>(`UPDATE queue_jobs SET state = @state,
      error = @error, lease = NULL, lease_until = NULL, finished_at = @now, updated_at = @now WHERE seq = @seq`),
    release: db.prepare<[number, number, string]>(`UPDATE queue_jobs SET state = 'queued', attempts = max(0, attempts - 1),
      lease = NULL, lease_until = NULL, updated_at = ? WHERE seq = ? AND lease = ? AND state = 'active'`),
    expired: db.prepare<[number], JobRow>("SELECT * FROM queue_jobs INDEXED BY queue_jobs_active WHERE state = 'active' AND lease_until < ?"),
    bumpStalls: db.prepare<[number]>('UPDATE queue_jobs SET stalls = stalls + 1 WHERE seq = ?'),
    requeueStalled: db.prepare<[number, number]>(`UPDATE queue_jobs SET state = 'queued', stalls = stalls + 1,
      attempts = max(0, attempts - 1), lease = NULL, lease_until = NULL, updated_at = ? WHERE seq = ?`),
    cancelTree: db.prepare<[{ seq: number; now: number }], Tree>(cancelWalk('SELECT @seq')),
    cancelDescendants: db.prepare<[{ seq: number; now: number }], Tree>(cancelWalk('SELECT seq FROM queue_jobs WHERE parent = @seq')),
    cancelComic: db.prepare<[{ comicId: string; now: number }], Tree>(
      cancelWalk('SELECT seq FROM queue_jobs WHERE comic_id = @comicId AND parent IS NULL')),
    comicsWaiting: db.prepare<[], { seq: number; comic_id: string; state: RowState; priority: number }>(`
      SELECT seq, comic_id, state, priority FROM queue_jobs INDEXED BY queue_jobs_comic
      WHERE comic_id IS NOT NULL AND parent IS NULL AND state = 'queued' ORDER BY priority DESC, seq`),
    waitingLine: db.prepare<[], number>("SELECT seq FROM queue_jobs WHERE state = 'queued' ORDER BY priority DESC, seq").pluck(),
    position: db.prepare<[{ priority: number; seq: number }], { position: number }>(`
      SELECT (SELECT count(*) FROM queue_jobs WHERE state = 'queued' AND priority > @priority)
           + (SELECT count(*) FROM queue_jobs WHERE state = 'queued' AND priority = @priority AND seq < @seq) + 1 AS position`),
    pruneOlder: db.prepare<[number]>(`DELETE FROM queue_jobs WHERE finished_at IS NOT NULL AND finished_at < ? AND ${keepsParent}`),
    pruneBeyond: db.prepare<[number]>(`DELETE FROM queue_jobs WHERE seq IN (
        SELECT seq FROM queue_jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, seq DESC LIMIT -1 OFFSET ?)
      AND ${keepsParent}`),
    // A stored result goes with the job that produced it; after that the library's image cache is what
    // prevents paying twice for the same picture.
    pruneResults: db.prepare(`DELETE FROM queue_results WHERE NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.seq = queue_results.job)`),
  }
}
