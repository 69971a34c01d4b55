import { describe, expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/errors.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import type { ClaimedJob } from '../../src/queue/job-queue.ts'
import { backoffDelay } from '../../src/queue/retry-policy.ts'
import { Worker } from '../../src/queue/worker.ts'
import type { Handler, WorkerOptions } from '../../src/queue/worker.ts'
import { costRows, costTable, deferred, openFile, settle, setup } from './helpers.ts'
import type { Setup } from './helpers.ts'

const LEASE = 10_000

// A handler whose runs the test finishes by hand, one deferred per run.
function manualHandler() {
  const runs: { job: ClaimedJob; signal: AbortSignal; done: ReturnType<typeof deferred> }[] = []
  const handler: Handler = (job, ctx) => {
    const done = deferred()
    runs.push({ job, signal: ctx.signal, done })
    ctx.signal.addEventListener('abort', () => done.reject(ctx.signal.reason))
    return done.promise
  }
  return { runs, handler }
}

function startWorker(s: Setup, handlers: Record<string, Handler>, opts: Partial<WorkerOptions> = {}): Worker {
  const worker = new Worker(s.queue, handlers, { concurrency: 4, clock: s.clock, ...opts })
  worker.start()
  return worker
}

describe('waking', () => {
  it('wakes on enqueue with no polling timer', async () => {
    const s = setup()
    const seen: unknown[] = []
    startWorker(s, { panel: async (job) => { seen.push(job.payload) } })
    await settle()
    expect(s.clock.pending()).toBe(1)
    s.queue.enqueue({ kind: 'panel', payload: 'hello' })
    await settle()
    expect(seen).toEqual(['hello'])
    expect(s.clock.pending()).toBe(1)
  })

  it('sets one clock timer for the earliest delayed job and runs it then, not before', async () => {
    const s = setup()
    const seen: unknown[] = []
    startWorker(s, { panel: async (job) => { seen.push(job.payload) } })
    s.queue.enqueue({ kind: 'panel', payload: 'later', delayMs: 20_000 })
    s.queue.enqueue({ kind: 'panel', payload: 'sooner', delayMs: 10_000 })
    await settle()
    expect(s.clock.nextAt()).toBe(s.clock.now() + 5_000)
    s.clock.advance(9_999)
    await settle()
    expect(seen).toEqual([])
    s.clock.advance(1)
    await settle()
    expect(seen).toEqual(['sooner'])
    s.clock.advance(10_000)
    await settle()
    expect(seen).toEqual(['sooner', 'later'])
  })

  it('runs the most urgent job first', async () => {
    const s = setup()
    s.queue.enqueueMany([
      { kind: 'panel', payload: 'normal-1' }, { kind: 'panel', payload: 'normal-2' },
      { kind: 'panel', payload: 'urgent', priority: 10 },
    ])
    const seen: unknown[] = []
    startWorker(s, { panel: async (job) => { seen.push(job.payload) } }, { concurrency: 1 })
    await settle()
    expect(seen).toEqual(['urgent', 'normal-1', 'normal-2'])
  })
})

describe('leases', () => {
  it('keeps renewing the lease of a long job so it never counts as stalled', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    startWorker(s, { panel: handler })
    const id = s.queue.enqueue({ kind: 'panel', payload: null })
    await settle()
    for (let i = 0; i < 20; i++) {
      s.clock.advance(LEASE / 4)
      await settle(2)
    }
    expect(s.queue.status(id)).toMatchObject({ state: 'active', stalls: 0 })
    runs[0].done.resolve('drawn')
    await settle()
    expect(s.queue.status(id)).toMatchObject({ state: 'completed', stalls: 0, attempts: 1 })
  })

  it('takes back jobs of a dead worker on start and on its stall timer', async () => {
    const s = setup()
    const dead = new JobQueue(openFile(s.file), { clock: s.clock, leaseMs: LEASE })
    const [a, b] = s.queue.enqueueMany([{ kind: 'panel', payload: 'a' }, { kind: 'panel', payload: 'b' }])
    dead.claim({ kinds: ['panel'] })
    s.clock.advance(LEASE + 1)
    const seen: unknown[] = []
    startWorker(s, { panel: async (job) => { seen.push(job.payload) } }, { concurrency: 1 })
    await settle()
    expect(seen).toEqual(['a', 'b'])
    expect(s.queue.status(a)).toMatchObject({ state: 'completed', stalls: 1 })

    const c = s.queue.enqueue({ kind: 'other', payload: 'c' })
    dead.claim({ kinds: ['other'] })
    s.clock.advance(LEASE + LEASE / 2)
    await settle()
    expect(s.queue.status(c)).toMatchObject({ state: 'queued', stalls: 1 })
    expect(s.queue.status(b)?.state).toBe('completed')
  })

  it('aborts a run whose lease was taken away', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    startWorker(s, { panel: handler })
    const id = s.queue.enqueue({ kind: 'panel', payload: null })
    await settle()
    s.db.prepare("UPDATE queue_jobs SET lease = 'someone-else' WHERE id = ?").run(id)
    s.clock.advance(LEASE / 3)
    await settle()
    expect(runs[0].signal.aborted).toBe(true)
    expect((runs[0].signal.reason as KitsumyError).code).toBe('lost')
  })
})

