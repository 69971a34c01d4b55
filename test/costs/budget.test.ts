import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/errors.ts'
import type { StudioEvent } from '../../src/contract/events.ts'
import { ManualClock } from '../../src/platform/clock.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import type { ClaimedJob } from '../../src/queue/job-queue.ts'
import { Worker } from '../../src/queue/worker.ts'
import type { HandlerContext } from '../../src/queue/worker.ts'
import { migrate as migrateQueue } from '../../src/queue/schema.ts'
import { BudgetGuard, checkBudget, NO_CAPS } from '../../src/costs/budget.ts'
import type { BudgetCaps } from '../../src/costs/budget.ts'
import { CostLedger } from '../../src/costs/ledger.ts'
import type { Price } from '../../src/costs/price-catalog.ts'
import { SimServerless } from '../../bench/sim/providers.ts'

const SERVERLESS: Price = { usd: 0.00034, per: 'second', source: 'builtin', asOf: '2026-11', label: 'NVIDIA A40 serverless' }
const POD: Price = { usd: 0.44, per: 'hour', source: 'builtin', asOf: '2026-11', label: 'NVIDIA A40 pod' }
const PER_IMAGE = 12 * 0.00034
// An image and the serverless worker's billed 5 s idle tail after it.
const HOLD = PER_IMAGE + 5 * 0.00034

describe('checkBudget', () => {
  const spend = { comicUsd: 0.5, dayUsd: 2, monthUsd: 9 }

  it('allows anything without caps', () => {
    expect(checkBudget(spend, NO_CAPS, 100)).toEqual({ allowed: true, leftUsd: null })
  })

  it('reports what is left under the tightest cap', () => {
    expect(checkBudget(spend, { comicUsd: 1, dayUsd: 10, monthUsd: 10 })).toEqual({ allowed: true, leftUsd: 0.5 })
    expect(checkBudget(spend, { comicUsd: 1, dayUsd: 10, monthUsd: 9.2 }).leftUsd).toBeCloseTo(0.2, 12)
  })

  it('stops at the cap that would be crossed, and says which and how to go on', () => {
    const v = checkBudget(spend, { comicUsd: null, dayUsd: null, monthUsd: 9.2 }, 0.3)
    expect(v.allowed).toBe(false)
    if (v.allowed) return
    expect(v).toMatchObject({ cap: 'month', limitUsd: 9.2, spentUsd: 9 })
    expect(v.message).toBe('This image would exceed the monthly budget of $9.20 ($9.00 spent). Cloud drawing is paused; the panels already drawn are kept. Raise the budget in Settings to continue, or draw the rest offline.')
    // A pod's last minutes can overrun a cap: then nothing more goes out, not even a free look.
    const reached = checkBudget({ ...spend, dayUsd: 2.05 }, { comicUsd: null, dayUsd: 2, monthUsd: null })
    expect(reached.allowed).toBe(false)
    if (!reached.allowed) expect(reached.message).toMatch(/^The daily budget of \$2\.00 is reached \(\$2\.05 spent\)/)
  })

  it('lets a comic spend exactly its budget', () => {
    expect(checkBudget({ comicUsd: 0.1 + 0.2, dayUsd: 0, monthUsd: 0 }, { comicUsd: 0.3, dayUsd: null, monthUsd: null }).allowed).toBe(true)
  })
})

describe('BudgetGuard', () => {
  let db: Database.Database
  let clock: ManualClock
  let ledger: CostLedger
  let caps: BudgetCaps

  beforeEach(() => {
    db = new Database(':memory:')
    migrateQueue(db)
    clock = new ManualClock(Date.UTC(2026, 10, 28, 9))
    ledger = new CostLedger({ db, clock, timeZone: 'UTC' })
    caps = { ...NO_CAPS }
  })
  afterEach(() => db.close())

  it('counts a running pod\'s time before its bill arrives, and never stops the free engines', () => {
    const guard = new BudgetGuard({ ledger, caps: () => caps })
    caps = { comicUsd: null, dayUsd: 0.2, monthUsd: null }
    ledger.podOpened({ podId: 'p1', price: POD })
    clock.advance(30 * 60_000)
    expect(guard.spend(null).dayUsd).toBeCloseTo(0.22, 9)
    expect(guard.check(null, 'serverless').allowed).toBe(false)
    expect(() => guard.admit('c1:0', 'c1', 'pod', 0.01)).toThrow(KitsumyError)
    expect(guard.check('c1', 'offline').allowed).toBe(true)
    expect(guard.check('c1', 'comfy-local').allowed).toBe(true)
    expect(guard.leftUsd('c1')).toBe(0)
  })

  it('images in flight hold their price: the router sees less left, a hold ends when released', () => {
    const guard = new BudgetGuard({ ledger, caps: () => caps })
    caps = { comicUsd: 0.1, dayUsd: null, monthUsd: null }
    guard.admit('c1:0', 'c1', 'serverless', 0.03)
    guard.admit('c1:1', 'c1', 'serverless', 0.03)
    expect(guard.leftUsd('c1')).toBeCloseTo(0.04, 9)
    // Another comic's cap is its own.
    expect(guard.leftUsd('c2')).toBeCloseTo(0.1, 9)
    expect(() => guard.admit('c1:2', 'c1', 'serverless', 0.05)).toThrow(/per-comic budget/)
    // Asked again for the same image (a retry), its old hold is replaced, not added to.
    guard.admit('c1:1', 'c1', 'serverless', 0.03)
    expect(guard.leftUsd('c1')).toBeCloseTo(0.04, 9)
    guard.release('c1:0')
    expect(guard.leftUsd('c1')).toBeCloseTo(0.07, 9)
    expect(guard.check('c1', 'offline', 1).allowed).toBe(true)
  })

  // The studio's loop, reduced to its budget logic: the real queue and worker drawing three images at once,
  // a simulated serverless endpoint, and the offline engine for panels the user asked to draw offline.
  it('stops cloud work at the cap with a clear message, keeps what is drawn, and offline still draws', async () => {
    const events: StudioEvent[] = []
    const guard = new BudgetGuard({ ledger, caps: () => caps })
    caps = { comicUsd: 0.02, dayUsd: null, monthUsd: null }
    const queue = new JobQueue(db, { clock, random: seededRandom(5) })
    const serverless = new SimServerless(clock, seededRandom(6), (seconds, tag) => {
      ledger.charge({ key: `idle:${clock.now()}`, provider: 'serverless', kind: 'idle', comicId: tag, quantity: seconds, unit: 'second', price: SERVERLESS })
    })
    const panel = async (job: ClaimedJob, ctx: HandlerContext) => {
      const p = job.payload as { comicId: string; engine: 'serverless' | 'offline' }
      try {
        guard.admit(job.key!, p.comicId, p.engine, HOLD)
      } catch (err) {
        events.push({ type: 'error', comicId: p.comicId, code: 'budget', message: (err as Error).message })
        throw err
      }
      if (p.engine === 'offline') return { engine: 'offline' }
      const seconds = await new Promise<number>((resolve, reject) => serverless.submit({ tag: p.comicId, onDone: resolve, onFail: reject }))
      ctx.onComplete(() => {
        ledger.charge({ key: `image:${job.key}`, provider: 'serverless', kind: 'image', comicId: p.comicId, panelId: job.key, quantity: seconds, unit: 'second', price: SERVERLESS })
      })
      return { engine: 'serverless' }
    }
    // A hold ends once the image's charge is committed with its completion.
    queue.on((e) => {
      if (e.type === 'job_updated' && e.job.state === 'completed') guard.release(e.job.key!)
    })
    const worker = new Worker(queue, { panel }, { concurrency: 3, clock })
    const cloudIds = queue.enqueueMany(Array.from({ length: 10 }, (_, i) => ({ kind: 'panel', key: `c1:${i}`, comicId: 'c1', payload: { comicId: 'c1', engine: 'serverless' } })))
    const offlineIds = queue.enqueueMany(Array.from({ length: 3 }, (_, i) => ({ kind: 'panel', key: `c1:sketch:${i}`, comicId: 'c1', payload: { comicId: 'c1', engine: 'offline' } })))
    worker.start()
    const open = () => [...cloudIds, ...offlineIds].some((id) => !['completed', 'failed'].includes(queue.status(id)!.state))
    for (let i = 0; i < 1_000 && (open() || serverless.workerCount > 0); i++) {
      await new Promise((r) => setImmediate(r))
      clock.advance(Math.max(0, (clock.nextAt() ?? clock.now()) - clock.now()))
    }
    await worker.drain(0)

    const states = cloudIds.map((id) => queue.status(id)!)
    // Three start at once, each holding its image and the worker's idle tail after it ($0.00578): $0.01734.
    // A fourth would cross $0.02 once their charges are in, and while they were still in flight.
    expect(states.filter((j) => j.state === 'completed')).toHaveLength(3)
    expect(states.slice(0, 3).every((j) => j.state === 'completed' && queue.result(j.id) !== undefined)).toBe(true)
    const refused = states.filter((j) => j.state === 'failed')
    expect(refused).toHaveLength(7)
    expect(refused.every((j) => j.error?.startsWith('budget: This image would exceed the per-comic budget of $0.02'))).toBe(true)
    expect(refused.every((j) => j.attempts === 1)).toBe(true)
    expect(events).toHaveLength(7)
    expect(events[0]).toMatchObject({ type: 'error', code: 'budget' })
    // Nothing was spent after the stop, and the cap was never passed.
    const images = ledger.charges().filter((r) => r.kind === 'image')
    expect(images).toHaveLength(3)
    expect(images.reduce((a, r) => a + r.amountUsd, 0)).toBeCloseTo(3 * PER_IMAGE, 9)
    expect(ledger.comicUsd('c1')).toBeLessThanOrEqual(0.02)
    expect(serverless.stats.jobs).toBe(3)
    // The panels the user asked to draw offline were drawn, at no cost.
    expect(offlineIds.every((id) => queue.status(id)!.state === 'completed')).toBe(true)
  })
})