describe('retries', () => {
  it('retries on the clock with exponential backoff and seeded jitter', async () => {
    const backoff = { baseMs: 1_000, maxMs: 60_000 }
    const s = setup({ backoff, random: seededRandom(3) })
    const expected = seededRandom(3)
    let calls = 0
    startWorker(s, {
      panel: async () => {
        calls++
        if (calls < 3) throw new KitsumyError('capacity', 'no GPU free')
        return 'ok'
      },
    })
    const id = s.queue.enqueue({ kind: 'panel', payload: null, maxAttempts: 5 })
    await settle()
    for (const attempt of [1, 2]) {
      expect(calls).toBe(attempt)
      const delay = backoffDelay(attempt, backoff, expected)
      s.clock.advance(delay - 1)
      await settle()
      expect(calls).toBe(attempt)
      s.clock.advance(1)
      await settle()
    }
    expect(calls).toBe(3)
    expect(s.queue.status(id)).toMatchObject({ state: 'completed', attempts: 3 })
  })

  it('fails at once when the error says retrying is pointless', async () => {
    const s = setup()
    let calls = 0
    startWorker(s, { panel: async () => { calls++; throw new KitsumyError('auth', 'bad key') } })
    const id = s.queue.enqueue({ kind: 'panel', payload: null, maxAttempts: 5 })
    await settle()
    s.clock.advance(600_000)
    await settle()
    expect(calls).toBe(1)
    expect(s.queue.status(id)).toMatchObject({ state: 'failed', attempts: 1, error: 'auth: bad key' })
  })

  it('retries plain errors too, up to maxAttempts', async () => {
    const s = setup({ backoff: { baseMs: 100, maxMs: 1_000 } })
    let calls = 0
    startWorker(s, { panel: async () => { calls++; throw new Error('disk hiccup') } })
    const id = s.queue.enqueue({ kind: 'panel', payload: null, maxAttempts: 3 })
    for (let i = 0; i < 10; i++) {
      await settle()
      s.clock.advance(1_000)
    }
    expect(calls).toBe(3)
    expect(s.queue.status(id)).toMatchObject({ state: 'failed', error: 'internal: disk hiccup' })
  })

  it('a 429 holds the whole engine group for retry-after without using an attempt', async () => {
    const s = setup()
    const started: [unknown, number][] = []
    let first = true
    startWorker(s, {
      panel: async (job) => {
        started.push([job.payload, s.clock.now()])
        if (first) {
          first = false
          throw new KitsumyError('rate_limit', 'too many requests', { retryAfterMs: 5_000 })
        }
      },
    }, { concurrency: 1 })
    const t0 = s.clock.now()
    const [a] = s.queue.enqueueMany([
      { kind: 'panel', payload: 'a', group: 'replicate', maxAttempts: 1 },
      { kind: 'panel', payload: 'b', group: 'replicate' },
      { kind: 'panel', payload: 'c', group: 'pod' },
    ])
    await settle()
    expect(started).toEqual([['a', t0], ['c', t0]])
    s.clock.advance(4_999)
    await settle()
    expect(started).toHaveLength(2)
    s.clock.advance(1)
    await settle()
    expect(started).toEqual([['a', t0], ['c', t0], ['a', t0 + 5_000], ['b', t0 + 5_000]])
    expect(s.queue.status(a)).toMatchObject({ state: 'completed', attempts: 1 })
  })

  it('a failing cost hook rolls the completion back and the job runs again', async () => {
    const s = setup({ backoff: { baseMs: 10, maxMs: 10 } })
    costTable(s.db)
    let calls = 0
    startWorker(s, {
      panel: async (job, ctx) => {
        calls++
        ctx.onComplete((db) => {
          db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(job.id, job.key, 0.02)
          if (calls === 1) throw new Error('ledger locked')
        })
        return 'img'
      },
    }, { onError: () => {} })
    const id = s.queue.enqueue({ kind: 'panel', payload: null, key: 'k' })
    await settle()
    expect(costRows(s.db)).toEqual([])
    s.clock.advance(10)
    await settle()
    expect(calls).toBe(2)
    expect(costRows(s.db)).toEqual([{ job_id: id, key: 'k', usd: 0.02 }])
    expect(s.queue.status(id)).toMatchObject({ state: 'completed', attempts: 2 })
  })
})

describe('idempotent completion', () => {
  it('short-circuits a job whose key already has a result: no handler call, no cost', async () => {
    const s = setup()
    costTable(s.db)
    let calls = 0
    startWorker(s, {
      panel: async (job, ctx) => {
        calls++
        ctx.onComplete((db) => { db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(job.id, job.key, 0.05) })
        return { image: `${job.key}.png` }
      },
    })
    const first = s.queue.enqueue({ kind: 'panel', payload: null, key: 'cache-key-1' })
    await settle()
    const again = s.queue.enqueue({ kind: 'panel', payload: null, key: 'cache-key-1' })
    await settle()
    expect(again).not.toBe(first)
    expect(calls).toBe(1)
    expect(s.queue.status(again)?.state).toBe('completed')
    expect(s.queue.result(again)).toEqual({ image: 'cache-key-1.png' })
    expect(costRows(s.db)).toHaveLength(1)
  })
})

describe('limits', () => {
  it('caps concurrency per engine group while other groups keep going', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    startWorker(s, { panel: handler }, { concurrency: 5, groups: { pod: { concurrency: 2 } } })
    s.queue.enqueueMany([
      ...[1, 2, 3, 4].map((n) => ({ kind: 'panel', payload: `pod-${n}`, group: 'pod' })),
      { kind: 'panel', payload: 'cloud-1', group: 'serverless' },
      { kind: 'panel', payload: 'free' },
    ])
    await settle()
    expect(runs.map((r) => r.job.payload)).toEqual(['pod-1', 'pod-2', 'cloud-1', 'free'])
    runs[0].done.resolve(null)
    await settle()
    expect(runs.map((r) => r.job.payload)).toEqual(['pod-1', 'pod-2', 'cloud-1', 'free', 'pod-3'])
  })

  it('spaces starts in a rate-limited group on the clock', async () => {
    const s = setup()
    const starts: number[] = []
    startWorker(s, { panel: async () => { starts.push(s.clock.now()) } }, { groups: { replicate: { ratePerSec: 2 } } })
    const t0 = s.clock.now()
    s.queue.enqueueMany([1, 2, 3, 4].map((n) => ({ kind: 'panel', payload: n, group: 'replicate' })))
    await settle()
    for (let i = 0; i < 3; i++) {
      s.clock.advance(500)
      await settle()
    }
    expect(starts.map((t) => t - t0)).toEqual([0, 500, 1000, 1500])
  })

  it('stops at the worker concurrency', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    startWorker(s, { panel: handler }, { concurrency: 2 })
    s.queue.enqueueMany([1, 2, 3].map((n) => ({ kind: 'panel', payload: n })))
    await settle()
    expect(runs).toHaveLength(2)
  })

  it('a concurrency that changes (the cloud switched on) applies the next time it looks for work', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    let limit = 1
    startWorker(s, { panel: handler }, { concurrency: () => limit })
    s.queue.enqueueMany([1, 2, 3, 4, 5].map((n) => ({ kind: 'panel', payload: n })))
    await settle()
    expect(runs).toHaveLength(1)
    limit = 3
    runs[0].done.resolve(undefined)
    await settle()
    expect(runs).toHaveLength(4)
    limit = 0
    for (const r of runs.slice(1)) r.done.resolve(undefined)
    await settle()
    // Never below one: work goes on.
    expect(runs).toHaveLength(5)
  })
})

describe('pause, cancel, drain', () => {
  it('claims nothing while paused and resumes where it left off', async () => {
    const s = setup()
    const seen: unknown[] = []
    startWorker(s, { panel: async (job) => { seen.push(job.payload) } })
    s.queue.pause()
    s.queue.enqueue({ kind: 'panel', payload: 'x' })
    await settle()
    expect(seen).toEqual([])
    s.queue.resume()
    await settle()
    expect(seen).toEqual(['x'])
  })

  it('aborts the running handler of a cancelled job and of a cancelled comic', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    startWorker(s, { panel: handler })
    const one = s.queue.enqueue({ kind: 'panel', payload: 1, comicId: 'a' })
    s.queue.enqueueMany([2, 3].map((n) => ({ kind: 'panel', payload: n, comicId: 'b' })))
    await settle()
    expect(s.queue.cancel(one)).toBe(1)
    await settle()
    expect(runs.map((r) => r.signal.aborted)).toEqual([true, false, false])
    expect(s.queue.cancelComic('b')).toBe(2)
    await settle()
    expect(runs.map((r) => r.signal.aborted)).toEqual([true, true, true])
    expect(s.queue.status(one)).toMatchObject({ state: 'cancelled', error: 'cancelled' })
    expect(s.queue.children(one)).toEqual([])
  })

  it('drains: stops claiming, waits for active jobs, then hands back leases of the stragglers', async () => {
    const s = setup()
    const { runs, handler } = manualHandler()
    const worker = startWorker(s, { panel: handler }, { concurrency: 2 })
    const [quick, slow] = s.queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n })))
    await settle()
    const drained = worker.drain(30_000)
    const late = s.queue.enqueue({ kind: 'panel', payload: 3 })
    runs[0].done.resolve('quick')
    await settle()
    expect(s.queue.status(quick)?.state).toBe('completed')
    s.clock.advance(29_999)
    await settle()
    expect(runs[1].signal.aborted).toBe(false)
    s.clock.advance(1)
    await drained
    expect(runs[1].signal.aborted).toBe(true)
    expect(s.queue.status(slow)).toMatchObject({ state: 'queued', attempts: 0, stalls: 0 })
    expect(s.queue.status(late)?.state).toBe('queued')
    expect(runs).toHaveLength(2)
    expect(worker.activeCount).toBe(0)
  })

  it('drains at once when idle', async () => {
    const s = setup()
    const worker = startWorker(s, { panel: async () => null })
    await worker.drain(1_000)
    expect(s.clock.pending()).toBe(0)
  })

  it('reports handler progress in status and events', async () => {
    const s = setup()
    const { handler, runs } = manualHandler()
    startWorker(s, {
      panel: (job, ctx) => {
        ctx.progress(0.25)
        return handler(job, ctx)
      },
    })
    const id = s.queue.enqueue({ kind: 'panel', payload: null })
    await settle()
    expect(s.queue.status(id)?.progress).toBe(0.25)
    expect(s.events.some((e) => e.type === 'job_updated' && e.job.id === id && e.job.progress === 0.25)).toBe(true)
    runs[0].done.resolve(null)
  })
})
